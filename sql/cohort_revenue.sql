-- Net revenue per account and calendar quarter, with the quarter of the account's first purchase
-- (its first line with a positive amount), up to :period_end. Quarters are given by their first day.
-- Feeds the first-purchase-quarter cohorts (lambdas/core/models/cohorts.ts); quarters without revenue
-- are absent here and count as 0 there.
WITH valid_lines AS (
  SELECT
    account_id,
    TRY_CAST(booked_on AS DATE) AS booked_on,
    TRY_CAST(amount AS DOUBLE) AS amount
  FROM revenue_lines
  WHERE account_id IS NOT NULL AND account_id <> ''
),
lines AS (
  SELECT account_id, booked_on, amount
  FROM valid_lines
  WHERE booked_on IS NOT NULL
    AND amount IS NOT NULL
    AND booked_on <= CAST(:period_end AS DATE)
),
first_purchase AS (
  SELECT account_id, CAST(date_trunc('quarter', MIN(booked_on)) AS DATE) AS first_quarter
  FROM lines
  WHERE amount > 0
  GROUP BY account_id
),
quarterly AS (
  SELECT account_id, CAST(date_trunc('quarter', booked_on) AS DATE) AS quarter, SUM(amount) AS revenue
  FROM lines
  GROUP BY account_id, CAST(date_trunc('quarter', booked_on) AS DATE)
)
SELECT q.account_id, f.first_quarter, q.quarter, q.revenue
FROM quarterly q
JOIN first_purchase f ON f.account_id = q.account_id
WHERE q.quarter >= f.first_quarter
ORDER BY f.first_quarter, q.account_id, q.quarter
