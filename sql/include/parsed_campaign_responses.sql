  -- parsed_campaign_responses: every row of the optional campaign_responses input, its values as text (so a typed
  -- Parquet and an untyped CSV input compare alike) and parsed. Flags read true/false, yes/no and 1/0 in any case;
  -- anything else is NULL. row_problem is the first problem the row has on its own, by priority:
  -- missing_campaign_id, missing_account_id, unparsable_sent_on (not YYYY-MM-DD), unparsable_flag,
  -- converted_without_response; NULL when none. Parameter-free, so the local engine evaluates it once and every
  -- run reads it; the including query decides unknown_account, future_sent_on and duplicate_response.
  SELECT
    p.*,
    CASE
      WHEN p.campaign_id IS NULL OR p.campaign_id = '' THEN 'missing_campaign_id'
      WHEN p.account_id IS NULL OR p.account_id = '' THEN 'missing_account_id'
      WHEN p.sent_on IS NULL THEN 'unparsable_sent_on'
      WHEN p.responded IS NULL OR p.converted IS NULL THEN 'unparsable_flag'
      WHEN p.converted AND NOT p.responded THEN 'converted_without_response'
    END AS row_problem
  FROM (
    SELECT
      r.*,
      CASE
        WHEN length(r.sent_on_text) >= 10 AND substr(r.sent_on_text, 5, 1) = '-' AND substr(r.sent_on_text, 8, 1) = '-'
          THEN TRY_CAST(substr(r.sent_on_text, 1, 10) AS DATE)
      END AS sent_on,
      CASE WHEN r.responded_text IN ('true', 'yes', '1') THEN TRUE WHEN r.responded_text IN ('false', 'no', '0') THEN FALSE END
        AS responded,
      CASE WHEN r.converted_text IN ('true', 'yes', '1') THEN TRUE WHEN r.converted_text IN ('false', 'no', '0') THEN FALSE END
        AS converted
    FROM (
      SELECT
        trim(NULLIF(CAST(campaign_id AS VARCHAR), ''), ' ') AS campaign_id,
        trim(NULLIF(CAST(account_id AS VARCHAR), ''), ' ') AS account_id,
        trim(NULLIF(CAST(sent_on AS VARCHAR), ''), ' ') AS sent_on_text,
        LOWER(trim(NULLIF(CAST(responded AS VARCHAR), ''), ' ')) AS responded_text,
        LOWER(trim(NULLIF(CAST(converted AS VARCHAR), ''), ' ')) AS converted_text,
        LOWER(trim(NULLIF(CAST(campaign_type AS VARCHAR), ''), ' ')) AS campaign_type
      FROM campaign_responses
    ) r
  ) p
