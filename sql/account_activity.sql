-- account_activity: per valid account with activity, its activity at :period_end (run on :run_date) from the
-- optional activities input, valid rows only (see activity_quarantine.sql). Events: the row's count, or 1
-- when the count is empty.
--   recent_events      events in the 3 calendar months ending at :period_end
--   baseline_events    events in the 12 calendar months before those 3
WITH
-- @include checked_accounts
,
parsed_activities AS (
-- @include parsed_activities
),
-- @include checked_activities
,
windowed AS (
  SELECT
    account_id,
    events,
    -- calendar months, as the T12M window: the period's last month and the two before it
    occurred_on >= CAST(date_trunc('month', CAST(:period_end AS DATE)) - INTERVAL '2' MONTH AS DATE) AS is_recent
  FROM checked_activities
  WHERE reason IS NULL
    AND occurred_on <= CAST(:period_end AS DATE)
    AND occurred_on >= CAST(date_trunc('month', CAST(:period_end AS DATE)) - INTERVAL '14' MONTH AS DATE)
)
SELECT
  account_id,
  SUM(CASE WHEN is_recent THEN events ELSE 0 END) AS recent_events,
  SUM(CASE WHEN is_recent THEN 0 ELSE events END) AS baseline_events
FROM windowed
GROUP BY account_id
ORDER BY account_id
