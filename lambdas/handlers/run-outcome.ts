import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MailOutcome, RunSummary } from '../jobs/run-period.ts';

/** What the job step returns to Step Functions: small enough for its 256 KB state limit (no per-account rows). */
export interface RunOutcome {
  readonly periodId: string;
  readonly cadence: string;
  readonly runDate: string;
  readonly accounts: number;
  readonly manifestKey: string;
  readonly snapshotLocation: string;
  readonly revenueLinesChecked: number;
  readonly revenueLinesQuarantined: number;
  readonly mails: Readonly<Record<MailOutcome['status'], number>>;
  /** One entry per mail and recipient group that failed or is in doubt (a partial rejection lists the rejected). */
  readonly failedMails: readonly { mailId: string; to: readonly string[]; detail?: string }[];
  readonly stages: RunSummary['stages'];
}

/** Reduces a run summary to the counts an operator needs in the execution history. */
export function toRunOutcome(summary: RunSummary): RunOutcome {
  const mails = { sent: 0, 'already-sent': 0, 'in-doubt': 0, failed: 0, refused: 0, skipped: 0 };
  for (const mail of summary.mails) mails[mail.status] += 1;
  return {
    periodId: summary.period.id,
    cadence: summary.period.cadence,
    runDate: summary.runDate,
    accounts: summary.accounts,
    manifestKey: summary.manifestKey,
    snapshotLocation: summary.snapshotLocation,
    revenueLinesChecked: summary.quarantine.revenueLinesChecked,
    revenueLinesQuarantined: summary.quarantine.revenueLinesQuarantined,
    mails,
    failedMails: summary.mails
      .filter((m) => m.status === 'failed' || m.status === 'in-doubt')
      .map((m) => ({ mailId: m.mailId, to: m.to, detail: m.detail })),
    stages: summary.stages,
  };
}

/** Publishes the run's counts as CloudWatch metrics (EMF), by cadence, so failed mail can be alarmed on. */
export function publishRunMetrics(metrics: Metrics, outcome: RunOutcome): void {
  metrics.addDimension('cadence', outcome.cadence);
  metrics.addMetric('accounts', MetricUnit.Count, outcome.accounts);
  metrics.addMetric('revenueLinesQuarantined', MetricUnit.Count, outcome.revenueLinesQuarantined);
  metrics.addMetric('mailsSent', MetricUnit.Count, outcome.mails.sent);
  metrics.addMetric('mailsFailed', MetricUnit.Count, outcome.mails.failed + outcome.mails['in-doubt']);
  metrics.addMetric('mailsRefused', MetricUnit.Count, outcome.mails.refused);
  metrics.publishStoredMetrics();
}
