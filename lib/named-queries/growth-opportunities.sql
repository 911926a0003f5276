-- Growth opportunities: active accounts below the highest bracket that grew at least 25% year over year
-- or expanded this period, in the most recent monthly snapshot, largest gain first.
WITH latest AS (
  SELECT max(period) AS period
  FROM portfolio_kpis -- complete snapshots only: a run writes portfolio_kpis last and removes it first
  WHERE cadence = 'monthly'
),
below_top AS (
  SELECT k.segment
  FROM segment_kpis AS k
  JOIN latest AS l ON k.period = l.period
  WHERE k.cadence = 'monthly'
    AND k.rank > 0
)
SELECT
  a.period,
  a.account_id,
  a.account_name,
  a.owner_email,
  a.segment,
  a.revenue_t12m,
  a.revenue_prior_t12m,
  a.growth_yoy,
  a.movement,
  a.movement_amount
FROM account_segments AS a
JOIN latest AS l ON a.period = l.period
WHERE a.cadence = 'monthly'
  AND a.revenue_t12m > 0
  AND a.segment IN (SELECT segment FROM below_top)
  AND (a.growth_yoy >= 0.25 OR a.movement IN ('expansion', 'reactivation'))
ORDER BY a.movement_amount DESC, a.account_id
