-- campaign_quarantine: the rows of the optional campaign_responses input set aside on :run_date, with their raw
-- values. The first row (reason NULL) carries the number of rows checked; then one row per group of identical bad
-- rows with row_count = how many input rows it stands for.
-- Priority of reasons: missing_campaign_id, missing_account_id, unparsable_sent_on (not YYYY-MM-DD),
-- unparsable_flag (responded or converted not true/false, yes/no or 1/0), converted_without_response,
-- unknown_account (not a valid account), future_sent_on (after :run_date), duplicate_response (the same account
-- twice in one campaign; the row with the furthest outcome is kept).
WITH
-- @include checked_accounts
,
parsed_campaign_responses AS (
-- @include parsed_campaign_responses
),
-- @include checked_campaign_responses
SELECT
  CAST(NULL AS VARCHAR) AS reason,
  COUNT(*) AS row_count,
  CAST(NULL AS VARCHAR) AS campaign_id,
  CAST(NULL AS VARCHAR) AS account_id,
  CAST(NULL AS VARCHAR) AS sent_on,
  CAST(NULL AS VARCHAR) AS responded,
  CAST(NULL AS VARCHAR) AS converted
FROM checked_campaign_responses
UNION ALL
SELECT reason, COUNT(*) AS row_count, campaign_id, account_id, sent_on_text, responded_text, converted_text
FROM checked_campaign_responses
WHERE reason IS NOT NULL
GROUP BY reason, campaign_id, account_id, sent_on_text, responded_text, converted_text
ORDER BY reason NULLS FIRST, campaign_id NULLS FIRST, account_id NULLS FIRST, sent_on NULLS FIRST,
  responded NULLS FIRST, converted NULLS FIRST
