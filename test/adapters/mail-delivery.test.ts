import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../lambdas/adapters/aws/ses-mailer.ts';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { LocalWriteError } from '../../lambdas/adapters/local/write-errors.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { toRunOutcome } from '../../lambdas/handlers/run-outcome.ts';
import type { RunSummary } from '../../lambdas/jobs/run-period.ts';
import { deliverMails, type MailOutcome } from '../../lambdas/jobs/steps/deliver-mail.ts';
import { MailLedger } from '../../lambdas/jobs/steps/mail-ledger.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import type { Mailer, MailReceipt, OutgoingMail } from '../../lambdas/ports/mailer.ts';

const ses = mockClient(SESClient);
const PREFIX = 'monthly-2026-10';
const config = parseRunConfig({
  mail: {
    from: 'reports@corp.example',
    leadership: ['cro@corp.example', 'ceo@corp.example'],
    allowedDomains: ['corp.example'],
  },
});

function mail(id: string, to: string[]): OutgoingMail {
  return {
    id: `${PREFIX}-${id}`,
    from: config.mail.from,
    to,
    subject: 's',
    html: '<p>h</p>',
    text: 'h',
    attachments: [],
  };
}

const leadership = () => mail('leadership', ['cro@corp.example', 'ceo@corp.example']);

/** A mailer that records each send and accepts everyone. */
class RecordingMailer implements Mailer {
  readonly sends: string[][] = [];
  failWith: Error | undefined;
  async send(m: OutgoingMail): Promise<MailReceipt> {
    if (this.failWith) throw this.failWith;
    this.sends.push([...m.to]);
    return {
      id: m.id,
      messageId: `msg-${this.sends.length}`,
      accepted: [...m.to],
      rejected: [],
      location: 'x',
    };
  }
}

const byStatus = (outcomes: readonly MailOutcome[], status: MailOutcome['status']) =>
  outcomes.filter((o) => o.status === status).flatMap((o) => o.to);

describe('mail delivery through the ledger', () => {
  let root: string;
  let store: FolderObjectStore;
  let ledger: MailLedger;
  const deliver = (mails: OutgoingMail[], mailer: Mailer, request = {}, onStore = store) =>
    deliverMails(mails, {
      config,
      ledger: new MailLedger(onStore, 'monthly', '2026-10', () => new Date('2026-11-02T09:00:00Z')),
      mailer,
      request,
      logger: silentLogger,
      idPrefix: PREFIX,
      snapshotLocation: '/out/store/snapshots/',
    });

  beforeEach(async () => {
    ses.reset();
    root = await mkdtemp(join(tmpdir(), 'revseg-delivery-'));
    store = new FolderObjectStore(root);
    ledger = new MailLedger(store, 'monthly', '2026-10', () => new Date());
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('records an SES partial rejection per recipient and retries exactly the rejected one', async () => {
    ses.on(SendRawEmailCommand, { Destinations: ['cro@corp.example'] }).resolves({ MessageId: 'm-cro' });
    ses
      .on(SendRawEmailCommand, { Destinations: ['ceo@corp.example'] })
      .rejectsOnce(
        new SESServiceException({
          name: 'MessageRejected',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Email address is not verified.',
        }),
      )
      .resolves({ MessageId: 'm-ceo' });
    const mailer = new SesMailer({ client: new SESClient({ region: 'eu-west-1' }), maxSendRate: 100 });

    const first = await deliver([leadership()], mailer);
    expect(byStatus(first, 'sent')).toEqual(['cro@corp.example']);
    expect(byStatus(first, 'failed')).toEqual(['ceo@corp.example']);
    expect(first.find((o) => o.status === 'failed')?.detail).toContain('MessageRejected');
    expect((await ledger.read('leadership', 'cro@corp.example'))?.status).toBe('sent');
    expect((await ledger.read('leadership', 'ceo@corp.example'))?.status).toBe('failed');

    // The run's outcome (what the Lambda returns and publishes as mailsFailed) counts the rejected recipient.
    const outcome = toRunOutcome({
      mails: first,
      period: { id: '2026-10', cadence: 'monthly' },
      quarantine: {},
    } as unknown as RunSummary);
    expect(outcome.mails.failed).toBe(1);
    expect(outcome.failedMails).toEqual([expect.objectContaining({ mailId: `${PREFIX}-leadership` })]);

    const retry = await deliver([leadership()], mailer);
    expect(byStatus(retry, 'sent')).toEqual(['ceo@corp.example']);
    expect(byStatus(retry, 'already-sent')).toEqual(['cro@corp.example']);
    const destinations = ses.commandCalls(SendRawEmailCommand).map((c) => c.args[0].input.Destinations?.[0]);
    expect(destinations).toEqual(['cro@corp.example', 'ceo@corp.example', 'ceo@corp.example']);
  });

  it('identifies a mail by kind and normalised address, not by its id or spelling', async () => {
    const mailer = new RecordingMailer();
    await deliver([mail('owner-jane-corp-example', ['jane@corp.example'])], mailer);
    const again = await deliver([mail('owner-jane-corp-example-1a2b3c4d', [' Jane@Corp.Example'])], mailer);
    expect(byStatus(again, 'already-sent')).toEqual([' Jane@Corp.Example']);
    expect(mailer.sends).toEqual([['jane@corp.example']]);
  });

  it('lets only one of two concurrent retries of a failed mail send it', async () => {
    const failing = new RecordingMailer();
    failing.failWith = new Error('connection reset');
    const failed = await deliver([leadership()], failing);
    expect(byStatus(failed, 'failed')).toEqual(['cro@corp.example', 'ceo@corp.example']);

    const mailer = new RecordingMailer();
    const [a, b] = await Promise.all([deliver([leadership()], mailer), deliver([leadership()], mailer)]);
    const sentTo = mailer.sends.flat().sort();
    expect(sentTo).toEqual(['ceo@corp.example', 'cro@corp.example']);
    expect([...byStatus(a ?? [], 'sent'), ...byStatus(b ?? [], 'sent')].sort()).toEqual(sentTo);
  });

  it('reports an empty or corrupt ledger entry as in doubt, naming the file and the repair, and mails the rest', async () => {
    const mailer = new RecordingMailer();
    const entry = join(
      root,
      'mail-ledger',
      'cadence=monthly',
      'period=2026-10',
      'leadership',
      'ceo@corp.example.json',
    );
    await deliver([leadership()], mailer);
    await writeFile(entry, '');
    const owner = mail('owner-jane-corp-example', ['jane@corp.example']);

    const outcomes = await deliver([leadership(), owner], mailer);
    const doubt = outcomes.find((o) => o.status === 'in-doubt');
    expect(doubt?.to).toEqual(['ceo@corp.example']);
    expect(doubt?.detail).toContain(`mail ledger entry ${entry} is empty`);
    expect(doubt?.detail).toContain('--resend-to ceo@corp.example');
    expect(doubt?.detail).toContain('{"status":"sent"}');
    expect(byStatus(outcomes, 'sent')).toEqual(['jane@corp.example']);

    await writeFile(entry, '{"status":');
    const corrupt = await deliver([leadership()], mailer);
    expect(corrupt.find((o) => o.status === 'in-doubt')?.detail).toContain(`${entry} is not valid JSON`);

    // The repairs the message names work: {"status":"sent"} reads as sent, --resend-to rewrites it.
    await writeFile(entry, '{"status":"sent"}');
    expect(byStatus(await deliver([leadership()], mailer), 'already-sent')).toContain('ceo@corp.example');
    await writeFile(entry, '');
    const resent = await deliver([leadership()], mailer, { resendTo: ['CEO@corp.example'] });
    expect(byStatus(resent, 'sent')).toEqual(['ceo@corp.example']);
    expect(JSON.parse(await readFile(entry, 'utf8'))).toMatchObject({
      status: 'sent',
      recipient: 'ceo@corp.example',
    });
  });

  it('when the disk is full a failed send is released, not left claimed, so the next run sends it', async () => {
    const full = new FolderObjectStore(root);
    const enospc = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    full.putIfMatch = async (key: string) => {
      throw new LocalWriteError(`cannot write ${full.locate(key)}: the disk is full`, { cause: enospc });
    };
    const broken = new RecordingMailer();
    broken.failWith = new Error(`cannot write outbox: the disk is full (ENOSPC)`);
    const first = await deliver([mail('owner-jane-corp-example', ['jane@corp.example'])], broken, {}, full);
    expect(byStatus(first, 'failed')).toEqual(['jane@corp.example']);
    expect(await ledger.read('owner', 'jane@corp.example')).toBeUndefined();

    const mailer = new RecordingMailer();
    const next = await deliver([mail('owner-jane-corp-example', ['jane@corp.example'])], mailer);
    expect(byStatus(next, 'sent')).toEqual(['jane@corp.example']);
  });

  it('says when a delivered mail could not be recorded, and not to resend it', async () => {
    const full = new FolderObjectStore(root);
    full.putIfMatch = async () => {
      throw new LocalWriteError('cannot write the ledger: the disk is full (ENOSPC)');
    };
    const outcomes = await deliver(
      [mail('owner-jane-corp-example', ['jane@corp.example'])],
      new RecordingMailer(),
      {},
      full,
    );
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'in-doubt', detail: expect.stringContaining('delivered (msg-1)') }),
    ]);
    expect(outcomes[0]?.detail).toContain('do not resend it');
  });

  it('cuts a mail over the transport size limit down and sends it, never failing the run', async () => {
    const sent: OutgoingMail[] = [];
    const small: Mailer = {
      maxMessageBytes: 300_000,
      async send(m) {
        sent.push(m);
        return { id: m.id, messageId: 'm', accepted: [...m.to], rejected: [], location: 'x' };
      },
    };
    const big = {
      ...leadership(),
      attachments: [{ filename: 'accounts.csv', content: 'x'.repeat(1_000_000), contentType: 'text/csv' }],
    };
    const outcomes = await deliver([big], small);
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'sent',
        detail: 'cut down to fit the mail size limit; left out: accounts.csv (1.0 MB)',
      }),
    ]);
    expect(sent[0]?.attachments).toEqual([]);
    expect(sent[0]?.text).toContain('The complete data is in the snapshot at /out/store/snapshots/');
  });
});
