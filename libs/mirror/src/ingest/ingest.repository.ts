/**
 * The SQL of the ingest writer: COPY into per-connection staging tables, then one set-based
 * merge per table (sql/queries/ingest/). Every method runs on the caller's client, inside the
 * caller's transaction.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { query } from '@venvfarm/db';

/** Tables the writer stages rows in. */
export type StageTable = 'requirements' | 'metadata' | 'projects' | 'releases' | 'files';

/** Rows a merge inserted and rows it changed (unchanged rows are not counted). */
export interface MergeCounts {
  inserted: number;
  updated: number;
}

const staged = new WeakSet<PoolClient>();

/** Set-based writes of projects, releases, files, metadata and requirements. */
export class IngestRepository {
  /** Creates the staging tables once per connection (outside any transaction, so a rollback cannot undo them). */
  /** Opens the batch's transaction with the session settings a bulk merge wants. */
  async begin(client: PoolClient, settings: { skipTriggers: boolean; synchronousCommit: boolean }): Promise<void> {
    // One round trip: the merges sort a batch by source order, in memory with this work_mem.
    let begin = "BEGIN; SET LOCAL work_mem = '64MB'";
    if (settings.skipTriggers) begin += '; SET LOCAL session_replication_role = replica';
    if (!settings.synchronousCommit) begin += '; SET LOCAL synchronous_commit = off';
    await client.query(begin);
  }

  async commit(client: PoolClient): Promise<void> {
    await client.query('COMMIT');
  }

  async rollback(client: PoolClient): Promise<void> {
    await client.query('ROLLBACK');
  }

  /** Planner statistics for the mirror's tables after a bulk load. */
  async analyze(client: Pick<PoolClient, 'query'>): Promise<void> {
    await client.query(query('ingest/analyze'));
  }

  async ensureStaging(client: PoolClient): Promise<void> {
    if (staged.has(client)) return;
    await client.query(query('ingest/create-staging'));
    staged.add(client);
  }

  /** Whether this role may skip foreign-key triggers (session_replication_role needs a superuser). */
  async canSkipTriggers(client: PoolClient): Promise<boolean> {
    const { rows } = await client.query<{ allowed: boolean }>(query('ingest/can-skip-triggers'));
    return rows[0]?.allowed === true;
  }

  /** Streams COPY text (lines ending in '\n') into a staging table. */
  async copy(client: PoolClient, table: StageTable, text: string | readonly string[]): Promise<void> {
    const chunks = typeof text === 'string' ? [text] : text;
    if (chunks.length === 0 || (chunks.length === 1 && chunks[0] === '')) return;
    await pipeline(Readable.from(chunks, { objectMode: false }), client.query(copyFrom(query(`ingest/copy-stage-${table}`))));
  }

  /** Stores the staged requirement strings; answers the id of each. */
  async mergeRequirements(client: PoolClient): Promise<Map<string, number>> {
    await client.query(query('ingest/merge-requirements'));
    const { rows } = await client.query<{ id: number; text: string }>(query('ingest/requirement-ids'));
    return new Map(rows.map((r) => [r.text, r.id]));
  }

  /** Stores the staged metadata; answers the id of each hex digest. */
  async mergeMetadata(client: PoolClient): Promise<Map<string, number>> {
    await client.query(query('ingest/merge-metadata'));
    const { rows } = await client.query<{ id: number; digest: string }>(query('ingest/metadata-ids'));
    return new Map(rows.map((r) => [r.digest, r.id]));
  }

  /** Ids of stored metadata by hex digest (those not stored are absent). */
  async lookupMetadata(client: PoolClient, digests: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await client.query<{ id: number; digest: string }>(query('ingest/lookup-metadata-ids'), [digests]);
    return new Map(rows.map((r) => [r.digest, r.id]));
  }

  /** Merges the staged projects into index `indexId`. */
  async mergeProjects(client: PoolClient, indexId: number): Promise<MergeCounts> {
    return counts(await client.query<CountRow>(query('ingest/merge-projects'), [indexId]));
  }

  /** Merges the staged releases (staged with their project ids). */
  async mergeReleases(client: PoolClient): Promise<MergeCounts> {
    return counts(await client.query<CountRow>(query('ingest/merge-releases')));
  }

  /** Merges the staged files (staged with their release ids). */
  async mergeFiles(client: PoolClient): Promise<MergeCounts> {
    return counts(await client.query<CountRow>(query('ingest/merge-files')));
  }

  /** Project ids of index `indexId` by normalized name. */
  async projectIds(client: PoolClient, indexId: number, names: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await client.query<{ id: number; name: string }>(query('ingest/project-ids'), [indexId, names]);
    return new Map(rows.map((r) => [r.name, r.id]));
  }

  /** Release ids of some projects, keyed `${projectId}\t${version}`. */
  async releaseIds(client: PoolClient, projectIds: readonly number[]): Promise<Map<string, string>> {
    const { rows } = await client.query<{ id: string; project_id: number; version: string }>(query('ingest/release-ids'), [projectIds]);
    return new Map(rows.map((r) => [`${r.project_id}\t${r.version}`, r.id]));
  }
}

interface CountRow {
  inserted: string;
  updated: string;
}

function counts(result: { rows: CountRow[] }): MergeCounts {
  return { inserted: Number(result.rows[0].inserted), updated: Number(result.rows[0].updated) };
}
