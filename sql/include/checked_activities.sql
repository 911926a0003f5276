checked_activities AS (
  -- every activities row (parsed_activities, which the including query defines) with its reason: the first
  -- problem by priority, NULL for a valid row; after the row's own problems, unknown_account (not a valid
  -- account), then future_occurred_on (after :run_date)
  SELECT
    a.account_id,
    a.occurred_on,
    a.occurred_on_text,
    a.kind,
    a.count_text,
    a.events,
    CASE
      WHEN a.row_problem IS NOT NULL THEN a.row_problem
      WHEN k.account_id IS NULL THEN 'unknown_account'
      WHEN a.occurred_on > CAST(:run_date AS DATE) THEN 'future_occurred_on'
    END AS reason
  FROM parsed_activities a
  LEFT JOIN known_accounts k ON k.account_id = a.account_id
)
