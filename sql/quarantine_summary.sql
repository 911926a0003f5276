-- quarantine_summary: rows checked and rows quarantined per input table and reason, for :run_date.
-- One row per (table_name, reason) with row_count and amount (sum of the amounts of those lines in the reporting
-- currency :reporting_currency; lines that cannot be converted - invalid_currency, missing_fx_rate, unparsable
-- values - add nothing: sql/fx_conversion.sql has their amounts in their own currencies); the row with reason
-- NULL carries the number of rows checked in that table.
-- Priority of reasons: missing_account_id, missing_invoice_id, unparsable_date, unparsable_amount,
-- invalid_currency, missing_fx_rate, unknown_account, duplicate_line (all copies but one), future_dated
-- (see sql/include/checked_revenue_lines.sql); accounts: missing_account_id,
-- duplicate_account (all rows of an account_id but the first), invalid_owner_email (kept, flagged).
WITH
-- @include checked_accounts
,
line_groups AS (
  -- identical lines once, with how often they appear (the include groups them)
  SELECT account_id, line_problem, is_future, amount, copies
  FROM (
-- @include checked_revenue_lines
  ) l
),
account_totals AS (
  -- per account and own problem, so accounts are matched per account, not per line
  SELECT
    account_id,
    line_problem,
    SUM(copies) AS lines,
    SUM(amount) AS first_copy_amount,
    SUM(CASE WHEN copies > 1 THEN copies - 1 ELSE 0 END) AS extra_lines,
    SUM(CASE WHEN copies > 1 THEN amount * (copies - 1) END) AS extra_amount,
    SUM(CASE WHEN is_future THEN 1 ELSE 0 END) AS future_lines,
    SUM(CASE WHEN is_future THEN amount END) AS future_amount
  FROM line_groups
  GROUP BY account_id, line_problem
),
problem_totals AS (
  SELECT
    COALESCE(t.line_problem, CASE WHEN k.account_id IS NULL THEN 'unknown_account' END) AS problem,
    SUM(t.lines) AS lines,
    COALESCE(SUM(t.first_copy_amount), 0) + COALESCE(SUM(t.extra_amount), 0) AS amount,
    SUM(t.extra_lines) AS extra_lines,
    SUM(t.extra_amount) AS extra_amount,
    SUM(t.future_lines) AS future_lines,
    SUM(t.future_amount) AS future_amount
  FROM account_totals t
  LEFT JOIN known_accounts k ON k.account_id = t.account_id
  GROUP BY COALESCE(t.line_problem, CASE WHEN k.account_id IS NULL THEN 'unknown_account' END)
),
line_outcomes AS (
  -- each (tiny) problem row read once and split into the checked total and the reasons it carries
  SELECT
    CASE
      WHEN k.kind = 'checked' THEN NULL
      WHEN t.problem IS NOT NULL THEN t.problem
      WHEN k.kind = 'extra' THEN 'duplicate_line'
      ELSE 'future_dated'
    END AS reason,
    CASE
      WHEN k.kind = 'checked' OR t.problem IS NOT NULL THEN t.lines
      WHEN k.kind = 'extra' THEN t.extra_lines
      ELSE t.future_lines
    END AS row_count,
    CASE
      WHEN k.kind = 'checked' THEN CAST(NULL AS DECIMAL(38, 2))
      WHEN t.problem IS NOT NULL THEN t.amount
      WHEN k.kind = 'extra' THEN t.extra_amount
      ELSE t.future_amount
    END AS amount
  FROM problem_totals t
  CROSS JOIN (VALUES ('checked'), ('extra'), ('future')) AS k (kind)
  WHERE k.kind <> 'future' OR t.problem IS NULL
)
SELECT table_name, reason, row_count, amount
FROM (
  SELECT
    'revenue_lines' AS table_name,
    reason,
    SUM(row_count) AS row_count,
    CAST(COALESCE(SUM(amount), 0) AS DOUBLE) AS amount
  FROM line_outcomes
  GROUP BY reason
  UNION ALL
  SELECT 'accounts' AS table_name, reason, COUNT(*) AS row_count, CAST(0 AS DOUBLE) AS amount
  FROM checked_accounts
  WHERE reason IS NOT NULL
  GROUP BY reason
  UNION ALL
  SELECT 'accounts' AS table_name, CAST(NULL AS VARCHAR) AS reason, COUNT(*) AS row_count, CAST(0 AS DOUBLE) AS amount
  FROM checked_accounts
) s
WHERE reason IS NULL OR row_count > 0
ORDER BY table_name DESC, reason NULLS FIRST
