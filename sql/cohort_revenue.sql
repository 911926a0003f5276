-- cohort_revenue: per first-purchase-quarter cohort and fiscal quarter up to :period_end (run on :run_date): the
-- cohort's accounts, those with positive net revenue in the quarter, and their net revenue. An account's cohort
-- is the fiscal quarter of its first purchase (its first valid line with a positive amount). Quarters
-- are given by their first day and follow :fiscal_year_start_month as lambdas/core/period.ts does
-- (1 = calendar quarters). Reads the same valid lines as account_features.sql (nothing quarantine_summary.sql
-- sets aside, each group of identical lines once; amounts in the reporting currency :reporting_currency). Feeds
-- the first-purchase-quarter cohorts (lambdas/core/models/cohorts.ts); quarters without revenue are absent here
-- and count as 0 there.
-- All history up to :period_end is read (cohorts go back to the first purchase), only the columns needed.
WITH
-- @include checked_accounts
,
account_months AS (
  SELECT
    account_id,
    CAST(date_trunc('month', booked_on) AS DATE) AS month_start,
    SUM(amount) AS revenue,
    MAX(CASE WHEN amount > 0 THEN 1 ELSE 0 END) AS has_purchase
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
  GROUP BY account_id, CAST(date_trunc('month', booked_on) AS DATE)
),
account_quarters AS (
  -- months since the fiscal quarter's first month: (month index - (start month - 1)) mod 3
  SELECT account_id, quarter, SUM(revenue) AS revenue, MAX(has_purchase) AS has_purchase
  FROM (
    SELECT
      account_id,
      revenue,
      has_purchase,
      CASE (year(month_start) * 12 + month(month_start) - CAST(:fiscal_year_start_month AS INTEGER)) % 3
        WHEN 0 THEN month_start
        WHEN 1 THEN CAST(month_start - INTERVAL '1' MONTH AS DATE)
        ELSE CAST(month_start - INTERVAL '2' MONTH AS DATE)
      END AS quarter
    FROM account_months
  ) m
  GROUP BY account_id, quarter
),
first_quarters AS (
  SELECT account_id, MIN(quarter) AS first_quarter
  FROM account_quarters
  WHERE has_purchase = 1
  GROUP BY account_id
),
cohort_sizes AS (
  SELECT first_quarter, COUNT(*) AS cohort_accounts FROM first_quarters GROUP BY first_quarter
)
-- one row per cohort and quarter (not per account: a large book has millions of account-quarters)
SELECT
  f.first_quarter,
  q.quarter,
  s.cohort_accounts,
  SUM(CASE WHEN q.revenue > 0 THEN 1 ELSE 0 END) AS active_accounts,
  CAST(SUM(q.revenue) AS DOUBLE) AS revenue
FROM account_quarters q
JOIN first_quarters f ON f.account_id = q.account_id
JOIN cohort_sizes s ON s.first_quarter = f.first_quarter
WHERE q.quarter >= f.first_quarter
GROUP BY f.first_quarter, q.quarter, s.cohort_accounts
ORDER BY f.first_quarter, q.quarter
