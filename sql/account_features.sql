-- account_features: one row per valid account at :period_end (run on :run_date), over valid lines only.
-- Valid lines are those quarantine_summary.sql does not quarantine: each group of identical lines counts once,
-- lines after :run_date are left out. Revenue windows read the 24 calendar months ending with the month of
-- :period_end (m00 = that month, m23 = 23 months before); first/last invoice read all history up to
-- :period_end, using only the columns they need. Sums are DECIMAL(18, 2), returned as DOUBLE, in the reporting
-- currency :reporting_currency (lines in other currencies converted by month with fx_rates).
WITH
-- @include checked_accounts
,
kept_accounts AS (
  SELECT * FROM checked_accounts WHERE reason IS NULL OR reason = 'invalid_owner_email'
),
history AS (
  SELECT account_id, MIN(booked_on) AS first_invoice_on, MAX(booked_on) AS last_invoice_on
  FROM (
-- @include checked_revenue_lines
  ) l
  WHERE line_problem IS NULL AND NOT is_future AND booked_on <= CAST(:period_end AS DATE)
  GROUP BY account_id
),
window_lines AS (
  -- the valid lines of the 24-month window, each group of identical lines once
  SELECT
    account_id,
    invoice_id,
    amount,
    (year(CAST(:period_end AS DATE)) * 12 + month(CAST(:period_end AS DATE)))
      - (year(booked_on) * 12 + month(booked_on)) AS months_back
  FROM (
-- @include checked_revenue_lines
  ) l
  WHERE
    line_problem IS NULL
    AND NOT is_future
    AND booked_on <= CAST(:period_end AS DATE)
    AND booked_on >= CAST(date_trunc('month', CAST(:period_end AS DATE)) - INTERVAL '23' MONTH AS DATE)
),
window_totals AS (
  -- from invoice-months (one short chain, so nothing is materialized): 24 monthly sums and distinct invoices
  SELECT
    account_id,
    COUNT(DISTINCT CASE WHEN months_back < 12 THEN invoice_id END) AS invoices_t12m,
    COUNT(DISTINCT CASE WHEN months_back >= 12 THEN invoice_id END) AS invoices_prior_t12m,
    SUM(CASE WHEN months_back = 0 THEN amount ELSE 0 END) AS m00,
    SUM(CASE WHEN months_back = 1 THEN amount ELSE 0 END) AS m01,
    SUM(CASE WHEN months_back = 2 THEN amount ELSE 0 END) AS m02,
    SUM(CASE WHEN months_back = 3 THEN amount ELSE 0 END) AS m03,
    SUM(CASE WHEN months_back = 4 THEN amount ELSE 0 END) AS m04,
    SUM(CASE WHEN months_back = 5 THEN amount ELSE 0 END) AS m05,
    SUM(CASE WHEN months_back = 6 THEN amount ELSE 0 END) AS m06,
    SUM(CASE WHEN months_back = 7 THEN amount ELSE 0 END) AS m07,
    SUM(CASE WHEN months_back = 8 THEN amount ELSE 0 END) AS m08,
    SUM(CASE WHEN months_back = 9 THEN amount ELSE 0 END) AS m09,
    SUM(CASE WHEN months_back = 10 THEN amount ELSE 0 END) AS m10,
    SUM(CASE WHEN months_back = 11 THEN amount ELSE 0 END) AS m11,
    SUM(CASE WHEN months_back = 12 THEN amount ELSE 0 END) AS m12,
    SUM(CASE WHEN months_back = 13 THEN amount ELSE 0 END) AS m13,
    SUM(CASE WHEN months_back = 14 THEN amount ELSE 0 END) AS m14,
    SUM(CASE WHEN months_back = 15 THEN amount ELSE 0 END) AS m15,
    SUM(CASE WHEN months_back = 16 THEN amount ELSE 0 END) AS m16,
    SUM(CASE WHEN months_back = 17 THEN amount ELSE 0 END) AS m17,
    SUM(CASE WHEN months_back = 18 THEN amount ELSE 0 END) AS m18,
    SUM(CASE WHEN months_back = 19 THEN amount ELSE 0 END) AS m19,
    SUM(CASE WHEN months_back = 20 THEN amount ELSE 0 END) AS m20,
    SUM(CASE WHEN months_back = 21 THEN amount ELSE 0 END) AS m21,
    SUM(CASE WHEN months_back = 22 THEN amount ELSE 0 END) AS m22,
    SUM(CASE WHEN months_back = 23 THEN amount ELSE 0 END) AS m23
  FROM (
    SELECT account_id, invoice_id, months_back, CAST(SUM(amount) AS DECIMAL(18, 2)) AS amount
    FROM window_lines
    GROUP BY account_id, invoice_id, months_back
  ) i
  GROUP BY account_id
)
SELECT
  a.account_id,
  COALESCE(NULLIF(trim(a.account_name, ' '), ''), a.account_id) AS account_name,
  CASE WHEN a.has_valid_email THEN a.owner_email ELSE '' END AS owner_email,
  COALESCE(a.owner_name, '') AS owner_name,
  NULLIF(trim(a.industry, ' '), '') AS industry,
  NULLIF(trim(a.country, ' '), '') AS country,
  TRY_CAST(a.employee_count_text AS DOUBLE) AS employee_count,
  CASE
    WHEN LENGTH(a.created_on_text) = 10 AND SUBSTR(a.created_on_text, 5, 1) = '-' AND SUBSTR(a.created_on_text, 8, 1) = '-'
      THEN TRY_CAST(a.created_on_text AS DATE)
  END AS created_on,
  CASE
    WHEN LENGTH(a.last_reviewed_on_text) = 10 AND SUBSTR(a.last_reviewed_on_text, 5, 1) = '-' AND SUBSTR(a.last_reviewed_on_text, 8, 1) = '-'
      THEN TRY_CAST(a.last_reviewed_on_text AS DATE)
  END AS last_reviewed_on,
  CAST(COALESCE(w.m00 + w.m01 + w.m02 + w.m03 + w.m04 + w.m05 + w.m06 + w.m07 + w.m08 + w.m09 + w.m10 + w.m11, 0) AS DOUBLE) AS revenue_t12m,
  CAST(COALESCE(w.m12 + w.m13 + w.m14 + w.m15 + w.m16 + w.m17 + w.m18 + w.m19 + w.m20 + w.m21 + w.m22 + w.m23, 0) AS DOUBLE) AS revenue_prior_t12m,
  COALESCE(w.invoices_t12m, 0) AS invoices_t12m,
  COALESCE(w.invoices_prior_t12m, 0) AS invoices_prior_t12m,
  h.first_invoice_on,
  h.last_invoice_on,
  -- date_diff('day', a, b) = b - a on both DuckDB and Trino
  date_diff('day', h.last_invoice_on, CAST(:period_end AS DATE)) AS recency_days,
  date_diff('day', h.first_invoice_on, CAST(:period_end AS DATE)) AS tenure_days,
  CAST(COALESCE(w.m00, 0) AS DOUBLE) AS m00,
  CAST(COALESCE(w.m01, 0) AS DOUBLE) AS m01,
  CAST(COALESCE(w.m02, 0) AS DOUBLE) AS m02,
  CAST(COALESCE(w.m03, 0) AS DOUBLE) AS m03,
  CAST(COALESCE(w.m04, 0) AS DOUBLE) AS m04,
  CAST(COALESCE(w.m05, 0) AS DOUBLE) AS m05,
  CAST(COALESCE(w.m06, 0) AS DOUBLE) AS m06,
  CAST(COALESCE(w.m07, 0) AS DOUBLE) AS m07,
  CAST(COALESCE(w.m08, 0) AS DOUBLE) AS m08,
  CAST(COALESCE(w.m09, 0) AS DOUBLE) AS m09,
  CAST(COALESCE(w.m10, 0) AS DOUBLE) AS m10,
  CAST(COALESCE(w.m11, 0) AS DOUBLE) AS m11,
  CAST(COALESCE(w.m12, 0) AS DOUBLE) AS m12,
  CAST(COALESCE(w.m13, 0) AS DOUBLE) AS m13,
  CAST(COALESCE(w.m14, 0) AS DOUBLE) AS m14,
  CAST(COALESCE(w.m15, 0) AS DOUBLE) AS m15,
  CAST(COALESCE(w.m16, 0) AS DOUBLE) AS m16,
  CAST(COALESCE(w.m17, 0) AS DOUBLE) AS m17,
  CAST(COALESCE(w.m18, 0) AS DOUBLE) AS m18,
  CAST(COALESCE(w.m19, 0) AS DOUBLE) AS m19,
  CAST(COALESCE(w.m20, 0) AS DOUBLE) AS m20,
  CAST(COALESCE(w.m21, 0) AS DOUBLE) AS m21,
  CAST(COALESCE(w.m22, 0) AS DOUBLE) AS m22,
  CAST(COALESCE(w.m23, 0) AS DOUBLE) AS m23
FROM kept_accounts a
LEFT JOIN history h ON h.account_id = a.account_id
LEFT JOIN window_totals w ON w.account_id = a.account_id
ORDER BY a.account_id
