-- opportunities: the sales opportunities (optional input, issue 6), one row per input row, every value as
-- text so the job can quarantine a bad row with a message instead of failing the query. The job checks each
-- row (checkOpportunities) and measures conversion, sales cycle and pipeline per segment and owner.
SELECT
  NULLIF(CAST(opportunity_id AS VARCHAR), '') AS opportunity_id,
  NULLIF(CAST(account_id AS VARCHAR), '') AS account_id,
  NULLIF(CAST(created_on AS VARCHAR), '') AS created_on,
  NULLIF(CAST(closed_on AS VARCHAR), '') AS closed_on,
  NULLIF(CAST(stage AS VARCHAR), '') AS stage,
  NULLIF(CAST(amount AS VARCHAR), '') AS amount
FROM opportunities
