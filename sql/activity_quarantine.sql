-- activity_quarantine: the rows of the optional activities input set aside on :run_date, with their raw values.
-- The first row (reason NULL) carries the number of rows checked; then one row per group of identical bad rows
-- with row_count = how many input rows it stands for.
-- Priority of reasons: missing_account_id, unparsable_occurred_on (not YYYY-MM-DD), missing_kind, invalid_count
-- (not a whole number >= 0), unknown_account (not a valid account), future_occurred_on (after :run_date).
WITH
-- @include checked_accounts
,
parsed_activities AS (
-- @include parsed_activities
),
-- @include checked_activities
SELECT
  CAST(NULL AS VARCHAR) AS reason,
  COUNT(*) AS row_count,
  CAST(NULL AS VARCHAR) AS account_id,
  CAST(NULL AS VARCHAR) AS occurred_on,
  CAST(NULL AS VARCHAR) AS kind,
  CAST(NULL AS VARCHAR) AS event_count
FROM checked_activities
UNION ALL
SELECT reason, COUNT(*) AS row_count, account_id, occurred_on_text, kind, count_text
FROM checked_activities
WHERE reason IS NOT NULL
GROUP BY reason, account_id, occurred_on_text, kind, count_text
ORDER BY reason NULLS FIRST, account_id NULLS FIRST, occurred_on NULLS FIRST, kind NULLS FIRST, event_count NULLS FIRST
