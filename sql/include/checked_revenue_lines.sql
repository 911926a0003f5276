  -- checked_revenue_lines: a SELECT over revenue_lines, included as a subquery wherever lines are read, so
  -- each use scans only the columns and dates it needs (a shared CTE would be materialized whole by DuckDB).
  -- booked_on and amount are parsed (NULL when unparsable); the raw values are kept for the quarantine.
  -- line_problem: the first reason by priority that a line has on its own, NULL when none. The including
  -- query decides unknown_account (against known_accounts), then duplicate_line (identical problem-free
  -- lines: equal ids, date, amount, currency and product; all copies but one), then future_dated.
  SELECT
    v.*,
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
