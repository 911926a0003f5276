-- costs: acquisition and service costs per account or per segment (optional input, issue 6), one row per
-- input row, every value as text so the job can quarantine a bad row with a message instead of failing the
-- query. The job checks each row (checkCosts) and derives CAC, cost to serve, profitability and ROI.
-- Rows of a month (YYYY-MM) or quarter (YYYY-Qn) of a year before :from_year (the year the run's T12M window
-- starts in) are left out: no window of the run reaches them. Every other row comes back, a period that is
-- neither a month nor a quarter included, so that the job quarantines it.
SELECT
  NULLIF(CAST(period AS VARCHAR), '') AS period,
  NULLIF(CAST(account_id AS VARCHAR), '') AS account_id,
  NULLIF(CAST(segment AS VARCHAR), '') AS segment,
  NULLIF(CAST(kind AS VARCHAR), '') AS kind,
  NULLIF(CAST(amount AS VARCHAR), '') AS amount
FROM costs
WHERE NOT (
  (NULLIF(CAST(period AS VARCHAR), '') LIKE '____-__' OR NULLIF(CAST(period AS VARCHAR), '') LIKE '____-Q_')
  AND substr(NULLIF(CAST(period AS VARCHAR), ''), 1, 4) < :from_year
)
