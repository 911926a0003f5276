activity_rows AS (
  -- every activities row with its values as text, so a typed (Parquet) and an untyped (CSV) input compare alike
  SELECT
    TRIM(CAST(account_id AS VARCHAR)) AS account_id,
    TRIM(CAST(occurred_on AS VARCHAR)) AS occurred_on_text,
    LOWER(TRIM(CAST(kind AS VARCHAR))) AS kind,
    TRIM(CAST("count" AS VARCHAR)) AS count_text
  FROM activities
),
checked_activities AS (
  -- reason: the first problem by priority, NULL for a valid row; an empty count means one event
  SELECT
    v.account_id,
    v.occurred_on,
    v.kind,
    COALESCE(v.event_count, 1) AS events,
    CASE
      WHEN v.account_id IS NULL OR v.account_id = '' THEN 'missing_account_id'
      WHEN v.occurred_on IS NULL THEN 'unparsable_date'
      WHEN v.kind IS NULL OR v.kind = '' THEN 'missing_kind'
      WHEN v.count_text IS NOT NULL AND v.count_text <> '' AND v.event_count IS NULL THEN 'invalid_count'
      WHEN k.account_id IS NULL THEN 'unknown_account'
      WHEN v.occurred_on > CAST(:run_date AS DATE) THEN 'future_dated'
    END AS reason
  FROM (
    SELECT
      r.account_id,
      TRY_CAST(substr(r.occurred_on_text, 1, 10) AS DATE) AS occurred_on,
      r.kind,
      r.count_text,
      -- digits only, so '2.5' and '-2' are invalid on both engines (they differ on casting '2.5' to BIGINT,
      -- and DuckDB has no regexp_like)
      CASE
        WHEN length(r.count_text) BETWEEN 1 AND 12 AND translate(r.count_text, '0123456789', '') = ''
          THEN CAST(r.count_text AS BIGINT)
      END AS event_count
    FROM activity_rows r
  ) v
  LEFT JOIN known_accounts k ON k.account_id = v.account_id
)
