-- Per-account purchase summary for BG/NBD and Gamma-Gamma, at the end of :period_end.
-- A transaction is a day with positive net invoiced amount (several invoices on one day count once,
-- a day of credit notes only is not a purchase); the first transaction is not a repeat.
--   frequency         repeat transactions x
--   recency           t_x: first to last transaction, in units of :unit_days days (1 = days, 7 = weeks)
--   age               T: first transaction to :period_end, in the same unit
--   avg_repeat_value  mean net amount of the repeat transaction days (0 when x = 0)
-- Lines whose date or amount does not parse are left out here (they are quarantined elsewhere).
WITH valid_lines AS (
  SELECT
    account_id,
    TRY_CAST(booked_on AS DATE) AS booked_on,
    TRY_CAST(amount AS DOUBLE) AS amount
  FROM revenue_lines
  WHERE account_id IS NOT NULL AND account_id <> ''
),
purchase_days AS (
  SELECT account_id, booked_on, SUM(amount) AS day_amount
  FROM valid_lines
  WHERE booked_on IS NOT NULL
    AND amount IS NOT NULL
    AND booked_on <= CAST(:period_end AS DATE)
  GROUP BY account_id, booked_on
  HAVING SUM(amount) > 0
),
with_first AS (
  SELECT
    account_id,
    booked_on,
    day_amount,
    MIN(booked_on) OVER (PARTITION BY account_id) AS first_on
  FROM purchase_days
)
SELECT
  account_id,
  CAST(COUNT(*) - 1 AS BIGINT) AS frequency,
  CAST(date_diff('day', MIN(booked_on), MAX(booked_on)) AS DOUBLE) / :unit_days AS recency,
  CAST(date_diff('day', MIN(booked_on), CAST(:period_end AS DATE)) AS DOUBLE) / :unit_days AS age,
  COALESCE(AVG(CASE WHEN booked_on > first_on THEN day_amount END), 0) AS avg_repeat_value
FROM with_first
GROUP BY account_id
ORDER BY account_id
