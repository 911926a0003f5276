  -- parsed_activities: every row of the optional activities input, its values as text (so a typed Parquet and an
  -- untyped CSV input compare alike) and parsed; row_problem is the first problem the row has on its own, by
  -- priority: missing_account_id, unparsable_occurred_on (not YYYY-MM-DD), missing_kind, invalid_count (not a
  -- whole number >= 0); NULL when none. An empty count means one event. Parameter-free, so the local engine
  -- evaluates it once and every run reads it; the including query decides unknown_account and future_occurred_on.
  SELECT
    v.account_id,
    v.occurred_on,
    v.occurred_on_text,
    v.kind,
    v.count_text,
    COALESCE(v.event_count, 1) AS events,
    CASE
      WHEN v.account_id IS NULL OR v.account_id = '' THEN 'missing_account_id'
      WHEN v.occurred_on IS NULL THEN 'unparsable_occurred_on'
      WHEN v.kind IS NULL OR v.kind = '' THEN 'missing_kind'
      WHEN v.count_text IS NOT NULL AND v.count_text <> '' AND v.event_count IS NULL THEN 'invalid_count'
    END AS row_problem
  FROM (
    SELECT
      r.account_id,
      -- YYYY-MM-DD only, on every engine (DuckDB alone would also read 2026/01/05)
      CASE
        WHEN length(r.occurred_on_text) >= 10 AND substr(r.occurred_on_text, 5, 1) = '-'
          AND substr(r.occurred_on_text, 8, 1) = '-'
          THEN TRY_CAST(substr(r.occurred_on_text, 1, 10) AS DATE)
      END AS occurred_on,
      r.occurred_on_text,
      r.kind,
      r.count_text,
      -- digits only, so '2.5' and '-2' are invalid on both engines (they differ on casting '2.5' to BIGINT,
      -- and DuckDB has no regexp_like)
      CASE
        WHEN length(r.count_text) BETWEEN 1 AND 12 AND translate(r.count_text, '0123456789', '') = ''
          THEN CAST(r.count_text AS BIGINT)
      END AS event_count
    FROM (
      SELECT
        trim(NULLIF(CAST(account_id AS VARCHAR), ''), ' ') AS account_id,
        trim(NULLIF(CAST(occurred_on AS VARCHAR), ''), ' ') AS occurred_on_text,
        LOWER(trim(NULLIF(CAST(kind AS VARCHAR), ''), ' ')) AS kind,
        trim(NULLIF(CAST("count" AS VARCHAR), ''), ' ') AS count_text
      FROM activities
    ) r
  ) v
