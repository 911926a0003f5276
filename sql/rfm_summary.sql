-- rfm_summary: per-account purchase summary for BG/NBD and Gamma-Gamma at :period_end (run on :run_date).
-- Reads the same valid lines as account_features.sql: lines quarantine_summary.sql does not quarantine
-- (own problems, unknown account, after :run_date), each group of identical lines once, up to :period_end;
-- amounts in the reporting currency :reporting_currency.
-- A transaction is a day with a positive net amount (several invoices on one day count once; a day of
-- credit notes only is not a purchase); the first transaction is not a repeat. Times are whole days; the
-- job converts them into the model's fit unit, so the query does not depend on config.
--   frequency         repeat transactions x
--   recency_days      t_x: days from the first to the last transaction
--   age_days          T: days from the first transaction to :period_end
--   avg_repeat_value  mean net amount of the repeat transaction days (0 when x = 0)
-- All of an account's history up to :period_end is read (its first purchase may be years back), using only
-- the columns it needs.
WITH
-- @include checked_accounts
,
purchase_days AS (
  SELECT account_id, booked_on, SUM(amount) AS day_amount
  FROM (
    -- one row per group of identical lines already (no DISTINCT: it would also merge two different lines
    -- whose converted amounts happen to round alike)
    SELECT l.account_id, l.booked_on, l.amount
    FROM (
-- @include checked_revenue_lines
    ) l
    JOIN known_accounts k ON k.account_id = l.account_id
    WHERE l.line_problem IS NULL AND NOT l.is_future AND l.booked_on <= CAST(:period_end AS DATE)
  ) d
  GROUP BY account_id, booked_on
  HAVING SUM(amount) > 0
),
with_first AS (
  SELECT account_id, booked_on, day_amount, MIN(booked_on) OVER (PARTITION BY account_id) AS first_on
  FROM purchase_days
)
SELECT
  account_id,
  COUNT(*) - 1 AS frequency,
  -- date_diff('day', a, b) = b - a on both DuckDB and Trino
  date_diff('day', MIN(booked_on), MAX(booked_on)) AS recency_days,
  date_diff('day', MIN(booked_on), CAST(:period_end AS DATE)) AS age_days,
  -- the exact DECIMAL sum divided once: AVG of a DECIMAL is rounded to its scale on Trino (a DOUBLE on DuckDB),
  -- and an AVG of DOUBLEs depends on the order the engine adds them in
  COALESCE(
    CAST(SUM(CASE WHEN booked_on > first_on THEN day_amount END) AS DOUBLE)
      / CAST(COUNT(CASE WHEN booked_on > first_on THEN 1 END) AS DOUBLE),
    0
  ) AS avg_repeat_value
FROM with_first
GROUP BY account_id
ORDER BY account_id
