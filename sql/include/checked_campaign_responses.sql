checked_campaign_responses AS (
  -- every campaign_responses row (parsed_campaign_responses, which the including query defines) with its reason:
  -- its own problem first, then unknown_account (not a valid account), future_sent_on (after :run_date), then
  -- duplicate_response: an account answers a campaign once, so of several otherwise valid rows of one campaign
  -- and account the one with the furthest outcome (converted, then responded, then the earliest send) is kept
  SELECT
    c.campaign_id, c.account_id, c.sent_on, c.sent_on_text, c.responded, c.converted, c.responded_text,
    c.converted_text, c.campaign_type,
    CASE
      WHEN c.problem IS NOT NULL THEN c.problem
      WHEN c.copy_number > 1 THEN 'duplicate_response'
    END AS reason
  FROM (
    SELECT
      q.*,
      ROW_NUMBER() OVER (
        PARTITION BY q.campaign_id, q.account_id, q.problem
        ORDER BY q.converted DESC, q.responded DESC, q.sent_on, q.campaign_type NULLS LAST
      ) AS copy_number
    FROM (
      SELECT
        p.*,
        CASE
          WHEN p.row_problem IS NOT NULL THEN p.row_problem
          WHEN k.account_id IS NULL THEN 'unknown_account'
          WHEN p.sent_on > CAST(:run_date AS DATE) THEN 'future_sent_on'
        END AS problem
      FROM parsed_campaign_responses p
      LEFT JOIN known_accounts k ON k.account_id = p.account_id
    ) q
  ) c
)
