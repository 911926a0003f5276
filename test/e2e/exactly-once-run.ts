// One local run of a period in its own process, for test/e2e/exactly-once.test.ts. The outbox mailer is wrapped
// so that every delivered mail is appended to a send log (the outbox itself would overwrite a duplicate), and
// so that the run can be killed outright (SIGKILL: no cleanup, no ledger update) right after its N-th send, or
// can fail every send to one recipient. Prints the run's mail outcomes as JSON on stdout.
//
// Usage: tsx test/e2e/exactly-once-run.ts <json options>
import { appendFileSync } from 'node:fs';
import { discoverInputs, openLocalRuntime } from '../../lambdas/adapters/local/local-runtime.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { MailError } from '../../lambdas/core/errors.ts';
import type { Cadence } from '../../lambdas/core/period.ts';
import { runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import type { Mailer } from '../../lambdas/ports/mailer.ts';
import type { ObjectStore } from '../../lambdas/ports/object-store.ts';

/** What the test asks of one run. */
export interface ExactlyOnceRunOptions {
  readonly dataDir: string;
  readonly outDir: string;
  readonly asOf: string;
  readonly periodId: string;
  readonly cadence: Cadence;
  /** One line `<mail id> <recipients>` per delivered mail is appended here. */
  readonly sendLog: string;
  /** Kill this process with SIGKILL right after the N-th mail of the run was delivered. */
  readonly killAfterSends?: number;
  /** Kill this process with SIGKILL right after the N-th snapshot table file was written. */
  readonly killAfterSnapshotPuts?: number;
  /** Every send to this recipient fails, as a mail service's rejection would. */
  readonly failRecipient?: string;
  readonly resend?: boolean;
  /** Send again only the mails to these addresses. */
  readonly resendTo?: readonly string[];
  /** `mail` settings of the run config. @default the config's defaults */
  readonly mail?: {
    readonly from?: string;
    readonly leadership?: readonly string[];
    readonly allowedDomains?: readonly string[];
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as ExactlyOnceRunOptions;
const runtime = await openLocalRuntime({
  inputs: discoverInputs(options.dataDir),
  outDir: options.outDir,
  logger: silentLogger,
  clock: fixedClock(`${options.asOf}T09:00:00Z`),
});
const outbox = runtime.deps.mailer;
let delivered = 0;
const mailer: Mailer = {
  async send(mail) {
    if (options.failRecipient && mail.to.includes(options.failRecipient)) {
      throw new MailError(`mail ${mail.id}: ${options.failRecipient} was refused by the test's mail service`);
    }
    const receipt = await outbox.send(mail);
    appendFileSync(options.sendLog, `${mail.id} ${mail.to.join(',')}\n`);
    delivered++;
    if (delivered === options.killAfterSends) process.kill(process.pid, 'SIGKILL');
    return receipt;
  },
};
const inner = runtime.deps.store;
let snapshotPuts = 0;
const store: ObjectStore = Object.assign(Object.create(inner) as ObjectStore, {
  async put(key: string, body: Uint8Array, contentType?: string) {
    await inner.put(key, body, contentType);
    if (key.endsWith('.parquet') && ++snapshotPuts === options.killAfterSnapshotPuts) {
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
try {
  const config = parseRunConfig(options.mail ? { mail: options.mail } : {});
  const summary = await runPeriod({ ...runtime.deps, store, mailer, charts: undefined }, config, {
    periodId: options.periodId,
    cadence: options.cadence,
    resend: options.resend,
    resendTo: options.resendTo,
  });
  process.stdout.write(JSON.stringify(summary.mails));
} finally {
  await runtime.close();
}
