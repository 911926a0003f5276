  -- checked_revenue_lines: the revenue lines as groups of identical lines, one row per group, `copies` = how many
  -- input lines it stands for. Identical = equal ids, date, amount, currency and product (and, for a value that
  -- does not parse, equal raw text). Grouping once here is the one pass over every line that the duplicate check
  -- needs; the including queries then aggregate groups only (the local engine evaluates it once per run date).
  -- booked_on and amount are parsed (NULL when unparsable); booked_on_text / amount_text keep the raw value of
  -- one that does not parse, for the quarantine.
  -- Currencies: `amount` is in the reporting currency (:reporting_currency), `original_amount` in the line's own.
  -- currency_code is the line's currency trimmed and upper-cased; an empty or NULL currency means the reporting
  -- currency (a single-currency export may leave it blank). A line in another currency is converted with the
  -- fx_rates row of its currency and booking month (rate_to_reporting, 'YYYY-MM'), rounded to cents; amount is
  -- NULL when it cannot be converted. fx_rates rows that are not valid (currency not 3 letters, month not
  -- YYYY-MM, rate not a number > 0, or one currency and month with different rates) are never used; the job
  -- stops on them before this runs (sql/fx_rates.sql). The table always exists: it is empty when absent.
  -- line_problem: the first reason by priority that a line has on its own, NULL when none: missing_account_id,
  -- missing_invoice_id, unparsable_date, unparsable_amount, invalid_currency (not 3 letters A-Z),
  -- missing_fx_rate (no rate for its currency and month; not for a line after :run_date, which is future_dated).
  -- The including query decides unknown_account (against known_accounts), then duplicate_line (copies > 1 of a
  -- problem-free group: all copies but one), then future_dated.
  SELECT
    c.account_id, c.invoice_id, c.booked_on,
    CASE
      WHEN c.currency_code = :reporting_currency THEN c.amount
      ELSE CAST(c.amount * fx.rate AS DECIMAL(18, 2))
    END AS amount,
    c.amount AS original_amount, c.currency, c.currency_code, c.product, c.booked_on_text, c.amount_text,
    CASE
      WHEN c.line_problem IS NOT NULL THEN c.line_problem
      -- most lines are in the reporting currency, and a line with a rate has a valid code (the rate's): neither
      -- needs its code checked
      WHEN c.currency_code = :reporting_currency OR fx.rate IS NOT NULL THEN NULL
      WHEN LENGTH(c.currency_code) <> 3 OR translate(c.currency_code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') <> ''
        THEN 'invalid_currency'
      WHEN NOT c.is_future THEN 'missing_fx_rate'
    END AS line_problem,
    c.is_future, c.copies
  FROM (
    SELECT
      grouped.*,
      CASE
        -- the common case first, so a single-currency book does no string work per line
        WHEN grouped.currency = :reporting_currency THEN grouped.currency
        WHEN grouped.currency IS NULL OR trim(grouped.currency, ' ') = '' THEN :reporting_currency
        ELSE UPPER(trim(grouped.currency, ' '))
      END AS currency_code
    FROM (
      SELECT
        g.account_id, g.invoice_id, g.booked_on, g.amount, g.currency, g.product, g.booked_on_text, g.amount_text,
        g.line_problem, g.is_future, COUNT(*) AS copies
      FROM (
        SELECT
          v.account_id, v.invoice_id, v.booked_on, v.amount, v.currency, v.product,
          CASE WHEN v.booked_on IS NULL THEN NULLIF(CAST(v.booked_on_raw AS VARCHAR), '') END AS booked_on_text,
          CASE WHEN v.amount IS NULL THEN NULLIF(CAST(v.amount_raw AS VARCHAR), '') END AS amount_text,
          CASE
            -- blank ids: the LIKE prefix test spares a TRIM of every id
            WHEN v.account_id IS NULL OR v.account_id = '' OR (v.account_id LIKE ' %' AND trim(v.account_id, ' ') = '')
              THEN 'missing_account_id'
            WHEN v.invoice_id IS NULL OR v.invoice_id = '' OR (v.invoice_id LIKE ' %' AND trim(v.invoice_id, ' ') = '')
              THEN 'missing_invoice_id'
            WHEN v.booked_on IS NULL THEN 'unparsable_date'
            WHEN v.amount IS NULL THEN 'unparsable_amount'
          END AS line_problem,
          COALESCE(v.booked_on > CAST(:run_date AS DATE), FALSE) AS is_future
        FROM (
          SELECT
            t.account_id,
            t.invoice_id,
            CASE
              WHEN t.booked_on_typed IS NOT NULL THEN t.booked_on_typed
              -- text must be YYYY-MM-DD on every engine (DuckDB alone would also read 2026/01/05 or 2026-1-5)
              WHEN LENGTH(t.booked_on_text) = 10 AND SUBSTR(t.booked_on_text, 5, 1) = '-' AND SUBSTR(t.booked_on_text, 8, 1) = '-'
                THEN TRY_CAST(t.booked_on_text AS DATE)
            END AS booked_on,
            t.amount,
            t.currency,
            t.product,
            t.booked_on_raw,
            t.amount_raw
          FROM (
            SELECT
              NULLIF(CAST(account_id AS VARCHAR), '') AS account_id,
              NULLIF(CAST(invoice_id AS VARCHAR), '') AS invoice_id,
              -- typeof() is fixed at planning, so a typed DATE column skips the text checks altogether
              CASE WHEN lower(typeof(booked_on)) = 'date' THEN TRY_CAST(booked_on AS DATE) END AS booked_on_typed,
              CASE WHEN lower(typeof(booked_on)) <> 'date' THEN trim(NULLIF(CAST(booked_on AS VARCHAR), ''), ' ') END AS booked_on_text,
              -- typed amounts cast directly; text is trimmed first because older Trino rejects surrounding blanks
              COALESCE(TRY_CAST(amount AS DECIMAL(18, 2)), TRY_CAST(trim(NULLIF(CAST(amount AS VARCHAR), ''), ' ') AS DECIMAL(18, 2))) AS amount,
              NULLIF(CAST(currency AS VARCHAR), '') AS currency,
              NULLIF(CAST(product AS VARCHAR), '') AS product,
              booked_on AS booked_on_raw,
              amount AS amount_raw
            FROM revenue_lines
          ) t
        ) v
      ) g
      GROUP BY
        g.account_id, g.invoice_id, g.booked_on, g.amount, g.currency, g.product, g.booked_on_text, g.amount_text,
        g.line_problem, g.is_future
    ) grouped
  ) c
  LEFT JOIN (
    -- the valid fx_rates rows, one per currency and month (same parsing as sql/fx_rates.sql)
    SELECT f.currency, f.month_key, MIN(f.rate) AS rate
    FROM (
      SELECT
        UPPER(trim(CAST(r.currency AS VARCHAR), ' ')) AS currency,
        CASE
          WHEN LENGTH(r.month_text) = 7 AND SUBSTR(r.month_text, 5, 1) = '-'
            AND translate(SUBSTR(r.month_text, 1, 4) || SUBSTR(r.month_text, 6, 2), '0123456789', '') = ''
            AND TRY_CAST(SUBSTR(r.month_text, 6, 2) AS INTEGER) BETWEEN 1 AND 12
            THEN TRY_CAST(SUBSTR(r.month_text, 1, 4) AS INTEGER) * 100 + TRY_CAST(SUBSTR(r.month_text, 6, 2) AS INTEGER)
        END AS month_key,
        COALESCE(
          TRY_CAST(r.rate_to_reporting AS DECIMAL(20, 10)),
          TRY_CAST(trim(CAST(r.rate_to_reporting AS VARCHAR), ' ') AS DECIMAL(20, 10))
        ) AS rate
      FROM (
        SELECT currency, trim(NULLIF(CAST("month" AS VARCHAR), ''), ' ') AS month_text, rate_to_reporting FROM fx_rates
      ) r
    ) f
    WHERE LENGTH(f.currency) = 3 AND translate(f.currency, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') = ''
      AND f.month_key IS NOT NULL AND f.rate > 0
    GROUP BY f.currency, f.month_key
    HAVING COUNT(DISTINCT f.rate) = 1
  ) fx
    ON fx.currency = c.currency_code AND fx.month_key = year(c.booked_on) * 100 + month(c.booked_on)
