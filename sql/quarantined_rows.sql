-- quarantined_rows: every quarantined or flagged input row, for :run_date, with its raw values as text.
-- Identical lines come back once with `copies` = how many of them carry that reason (the caller expands
-- them); the reasons and their priority are those of quarantine_summary.sql. Amounts are as written, in the
-- line's own currency (named in detail); the detail of a missing_fx_rate line says which rate to add.
WITH
-- @include checked_accounts
,
line_groups AS (
  -- identical lines once (unparsable values told apart by their raw text), kept when any copy is set aside
  SELECT
    account_id, invoice_id, booked_on, amount, currency, currency_code, product, booked_on_text, amount_text, problem,
    copies
  FROM (
    SELECT
      l.account_id,
      l.invoice_id,
      l.booked_on,
      -- as written, in the line's own currency
      l.original_amount AS amount,
      l.currency,
      l.currency_code,
      l.product,
      l.booked_on_text,
      l.amount_text,
      COALESCE(l.line_problem, CASE WHEN k.account_id IS NULL THEN 'unknown_account' END) AS problem,
      l.copies
    FROM (
-- @include checked_revenue_lines
    ) l
    LEFT JOIN known_accounts k ON k.account_id = l.account_id
  ) m
  WHERE problem IS NOT NULL OR copies > 1 OR booked_on > CAST(:run_date AS DATE)
),
line_rows AS (
  -- a line's own or its account's problem applies to every copy; otherwise all copies but one are
  -- duplicate_line and the first copy of a line after :run_date is future_dated
  SELECT
    CASE
      WHEN g.problem IS NOT NULL THEN g.problem
      WHEN k.kind = 'extra' THEN 'duplicate_line'
      ELSE 'future_dated'
    END AS reason,
    g.account_id,
    g.invoice_id,
    COALESCE(CAST(g.booked_on AS VARCHAR), g.booked_on_text) AS booked_on,
    COALESCE(CAST(g.amount AS VARCHAR), g.amount_text) AS amount,
    CASE
      WHEN g.problem = 'missing_fx_rate'
        THEN 'no fx_rates row for ' || g.currency_code || ' in ' || SUBSTR(CAST(g.booked_on AS VARCHAR), 1, 7)
          || ': add it to fx_rates; '
      ELSE ''
    END || 'currency=' || COALESCE(g.currency, '') || '; product=' || COALESCE(g.product, '') AS detail,
    CASE
      WHEN g.problem IS NOT NULL THEN g.copies
      WHEN k.kind = 'extra' THEN g.copies - 1
      ELSE 1
    END AS copies
  FROM line_groups g
  CROSS JOIN (VALUES ('extra'), ('first')) AS k (kind)
  WHERE
    (k.kind = 'extra' AND (g.problem IS NOT NULL OR g.copies > 1))
    OR (k.kind = 'first' AND g.problem IS NULL AND g.booked_on > CAST(:run_date AS DATE))
)
SELECT table_name, reason, account_id, invoice_id, booked_on, amount, detail, copies
FROM (
  SELECT 'revenue_lines' AS table_name, reason, account_id, invoice_id, booked_on, amount, detail, copies
  FROM line_rows
  UNION ALL
  SELECT
    'accounts' AS table_name,
    reason,
    account_id,
    CAST(NULL AS VARCHAR) AS invoice_id,
    CAST(NULL AS VARCHAR) AS booked_on,
    CAST(NULL AS VARCHAR) AS amount,
    'account_name=' || COALESCE(account_name, '') || '; owner_email=' || COALESCE(owner_email, '')
      || '; owner_name=' || COALESCE(owner_name, '') || '; created_on=' || COALESCE(created_on_text, '') AS detail,
    CAST(1 AS BIGINT) AS copies
  FROM checked_accounts
  WHERE reason IS NOT NULL
) q
ORDER BY table_name DESC, reason, account_id, invoice_id, booked_on, amount, detail
