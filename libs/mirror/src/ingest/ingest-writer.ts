/**
 * The one place that writes projects, releases, files, metadata and requirements into the
 * mirror, whatever the source (a dump import, an upstream sync, a lazy fetch).
 *
 * A batch of records is prepared in memory (ingest-batch.ts), COPYed into staging tables and
 * merged with one `INSERT ... ON CONFLICT` per table, all in one transaction. Writing the same
 * data again inserts nothing and rewrites nothing; a changed yank, serial or requires-python
 * updates the existing row. Requirement strings and metadata are stored once (by text and by
 * digest); the writer remembers their ids so a long import never stages the same one twice.
 * The caches only learn ids after a commit, so a rolled-back batch cannot leave ids of rows
 * that do not exist.
 */
import type { Pool, PoolClient } from 'pg';
import { copyIntArray } from './copy-text';
import { KnownRows, PreparedBatch, prepareBatch, prepareBatchAsync } from './ingest-batch';
import { IngestRepository, MergeCounts } from './ingest.repository';
import type { ProjectRecord } from './records';
import { requirementCopyLine } from './requirement-row';

/** What a write did. */
export interface WriteResult {
  /** Rows in the batch (after merging duplicates), whether or not they changed. */
  readonly counts: { readonly projects: number; readonly releases: number; readonly files: number };
  readonly projects: MergeCounts;
  readonly releases: MergeCounts;
  readonly files: MergeCounts;
  /** Requirement strings and metadata rows this batch staged (new to the writer's caches). */
  readonly requirementsStaged: number;
  readonly metadataStaged: number;
}

/** Options of one write. */
export interface WriteOptions {
  /**
   * Runs in the batch's transaction just before it commits, so state that must agree with the
   * rows (a sync's serial, an import's progress) commits with them or not at all.
   */
  readonly inTransaction?: (client: PoolClient) => Promise<void>;
}

/** Options of a writer. */
export interface IngestWriterOptions {
  /**
   * `false` commits without waiting for the WAL flush (`synchronous_commit = off`): a bulk
   * import whose progress commits with its rows loses at most its last batches on an OS crash,
   * and redoes them on the rerun. Default true.
   */
  readonly synchronousCommit?: boolean;
  /**
   * Skips the per-row foreign-key triggers of the merges (`session_replication_role =
   * replica`, when the role is allowed to; otherwise ignored). Sound because every project,
   * release and metadata id a merge stages was read in the same transaction or from a commit
   * of this writer, and the mirror never deletes those rows; it halves the time of a bulk
   * import, whose file and release merges otherwise spend most of it in those triggers.
   */
  readonly trustReferences?: boolean;
}

/** Writes batches of records into one index, caching requirement and metadata ids across batches. */
export class IngestWriter {
  /** Requirement string -> requirements.id, for every string committed through this writer. */
  readonly requirementIds = new Map<string, number>();
  /** Hex metadata digest -> metadata.id, for every digest committed through this writer. */
  readonly metadataIds = new Map<string, number>();
  private readonly repository = new IngestRepository();
  private skipTriggers: boolean | undefined;
  private readonly known: KnownRows = {
    hasRequirement: (text) => this.requirementIds.has(text),
    hasMetadata: (digest) => this.metadataIds.has(digest),
  };

  constructor(
    private readonly pool: Pool,
    readonly indexId: number,
    private readonly options: IngestWriterOptions = {},
  ) {}

  /** Prepares a batch against the caches as they are now (pure CPU work, no I/O). */
  prepare(records: readonly ProjectRecord[]): PreparedBatch {
    return prepareBatch(records, this.known);
  }

  /** {@link IngestWriter.prepare}, yielding to the event loop now and then (see prepareBatchAsync). */
  prepareAsync(records: readonly ProjectRecord[]): Promise<PreparedBatch> {
    return prepareBatchAsync(records, this.known);
  }

  /** Prepares and writes records in one transaction. */
  async write(records: readonly ProjectRecord[], options: WriteOptions = {}): Promise<WriteResult> {
    return this.writePrepared(this.prepare(records), options);
  }

  /**
   * Writes a prepared batch in one transaction. A batch prepared before an earlier one
   * committed may stage rows that batch stored too; the merges make that harmless.
   */
  async writePrepared(batch: PreparedBatch, options: WriteOptions = {}): Promise<WriteResult> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      await this.repository.ensureStaging(client);
      if (this.options.trustReferences === true) this.skipTriggers ??= await this.repository.canSkipTriggers(client);
      await this.repository.begin(client, { skipTriggers: this.skipTriggers === true, synchronousCommit: this.options.synchronousCommit !== false });
      const requirementIds = await this.stageRequirements(client, batch);
      const metadataIds = await this.stageMetadata(client, batch, requirementIds);
      const metadataOf = await this.metadataResolver(client, batch, metadataIds);

      await this.repository.copy(client, 'projects', batch.projects);
      const projects = await this.repository.mergeProjects(client, this.indexId);
      const projectIds = await this.repository.projectIds(client, this.indexId, batch.projectNames);
      const releaseProjectIds = batch.releaseProjects.map((i) => projectIds.get(batch.projectNames[i]));
      await this.repository.copy(client, 'releases', joinLines(batch.releaseLines, (i) => `${releaseProjectIds[i]}\t`, () => ''));
      const releases = await this.repository.mergeReleases(client);
      const releaseIds = await this.repository.releaseIds(client, [...projectIds.values()]);
      const fileReleaseIds = batch.releaseVersions.map((version, i) => releaseIds.get(`${releaseProjectIds[i]}\t${version}`));
      await this.repository.copy(
        client,
        'files',
        joinLines(batch.fileLines, (i) => `${fileReleaseIds[batch.fileReleases[i]]}\t`, (i) => `\t${metadataOf(i)}`),
      );
      const files = await this.repository.mergeFiles(client);

      await options.inTransaction?.(client);
      await this.repository.commit(client);
      for (const [text, id] of requirementIds) this.requirementIds.set(text, id);
      for (const [digest, id] of metadataIds) this.metadataIds.set(digest, id);
      return {
        counts: batch.counts,
        projects,
        releases,
        files,
        requirementsStaged: requirementIds.size,
        metadataStaged: batch.metadata.length,
      };
    } catch (error) {
      failure = error as Error;
      await this.repository.rollback(client).catch(() => undefined);
      throw error;
    } finally {
      // A client whose transaction failed mid-COPY may be in an unknown state: drop it.
      client.release(failure);
    }
  }

  /** Stores the batch's new requirement strings (and any a metadata row needs that no cache knows). */
  private async stageRequirements(client: PoolClient, batch: PreparedBatch): Promise<Map<string, number>> {
    const lines = [...batch.requirementLines];
    const staged = new Set(batch.requirementTexts);
    for (const metadata of batch.metadata) {
      for (const text of metadata.requirements) {
        if (staged.has(text) || this.requirementIds.has(text)) continue;
        staged.add(text);
        lines.push(requirementCopyLine(text));
      }
    }
    if (lines.length === 0) return new Map();
    await this.repository.copy(client, 'requirements', lines.join('\n') + '\n');
    return this.repository.mergeRequirements(client);
  }

  /** Stores the batch's new metadata with their requirement ids. */
  private async stageMetadata(client: PoolClient, batch: PreparedBatch, requirementIds: Map<string, number>): Promise<Map<string, number>> {
    if (batch.metadata.length === 0) return new Map();
    const lines: string[] = [];
    for (const metadata of batch.metadata) {
      const ids = metadata.requirements.map((text) => {
        const id = requirementIds.get(text) ?? this.requirementIds.get(text);
        if (id === undefined) throw new Error(`internal: no requirement id for ${JSON.stringify(text)}`);
        return id;
      });
      lines.push(`${metadata.line}\t${copyIntArray(ids)}\n`);
    }
    await this.repository.copy(client, 'metadata', lines.join(''));
    return this.repository.mergeMetadata(client);
  }

  /** The metadata id (or `\\N`) of each file line of the batch. */
  private async metadataResolver(client: PoolClient, batch: PreparedBatch, metadataIds: Map<string, number>): Promise<(file: number) => string> {
    const idOf = (digest: string) => metadataIds.get(digest) ?? this.metadataIds.get(digest);
    const missing = [...new Set(batch.fileDigests.filter((d): d is string => d !== null && idOf(d) === undefined))];
    if (missing.length > 0) {
      // A batch prepared against other knowledge (another writer's caches, a worker's) may
      // reference metadata it did not stage because it was stored already: read their ids.
      for (const [digest, id] of await this.repository.lookupMetadata(client, missing)) metadataIds.set(digest, id);
    }
    return (file) => {
      const digest = batch.fileDigests[file];
      if (digest === null) return '\\N';
      const id = idOf(digest);
      if (id === undefined) throw new Error(`internal: no metadata id for digest ${digest}`);
      return String(id);
    };
  }
}

/** COPY text of staged lines with fields added before and after each. */
function joinLines(lines: readonly string[], before: (i: number) => string, after: (i: number) => string): string {
  const parts: string[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) parts[i] = `${before(i)}${lines[i]}${after(i)}\n`;
  return parts.join('');
}

/** Writes records into index `indexId` in one transaction; pass a long-lived `writer` to reuse its caches. */
export async function writeProjects(
  pool: Pool,
  indexId: number,
  records: readonly ProjectRecord[],
  options: WriteOptions & { writer?: IngestWriter } = {},
): Promise<WriteResult> {
  const writer = options.writer ?? new IngestWriter(pool, indexId);
  if (writer.indexId !== indexId) throw new Error(`the writer writes index ${writer.indexId}, not ${indexId}`);
  return writer.write(records, options);
}
