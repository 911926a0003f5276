import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { OutboxMailer } from '../../lambdas/adapters/local/outbox-mailer.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';

// A small disk and a read-only folder, reproduced on the real file system: the mocked writeFile writes the
// first half of its bytes, then fails as the kernel would (ENOSPC), or refuses outright (EROFS).
const fault = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    writeFile: async (file: string, data: string | Uint8Array, options?: object) => {
      if (!fault.code) return actual.writeFile(file, data, options as never);
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      if (fault.code === 'ENOSPC')
        await actual.writeFile(file, bytes.subarray(0, bytes.length >> 1), options as never);
      throw Object.assign(new Error(`${fault.code}: simulated, write '${file}'`), { code: fault.code });
    },
  };
});

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

const mail: OutgoingMail = {
  id: 'monthly-2026-10-leadership',
  from: 'reports@corp.example',
  to: ['cro@corp.example'],
  subject: 'Revenue segments',
  html: `<p>${'x'.repeat(10_000)}</p>`,
  text: 'x'.repeat(10_000),
  attachments: [{ filename: 'segments.csv', content: 'a,b\n1,2\n', contentType: 'text/csv' }],
};

describe('local writes on a full disk or a read-only folder', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'revseg-faults-'));
  });
  afterEach(async () => {
    fault.code = undefined;
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['ENOSPC', 'the disk is full: free space there (or pass --out on a larger disk) and rerun (ENOSPC)'],
    ['EROFS', 'the file system is read-only: pass --out with a writable folder (EROFS)'],
  ])('the store names the file (%s) and leaves no partial or temporary file', async (code, advice) => {
    const store = new FolderObjectStore(root);
    await store.put(
      'snapshots/t/cadence=monthly/period=2026-09/part-00000.parquet',
      new Uint8Array(100).fill(1),
    );
    fault.code = code;
    const key = 'snapshots/t/cadence=monthly/period=2026-10/part-00000.parquet';
    await expect(store.put(key, new Uint8Array(1000).fill(7))).rejects.toThrow(
      `cannot write ${join(root, ...key.split('/'))}: ${advice}`,
    );
    await expect(store.putIfAbsent('mail-ledger/a.json', new Uint8Array(10))).rejects.toThrow(
      `cannot write ${join(root, 'mail-ledger', 'a.json')}`,
    );
    expect(
      (await files(root)).filter((f) => f.endsWith('.parquet') || f.endsWith('.json') || f.includes('.tmp')),
    ).toEqual(['snapshots/t/cadence=monthly/period=2026-09/part-00000.parquet']);
  });

  it.each(['ENOSPC', 'EROFS'])(
    'the outbox leaves no partial .eml, .html or attachment (%s) and names the path',
    async (code) => {
      const outbox = new OutboxMailer(join(root, 'outbox'), { clock: fixedClock('2026-11-02T09:00:00Z') });
      fault.code = code;
      await expect(outbox.send(mail)).rejects.toThrow(
        new RegExp(
          `mail monthly-2026-10-leadership not sent: cannot write ${join(root, 'outbox')}/monthly-2026-10-leadership.* \\(${code}\\)`,
        ),
      );
      expect(await files(join(root, 'outbox'))).toEqual([]);
      fault.code = undefined;
      await outbox.send(mail);
      expect(await files(join(root, 'outbox'))).toEqual([
        'monthly-2026-10-leadership',
        'monthly-2026-10-leadership.eml',
        'monthly-2026-10-leadership.html',
        'monthly-2026-10-leadership/segments.csv',
      ]);
      expect((await stat(join(root, 'outbox', 'monthly-2026-10-leadership.eml'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(root, 'outbox', 'monthly-2026-10-leadership'))).mode & 0o777).toBe(0o700);
    },
  );
});
