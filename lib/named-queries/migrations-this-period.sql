-- Migrations this period: accounts that moved between segments in the most recent monthly snapshot.
WITH latest AS (
  SELECT max(period) AS period
  FROM portfolio_kpis -- complete snapshots only: a run writes portfolio_kpis last and removes it first
  WHERE cadence = 'monthly'
)
SELECT
  m.period,
  m.from_segment,
  m.to_segment,
  m.accounts,
  m.previous_revenue_t12m,
  m.revenue_t12m,
  m.revenue_t12m - m.previous_revenue_t12m AS revenue_change,
  m.basis
FROM segment_migrations AS m
JOIN latest AS l ON m.period = l.period
WHERE m.cadence = 'monthly'
  AND m.from_segment <> m.to_segment
ORDER BY m.accounts DESC, m.from_segment, m.to_segment
