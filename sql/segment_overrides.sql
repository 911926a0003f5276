-- segment_overrides: the sales team's segment overrides (optional input, issue 8), one row per input row,
-- every value as text so the job can reject a bad row with a message instead of failing the query.
-- The job checks each row against the accounts and the configured segments (checkSegmentOverrides).
SELECT
  NULLIF(CAST(account_id AS VARCHAR), '') AS account_id,
  NULLIF(CAST(segment AS VARCHAR), '') AS segment,
  NULLIF(CAST(reason AS VARCHAR), '') AS reason,
  NULLIF(CAST(set_by AS VARCHAR), '') AS set_by,
  NULLIF(CAST(expires_on AS VARCHAR), '') AS expires_on
FROM segment_overrides
