-- fx_rates: every row of the fx_rates input (DESIGN §3: currency, month, rate_to_reporting), with its raw values
-- as text, how sql/include/checked_revenue_lines.sql reads it (same parsing: keep the two in step) and the first
-- problem that keeps the row from being used, NULL for a valid row. The job stops on any problem row, so no run
-- converts with a table it cannot trust. Empty when the table is absent (it always exists, empty).
--   currency_code   currency trimmed and upper-cased
--   month_key       year * 100 + month of a 'YYYY-MM' month, NULL when the month is not one
--   rate            rate_to_reporting as a number, NULL when it does not parse
-- Problems by priority: invalid_currency (not 3 letters A-Z), invalid_month, invalid_rate (not a number > 0),
-- reporting_currency_rate (a row for :reporting_currency whose rate is not 1), conflicting_rate (one currency and
-- month with different rates: every row of that pair; identical copies are fine).
WITH
parsed AS (
  SELECT
    r.currency,
    r.month_text AS "month",
    r.rate_text AS rate_to_reporting,
    UPPER(trim(r.currency, ' ')) AS currency_code,
    CASE
      WHEN LENGTH(r.month_text) = 7 AND SUBSTR(r.month_text, 5, 1) = '-'
        AND translate(SUBSTR(r.month_text, 1, 4) || SUBSTR(r.month_text, 6, 2), '0123456789', '') = ''
        AND TRY_CAST(SUBSTR(r.month_text, 6, 2) AS INTEGER) BETWEEN 1 AND 12
        THEN TRY_CAST(SUBSTR(r.month_text, 1, 4) AS INTEGER) * 100 + TRY_CAST(SUBSTR(r.month_text, 6, 2) AS INTEGER)
    END AS month_key,
    COALESCE(
      TRY_CAST(r.rate_raw AS DECIMAL(20, 10)),
      TRY_CAST(trim(CAST(r.rate_raw AS VARCHAR), ' ') AS DECIMAL(20, 10))
    ) AS rate
  FROM (
    SELECT
      NULLIF(CAST(currency AS VARCHAR), '') AS currency,
      trim(NULLIF(CAST("month" AS VARCHAR), ''), ' ') AS month_text,
      NULLIF(CAST(rate_to_reporting AS VARCHAR), '') AS rate_text,
      rate_to_reporting AS rate_raw
    FROM fx_rates
  ) r
),
own_problems AS (
  SELECT
    p.*,
    CASE
      WHEN p.currency_code IS NULL OR LENGTH(p.currency_code) <> 3
        OR translate(p.currency_code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') <> '' THEN 'invalid_currency'
      WHEN p.month_key IS NULL THEN 'invalid_month'
      WHEN p.rate IS NULL OR p.rate <= 0 THEN 'invalid_rate'
      WHEN p.currency_code = :reporting_currency AND p.rate <> 1 THEN 'reporting_currency_rate'
    END AS own_problem
  FROM parsed p
),
conflicts AS (
  SELECT currency_code, month_key
  FROM own_problems
  WHERE own_problem IS NULL
  GROUP BY currency_code, month_key
  HAVING COUNT(DISTINCT rate) > 1
)
SELECT
  o.currency,
  o."month",
  o.rate_to_reporting,
  o.currency_code,
  o.month_key,
  CAST(o.rate AS DOUBLE) AS rate,
  COALESCE(o.own_problem, CASE WHEN c.currency_code IS NOT NULL THEN 'conflicting_rate' END) AS problem
FROM own_problems o
LEFT JOIN conflicts c ON c.currency_code = o.currency_code AND c.month_key = o.month_key
ORDER BY o.currency_code NULLS LAST, o.month_key NULLS LAST, o.currency, o."month", o.rate_to_reporting
