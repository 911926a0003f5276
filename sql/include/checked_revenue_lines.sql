  -- checked_revenue_lines: the revenue lines as groups of identical lines, one row per group, `copies` = how many
  -- input lines it stands for. Identical = equal ids, date, amount, currency and product (and, for a value that
  -- does not parse, equal raw text). Grouping once here is the one pass over every line that the duplicate check
  -- needs; the including queries then aggregate groups only (the local engine evaluates it once per run date).
  -- booked_on and amount are parsed (NULL when unparsable); booked_on_text / amount_text keep the raw value of
  -- one that does not parse, for the quarantine. line_problem: the first reason by priority that a line has on
  -- its own, NULL when none. The including query decides unknown_account (against known_accounts), then
  -- duplicate_line (copies > 1 of a problem-free group: all copies but one), then future_dated.
  SELECT
    g.account_id, g.invoice_id, g.booked_on, g.amount, g.currency, g.product, g.booked_on_text, g.amount_text,
    g.line_problem, g.is_future, COUNT(*) AS copies
  FROM (
    SELECT
      v.account_id, v.invoice_id, v.booked_on, v.amount, v.currency, v.product,
      CASE WHEN v.booked_on IS NULL THEN CAST(v.booked_on_raw AS VARCHAR) END AS booked_on_text,
      CASE WHEN v.amount IS NULL THEN CAST(v.amount_raw AS VARCHAR) END AS amount_text,
      CASE
        -- blank ids: the LIKE prefix test spares a TRIM of every id
        WHEN v.account_id IS NULL OR v.account_id = '' OR (v.account_id LIKE ' %' AND TRIM(v.account_id) = '')
          THEN 'missing_account_id'
        WHEN v.invoice_id IS NULL OR v.invoice_id = '' OR (v.invoice_id LIKE ' %' AND TRIM(v.invoice_id) = '')
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
          CAST(account_id AS VARCHAR) AS account_id,
          CAST(invoice_id AS VARCHAR) AS invoice_id,
          -- typeof() is fixed at planning, so a typed DATE column skips the text checks altogether
          CASE WHEN lower(typeof(booked_on)) = 'date' THEN TRY_CAST(booked_on AS DATE) END AS booked_on_typed,
          CASE WHEN lower(typeof(booked_on)) <> 'date' THEN TRIM(CAST(booked_on AS VARCHAR)) END AS booked_on_text,
          -- typed amounts cast directly; text is trimmed first because older Trino rejects surrounding blanks
          COALESCE(TRY_CAST(amount AS DECIMAL(18, 2)), TRY_CAST(TRIM(CAST(amount AS VARCHAR)) AS DECIMAL(18, 2))) AS amount,
          CAST(currency AS VARCHAR) AS currency,
          CAST(product AS VARCHAR) AS product,
          booked_on AS booked_on_raw,
          amount AS amount_raw
        FROM revenue_lines
      ) t
    ) v
  ) g
  GROUP BY
    g.account_id, g.invoice_id, g.booked_on, g.amount, g.currency, g.product, g.booked_on_text, g.amount_text,
    g.line_problem, g.is_future
