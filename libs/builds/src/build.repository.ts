/**
 * The `builds` table: TypeORM for the rows, plus the two statements an ORM would make worse:
 * the insert that joins an unfinished build of the same key (one build per key at a time, also
 * under concurrent requests, by the partial unique index) and the log append.
 */
import { In, type Repository } from 'typeorm';
import type { BuildPlan } from './build-plan';
import { BuildRow, BuildStatus, BuildTimings } from './build.entity';

/** What a new build request records. */
export interface NewBuild {
  readonly key: string;
  readonly plan: BuildPlan;
  readonly requestedBy: string;
  readonly builderDigest: string;
  readonly executor: string;
}

export class BuildRepository {
  constructor(private readonly rows: Repository<BuildRow>) {}

  /**
   * The unfinished build of `build.key` if there is one, else a new queued one; `created` says
   * which. Concurrent calls for one key make one row.
   */
  async queue(build: NewBuild): Promise<{ row: BuildRow; created: boolean }> {
    for (;;) {
      const inserted = (await this.rows.query(
        `INSERT INTO builds (key, status, python, platform, pins, requested_by, builder_digest, executor)
         VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7)
         ON CONFLICT (key) WHERE status IN ('queued', 'building') DO NOTHING
         RETURNING id`,
        [build.key, build.plan.python, build.plan.platform, JSON.stringify(build.plan.pins), build.requestedBy, build.builderDigest, build.executor],
      )) as { id: string }[];
      if (inserted.length === 1) return { row: await this.get(Number(inserted[0].id)), created: true };
      const unfinished = await this.rows.findOne({ where: [{ key: build.key, status: 'queued' }, { key: build.key, status: 'building' }], order: { id: 'DESC' } });
      // It finished between the two statements: try again (the caller checks the store first).
      if (unfinished !== null) return { row: unfinished, created: false };
    }
  }

  async get(id: number): Promise<BuildRow> {
    return this.rows.findOneByOrFail({ id });
  }

  async find(id: number): Promise<BuildRow | null> {
    return this.rows.findOneBy({ id });
  }

  /** The newest finished build of a key. */
  async lastDone(key: string): Promise<BuildRow | null> {
    return this.rows.findOne({ where: { key, status: 'done' }, order: { id: 'DESC' } });
  }

  async list(status: BuildStatus | undefined, limit: number): Promise<BuildRow[]> {
    return this.rows.find({ where: status === undefined ? {} : { status }, order: { id: 'DESC' }, take: limit });
  }

  /** Records the job that builds the row. */
  async enqueued(id: number, jobId: string): Promise<void> {
    await this.rows.update({ id }, { jobId });
  }

  /** Fails the build if it is still unfinished (a finished one is left as it is). */
  async failUnfinished(id: number, error: string): Promise<void> {
    await this.rows.update({ id, status: In(['queued', 'building']) }, { status: 'failed', finishedAt: new Date(), error });
  }

  async started(id: number): Promise<void> {
    await this.rows.update({ id }, { status: 'building', startedAt: new Date(), error: null });
  }

  async finished(id: number, result: { status: 'done' | 'failed'; timings: BuildTimings; sizeBytes?: number; tarballSha256?: string; error?: string }): Promise<void> {
    await this.rows.update(
      { id },
      { status: result.status, finishedAt: new Date(), timings: result.timings, sizeBytes: result.sizeBytes ?? null, tarballSha256: result.tarballSha256 ?? null, error: result.error ?? null },
    );
  }

  /** Appends to the build's log (the live log readers poll it). */
  async appendLog(id: number, text: string): Promise<void> {
    await this.rows.query(`UPDATE builds SET log = coalesce(log, '') || $2 WHERE id = $1`, [id, text]);
  }

  /** The log from character `offset` on (0-based), and whether the build has finished. */
  async logFrom(id: number, offset: number): Promise<{ text: string; finished: boolean } | null> {
    const rows = (await this.rows.query(`SELECT substr(coalesce(log, ''), $2 + 1) AS text, status FROM builds WHERE id = $1`, [id, offset])) as { text: string; status: BuildStatus }[];
    return rows.length === 0 ? null : { text: rows[0].text, finished: rows[0].status === 'done' || rows[0].status === 'failed' };
  }
}
