-- fx_conversion: the revenue lines in a currency other than :reporting_currency, for :run_date, per currency and
-- booking month (YYYY-MM) and outcome, from sql/include/checked_revenue_lines.sql:
--   converted         valid lines (what account_features.sql counts: known account, not after :run_date, each
--                     group of identical lines once) converted with that month's fx_rates row
--   missing_fx_rate   lines quarantined because fx_rates has no row for their currency and month
--   invalid_currency  lines quarantined because their currency is not 3 letters A-Z (currency = the raw text)
-- lines: input lines (every copy of a quarantined line); original_amount: their sum in their own currency;
-- amount: the sum in the reporting currency (NULL when they could not be converted).
WITH
-- @include checked_accounts
,
foreign_lines AS (
  SELECT
    CASE WHEN l.line_problem = 'invalid_currency' THEN COALESCE(l.currency, '') ELSE l.currency_code END AS currency,
    SUBSTR(CAST(l.booked_on AS VARCHAR), 1, 7) AS booked_month,
    CASE
      WHEN l.line_problem IN ('missing_fx_rate', 'invalid_currency') THEN l.line_problem
      WHEN l.line_problem IS NULL AND NOT l.is_future AND k.account_id IS NOT NULL THEN 'converted'
    END AS outcome,
    l.original_amount,
    l.amount,
    l.copies
  FROM (
-- @include checked_revenue_lines
  ) l
  LEFT JOIN known_accounts k ON k.account_id = l.account_id
  WHERE l.currency_code <> :reporting_currency
)
SELECT
  outcome,
  currency,
  booked_month AS "month",
  SUM(CASE WHEN outcome = 'converted' THEN 1 ELSE copies END) AS lines,
  CAST(SUM(CASE WHEN outcome = 'converted' THEN original_amount ELSE original_amount * copies END) AS DOUBLE)
    AS original_amount,
  CAST(SUM(CASE WHEN outcome = 'converted' THEN amount END) AS DOUBLE) AS amount
FROM foreign_lines
WHERE outcome IS NOT NULL
GROUP BY outcome, currency, booked_month
ORDER BY outcome, currency, booked_month
