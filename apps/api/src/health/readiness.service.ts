import { Injectable, Optional } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { Queues } from '@venvfarm/queue';

/** What the checks found: ready (each check that ran), or the checks that failed with their reasons. */
export type ReadinessCheck = { ready: true; checks: { database: 'ok'; queue?: 'ok' } } | { ready: false; failures: string[] };

/**
 * How long the database check may take: a database that does not answer by then is not ready.
 * The queue check needs no bound here: every queue call has its own (`VENVFARM_QUEUE_TIMEOUT_MS`).
 */
export const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Readiness: the process can do its work only while the database answers and, where the app
 * uses queues, their backend does. Checks run side by side, each bounded in time, so a hung
 * dependency makes the probe fail fast rather than hang.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly db: Database,
    @Optional() private readonly queues?: Queues,
  ) {}

  async check(): Promise<ReadinessCheck> {
    const checks: ['database' | 'queue', () => Promise<void>][] = [['database', () => withTimeout(this.db.ping(), CHECK_TIMEOUT_MS)]];
    const queues = this.queues;
    if (queues !== undefined) checks.push(['queue', () => queues.ping()]);
    const results = await Promise.allSettled(checks.map(([, run]) => run()));
    const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [`${checks[i][0]}: ${reason(result.reason)}`] : []));
    if (failures.length > 0) return { ready: false, failures };
    return { ready: true, checks: { database: 'ok', ...(queues === undefined ? {} : { queue: 'ok' as const }) } };
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
