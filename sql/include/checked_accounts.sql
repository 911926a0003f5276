account_rows AS (
  -- every accounts row with its values as text, so a typed (Parquet) and an untyped (CSV) input compare alike
  SELECT
    NULLIF(CAST(account_id AS VARCHAR), '') AS account_id,
    NULLIF(CAST(account_name AS VARCHAR), '') AS account_name,
    NULLIF(CAST(owner_email AS VARCHAR), '') AS owner_email,
    NULLIF(CAST(owner_name AS VARCHAR), '') AS owner_name,
    NULLIF(CAST(industry AS VARCHAR), '') AS industry,
    NULLIF(CAST(country AS VARCHAR), '') AS country,
    NULLIF(CAST(employee_count AS VARCHAR), '') AS employee_count_text,
    trim(NULLIF(CAST(created_on AS VARCHAR), ''), ' ') AS created_on_text,
    -- optional: when an account was last reviewed (the resource plan counts the next review from it)
    trim(NULLIF(CAST(last_reviewed_on AS VARCHAR), ''), ' ') AS last_reviewed_on_text
  FROM accounts
),
checked_accounts AS (
  -- reason: the first problem by priority, NULL when none; rows with NULL or invalid_owner_email are kept
  SELECT
    a.*,
    CASE
      WHEN a.account_id IS NULL OR trim(a.account_id, ' ') = '' THEN 'missing_account_id'
      WHEN a.copy_number > 1 THEN 'duplicate_account'
      WHEN NOT a.has_valid_email THEN 'invalid_owner_email'
    END AS reason
  FROM (
    SELECT
      r.*,
      -- SQL tables have no row order, so "the first row" of an account_id is the earliest created_on, then the
      -- lowest values; the same on every engine and for every file layout
      ROW_NUMBER() OVER (
        PARTITION BY r.account_id
        ORDER BY r.created_on_text NULLS LAST, r.account_name NULLS LAST, r.owner_email NULLS LAST,
          r.owner_name NULLS LAST, r.industry NULLS LAST, r.country NULLS LAST, r.employee_count_text NULLS LAST
      ) AS copy_number,
      COALESCE(
        r.owner_email LIKE '%_@_%._%' AND r.owner_email NOT LIKE '%@%@%' AND r.owner_email NOT LIKE '% %',
        FALSE
      ) AS has_valid_email
    FROM account_rows r
  ) a
)
,
known_accounts AS (
  -- the account_ids revenue lines may refer to: one row each
  SELECT account_id FROM checked_accounts WHERE reason IS NULL OR reason = 'invalid_owner_email'
)
