-- campaign_responses: the valid campaign responses (see campaign_quarantine.sql) of campaigns sent in the 12 months
-- ending at :period_end (run on :run_date), one row per campaign and account, each with the account's T12M revenue
-- at the send date (valid revenue lines booked in the 12 months ending on sent_on, each group of identical lines
-- once), from which the job gives the segment the account had when the campaign reached it.
WITH
-- @include checked_accounts
,
parsed_campaign_responses AS (
-- @include parsed_campaign_responses
),
-- @include checked_campaign_responses
,
sends AS (
  SELECT campaign_id, account_id, sent_on, responded, converted, campaign_type
  FROM checked_campaign_responses
  WHERE reason IS NULL
    AND sent_on <= CAST(:period_end AS DATE)
    -- the 12 calendar months ending with the period's last month, as the T12M window
    AND sent_on >= CAST(date_trunc('month', CAST(:period_end AS DATE)) - INTERVAL '11' MONTH AS DATE)
),
send_days AS (
  SELECT DISTINCT account_id, sent_on FROM sends
),
revenue_at_send AS (
  SELECT d.account_id, d.sent_on, SUM(l.amount) AS revenue_t12m
  FROM send_days d
  JOIN (
-- @include checked_revenue_lines
  ) l ON l.account_id = d.account_id
  WHERE l.line_problem IS NULL
    AND NOT l.is_future
    AND l.booked_on <= d.sent_on
    AND l.booked_on > CAST(d.sent_on - INTERVAL '12' MONTH AS DATE)
  GROUP BY d.account_id, d.sent_on
)
SELECT
  s.campaign_id,
  CASE WHEN s.campaign_type IS NULL OR s.campaign_type = '' THEN NULL ELSE s.campaign_type END AS campaign_type,
  s.account_id,
  s.sent_on,
  s.responded,
  s.converted,
  CAST(COALESCE(r.revenue_t12m, 0) AS DOUBLE) AS revenue_t12m_at_send
FROM sends s
LEFT JOIN revenue_at_send r ON r.account_id = s.account_id AND r.sent_on = s.sent_on
ORDER BY s.campaign_id, s.account_id
