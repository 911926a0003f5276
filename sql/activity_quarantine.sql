-- activity_quarantine: rows checked and rows set aside in the optional activities input, for :run_date.
-- One row per reason with row_count; the row with reason NULL carries the number of rows checked.
-- Priority of reasons: missing_account_id, unparsable_date, missing_kind, invalid_count (not a whole number
-- >= 0), unknown_account (not a valid account), future_dated (after :run_date).
WITH
-- @include checked_accounts
,
-- @include checked_activities
SELECT CAST(NULL AS VARCHAR) AS reason, COUNT(*) AS row_count FROM checked_activities
UNION ALL
SELECT reason, COUNT(*) AS row_count FROM checked_activities WHERE reason IS NOT NULL GROUP BY reason
ORDER BY reason NULLS FIRST
