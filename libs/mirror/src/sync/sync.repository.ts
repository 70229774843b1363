/**
 * What a sync reads from and records in the mirror besides the rows the ingest writer stores:
 * the upstream index row and its serial, the committed serial of each project, the core
 * metadata already known by PEP 658 hash.
 */
import type { Pool } from 'pg';
import { query } from '@venvfarm/db';
import type { FileMetadata } from './project-record';

/** The index row a sync writes into. */
export interface SyncIndex {
  readonly id: number;
  readonly url: string | null;
  readonly serial: number;
}

/** Reads and records sync state. */
export class SyncRepository {
  constructor(private readonly pool: Pool) {}

  /** The upstream index named `name`, created (with `url`) when missing. */
  async ensureIndex(name: string, url: string): Promise<SyncIndex> {
    const { rows } = await this.pool.query<{ id: number; url: string | null; serial: string; kind: string }>(query('sync/ensure-index'), [name, url]);
    if (rows[0].kind !== 'upstream') throw new Error(`index ${name} is a private index, not an upstream mirror`);
    return { id: Number(rows[0].id), url: rows[0].url, serial: Number(rows[0].serial) };
  }

  /** Committed serial of every project of the index. */
  async projectSerials(indexId: number): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ name: string; serial: string }>(query('sync/project-serials'), [indexId]);
    return new Map(rows.map((r) => [r.name, Number(r.serial)]));
  }

  /** One project's committed serial, or null when the mirror has never seen it. */
  async projectSerial(indexId: number, name: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ serial: string }>(query('sync/project-serial'), [indexId, name]);
    return rows.length === 0 ? null : Number(rows[0].serial);
  }

  /** Known core metadata of a project's files: filename → PEP 658 hash and the metadata. */
  async knownMetadata(indexId: number, name: string): Promise<Map<string, { sha256: string; metadata: FileMetadata }>> {
    const { rows } = await this.pool.query<{ filename: string; metadata_sha256: string; requires_python: string | null; provides_extras: string[]; requires_dist: string[] }>(
      query('sync/known-file-metadata'),
      [indexId, name],
    );
    return new Map(
      rows.map((r) => [r.filename, { sha256: r.metadata_sha256, metadata: { requiresPython: r.requires_python, requiresDist: r.requires_dist, providesExtras: r.provides_extras } }]),
    );
  }

  /** Fresh planner statistics after a bulk write. */
  async analyze(): Promise<void> {
    await this.pool.query(query('ingest/analyze'));
  }

  /** Records a finished run; `serial` null leaves the serial as it is. Returns the index serial. */
  async advanceIndex(indexId: number, serial: number | null, url: string): Promise<number> {
    const { rows } = await this.pool.query<{ serial: string }>(query('sync/advance-index-serial'), [indexId, serial, url]);
    return Number(rows[0].serial);
  }
}
