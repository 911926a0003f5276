import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { RevsegError } from '../../core/errors.ts';
import type { Cadence } from '../../core/period.ts';
import { SNAPSHOTS_PREFIX } from '../../core/snapshot/layout.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

/** Another run holds the period, or this run lost its lease; nothing more may be written or mailed. */
export class RunLeaseError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunLeaseError';
  }
}

const leaseSchema = z.object({
  runId: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  /** When that process started (Linux `/proc/<pid>/stat`), so a reused pid is not taken for the holder. */
  pidStart: z.string().optional(),
  acquiredAt: z.string(),
  expiresAt: z.string(),
});
type LeaseEntry = z.infer<typeof leaseSchema>;

/** How long a lease lasts without renewal; a run renews it in the background while it is alive. */
export const DEFAULT_LEASE_TTL_MS = 10 * 60_000;

export interface RunLeaseOptions {
  /** @default DEFAULT_LEASE_TTL_MS */
  readonly ttlMs?: number;
  /** Wall-clock time (never the run's `--as-of` clock). @default the system clock */
  readonly now?: () => Date;
  /** Host name recorded in the lease, so a dead local holder can be recognised. @default os.hostname() */
  readonly host?: string;
  /** Is the process that took the lease on this host still running? @default a `/proc` or signal-0 probe */
  readonly isAlive?: (pid: number, pidStart: string | undefined) => boolean;
  readonly logger?: Logger;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The key of a period's lease (beside the manifests; `_` keeps it out of every snapshot table). */
export function leaseKey(cadence: Cadence, periodId: string): string {
  return `${SNAPSHOTS_PREFIX}/_leases/cadence=${cadence}/period=${periodId}.json`;
}

/** A process's start time in clock ticks since boot (Linux), or undefined where `/proc` is not there. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function processAlive(pid: number, pidStart: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Alive under that pid: the holder only if it is the same process, not a later one given the same pid.
  return pidStart === undefined || processStart(pid) === pidStart;
}

function parseLease(body: Uint8Array): LeaseEntry | undefined {
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(decoder.decode(body)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One run per (cadence, period) at a time. The lease is an object created atomically (S3 `If-None-Match: *`,
 * an exclusive create locally); a second run is refused with who holds it and until when. The holder renews
 * it in the background; a lease past its expiry (or, on the same host, whose process is gone) is stale and is
 * taken over with a compare-and-swap on the version read (S3 `If-Match`), so of two runs taking over only one
 * wins. Before writing and before mailing, the run checks it still holds the lease.
 */
export class RunLease {
  private lost: RunLeaseError | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: ObjectStore,
    private readonly key: string,
    private readonly what: string,
    private readonly entry: LeaseEntry,
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  /**
   * Takes the lease of a period, or refuses.
   * @throws RunLeaseError naming the run that holds it, until when, and where the lease is.
   */
  static async acquire(
    store: ObjectStore,
    cadence: Cadence,
    periodId: string,
    options: RunLeaseOptions = {},
  ): Promise<RunLease> {
    const now = options.now ?? (() => new Date());
    const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    const host = options.host ?? hostname();
    const isAlive = options.isAlive ?? processAlive;
    const key = leaseKey(cadence, periodId);
    const what = `${cadence} ${periodId}`;
    const entry: LeaseEntry = {
      runId: randomUUID(),
      host,
      pid: process.pid,
      pidStart: processStart(process.pid),
      acquiredAt: now().toISOString(),
      expiresAt: new Date(now().getTime() + ttlMs).toISOString(),
    };
    const lease = new RunLease(store, key, what, entry, ttlMs, now);
    const body = encoder.encode(`${JSON.stringify(entry)}\n`);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await store.putIfAbsent(key, body, 'application/json')) return lease.started();
      const current = await store.getVersioned(key);
      if (current === undefined) continue;
      const holder = parseLease(current.body);
      const expired = holder === undefined || new Date(holder.expiresAt).getTime() <= now().getTime();
      const dead =
        holder !== undefined &&
        holder.host === host &&
        holder.pid !== process.pid &&
        !isAlive(holder.pid, holder.pidStart);
      if (!expired && !dead) {
        throw new RunLeaseError(
          `another run of ${what} is in progress (run ${holder?.runId} on ${holder?.host} pid ${holder?.pid}, ` +
            `since ${holder?.acquiredAt}); wait for it to finish. If it died, its lease ${store.locate(key)} ` +
            `expires at ${holder?.expiresAt} and the next run takes over`,
        );
      }
      if (await store.putIfMatch(key, body, current.version, 'application/json')) {
        options.logger?.warn(
          holder
            ? `took over the lease of ${what} from run ${holder.runId} on ${holder.host} pid ${holder.pid}, ` +
                `${dead ? 'whose process is gone' : `expired at ${holder.expiresAt}`}`
            : `took over an unreadable lease of ${what} at ${store.locate(key)}`,
        );
        return lease.started();
      }
    }
    throw new RunLeaseError(
      `another run of ${what} took its lease ${store.locate(key)} at the same moment; let that run finish`,
    );
  }

  /** Throws if the lease was lost (taken over after an expiry, or it could not be renewed). */
  async assertHeld(): Promise<void> {
    await this.renew();
    if (this.lost) throw this.lost;
  }

  /** Throws if a background renewal found the lease lost; no I/O, cheap enough before every mail. */
  throwIfLost(): void {
    if (this.lost) throw this.lost;
  }

  /** Stops renewing and deletes the lease if it is still this run's. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const current = await this.store.getVersioned(this.key);
    if (current && parseLease(current.body)?.runId === this.entry.runId) await this.store.delete([this.key]);
  }

  private started(): RunLease {
    this.timer = setInterval(() => void this.renew().catch(() => undefined), Math.max(1_000, this.ttlMs / 5));
    this.timer.unref();
    return this;
  }

  /** Extends the lease by its TTL, only if it is still this run's (compare-and-swap on the version read). */
  private async renew(): Promise<void> {
    if (this.lost) return;
    const current = await this.store.getVersioned(this.key);
    const holder = current ? parseLease(current.body) : undefined;
    if (!current || holder?.runId !== this.entry.runId) {
      this.lost = new RunLeaseError(
        `this run of ${this.what} lost its lease ${this.store.locate(this.key)}` +
          (holder
            ? ` to run ${holder.runId} on ${holder.host} (it was renewed too late)`
            : ' (it was deleted)') +
          '; it stops here so two runs never write or mail the same period',
      );
      return;
    }
    const renewed: LeaseEntry = {
      ...this.entry,
      expiresAt: new Date(this.now().getTime() + this.ttlMs).toISOString(),
    };
    const body = encoder.encode(`${JSON.stringify(renewed)}\n`);
    if (!(await this.store.putIfMatch(this.key, body, current.version, 'application/json'))) {
      this.lost = new RunLeaseError(
        `this run of ${this.what} lost its lease ${this.store.locate(this.key)} while renewing it; it stops here`,
      );
    }
  }
}
