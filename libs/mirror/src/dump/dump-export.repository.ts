/**
 * Reads an index for `venvfarm mirror export`, shard by shard, inside one read-only
 * REPEATABLE READ transaction so the export is a consistent snapshot even while a sync writes.
 */
import type { Pool, PoolClient } from 'pg';
import { query } from '@venvfarm/db';

/** A project row. */
export interface ExportProjectRow {
  id: number;
  name: string;
  serial: string;
}

/** A release joined with one of its files (file columns null for a release without files). */
export interface ExportReleaseRow {
  project_id: number;
  release_id: string;
  version: string;
  invalid: boolean;
  yanked: boolean;
  yanked_reason: string | null;
  serial: string;
  upload_time: Date | null;
  filename: string | null;
  requires_python: string | null;
  metadata_id: number | null;
  synthetic: boolean | null;
  sha256: string | null;
  size: string | null;
  url: string | null;
  file_yanked: boolean | null;
  file_yanked_reason: string | null;
  metadata_sha256: string | null;
  file_upload_time: Date | null;
}

/** A metadata row with its requirement strings. */
export interface ExportMetadataRow {
  id: number;
  provides_extras: string[];
  requires_dist: string[];
}

/** One snapshot of the mirror to export from. */
export class DumpExportRepository {
  private constructor(private readonly client: PoolClient) {}

  /** Opens the snapshot. */
  static async open(pool: Pool): Promise<DumpExportRepository> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    return new DumpExportRepository(client);
  }

  async projects(indexId: number): Promise<ExportProjectRow[]> {
    return (await this.client.query<ExportProjectRow>(query('ingest/export-projects'), [indexId])).rows;
  }

  async releases(projectIds: readonly number[]): Promise<ExportReleaseRow[]> {
    return (await this.client.query<ExportReleaseRow>(query('ingest/export-releases'), [projectIds])).rows;
  }

  async metadata(ids: readonly number[]): Promise<ExportMetadataRow[]> {
    return (await this.client.query<ExportMetadataRow>(query('ingest/export-metadata'), [ids])).rows;
  }

  /** Ends the snapshot. */
  async close(): Promise<void> {
    await this.client.query('COMMIT').catch(() => undefined);
    this.client.release();
  }
}
