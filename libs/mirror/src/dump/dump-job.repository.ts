/**
 * Bookkeeping of import and export runs in `mirror_runs`: one run per index and kind at a time
 * (a session advisory lock, which dies with a killed process), resuming the unfinished run of
 * the same parameters, progress written in the same transaction as the rows it counts (so plain
 * SQL on the caller's client, not an ORM with connections of its own).
 */
import type { Pool, PoolClient } from 'pg';
import { query } from '@venvfarm/db';

/** What kinds of run there are. */
export type JobKind = 'import' | 'export';

const LOCK_POLL_MS = 250;

/** Another import or export of the same index is running. */
export class JobBusyError extends Error {
  constructor(readonly kind: JobKind, readonly indexName: string) {
    super(`another ${kind} into index '${indexName}' is running`);
    this.name = 'JobBusyError';
  }
}

/** No index of that name. */
export class UnknownIndexError extends Error {
  constructor(readonly indexName: string) {
    super(`no index named '${indexName}'`);
    this.name = 'UnknownIndexError';
  }
}

/** A claimed run: its job, the progress of a resumed job, and the lock to release. */
export interface ClaimedJob {
  readonly id: number;
  readonly indexId: number;
  /** Progress committed by an earlier, interrupted run of the same job; {} for a new job. */
  readonly progress: Record<string, unknown>;
  readonly resumed: boolean;
  release(): Promise<void>;
}

/** Claims, advances and ends import/export jobs. */
export class DumpJobRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Takes the lock of (kind, index), then resumes the latest unfinished job with the same
   * params or starts a new one. `resume: false` always starts a new job.
   */
  async claim(kind: JobKind, indexName: string, params: Record<string, unknown>, resume = true, lockWaitMs = 15_000): Promise<ClaimedJob> {
    const lockName = `venvfarm:${kind}:${indexName}`;
    const lock = await this.pool.connect();
    let held = false;
    try {
      const index = await lock.query<{ id: number }>(query('ingest/index-id'), [indexName]);
      if (index.rowCount === 0) throw new UnknownIndexError(indexName);
      // A killed run's backend lets go of the lock only once its current statement ends and it
      // notices the client is gone: wait a little before calling the index busy.
      for (let waited = 0; !held; waited += LOCK_POLL_MS) {
        held = (await lock.query<{ locked: boolean }>(query('runs/try-lock-run'), [lockName])).rows[0].locked;
        if (held) break;
        if (waited >= lockWaitMs) throw new JobBusyError(kind, indexName);
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
      const json = JSON.stringify({ ...params, index: indexName });
      const found = resume ? await lock.query<{ id: string; progress: Record<string, unknown> }>(query('runs/find-resumable-run'), [kind, json]) : { rows: [] };
      let id: number;
      let progress: Record<string, unknown> = {};
      if (found.rows.length > 0) {
        id = Number(found.rows[0].id);
        progress = found.rows[0].progress;
        await lock.query(query('runs/resume-run'), [id]);
      } else {
        id = Number((await lock.query<{ id: string }>(query('runs/start-run'), [kind, json])).rows[0].id);
      }
      await lock.query(query('runs/abandon-runs'), [kind, id, indexName]);
      return {
        id,
        indexId: index.rows[0].id,
        progress,
        resumed: found.rows.length > 0,
        release: async () => {
          await lock.query(query('runs/unlock-run'), [lockName]).catch(() => undefined);
          lock.release();
        },
      };
    } catch (error) {
      if (held) await lock.query(query('runs/unlock-run'), [lockName]).catch(() => undefined);
      lock.release();
      throw error;
    }
  }

  /** Writes progress on the given client (inside the caller's transaction). */
  async reportProgress(client: PoolClient | Pool, id: number, progress: Record<string, unknown>): Promise<void> {
    await client.query(query('runs/report-progress'), [id, JSON.stringify(progress)]);
  }

  async finish(id: number, outcome: 'done' | { error: string }): Promise<void> {
    await this.pool.query(query('runs/finish-run'), [id, outcome === 'done' ? 'done' : 'failed', outcome === 'done' ? null : outcome.error]);
  }

  /** Records that index `indexId` holds everything up to `serial`. */
  async advanceIndexSerial(indexId: number, serial: number): Promise<void> {
    await this.pool.query(query('ingest/advance-index-serial'), [indexId, serial]);
  }
}
