/**
 * Reads what the package index serves from the mirror's tables: a project page (one indexed
 * query), the list of projects, and a file by its sha256 and name.
 */
import { query } from '@venvfarm/db';
import type { Pool } from 'pg';
import type { SimpleFileRow, SimpleProject, SimpleProjectEntry } from './simple-pages';

/** A file the index lists, as the files route needs it. */
export interface IndexedFile {
  readonly filename: string;
  readonly size: number | null;
  /** Where the upstream serves it; null for a file uploaded to a private index. */
  readonly url: string | null;
  readonly metadataSha256: string | null;
  readonly project: string;
}

interface PageRow {
  name: string;
  serial: string;
  version: string | null;
  filename: string | null;
  sha256: string | null;
  size: string | null;
  requires_python: string | null;
  yanked: boolean | null;
  yanked_reason: string | null;
  metadata_sha256: string | null;
  upload_time: Date | null;
}

export class SimpleIndexRepository {
  constructor(private readonly pool: Pool) {}

  /** The page of project `name` (normalized) of index `indexName`, or null when the index does not have it. */
  async projectPage(indexName: string, name: string): Promise<SimpleProject | null> {
    const { rows } = await this.pool.query<PageRow>(query('index/project-page'), [indexName, name]);
    if (rows.length === 0) return null;
    const files: SimpleFileRow[] = [];
    for (const row of rows) {
      if (row.filename === null || row.sha256 === null || row.version === null) continue;
      files.push({
        filename: row.filename,
        version: row.version,
        sha256: row.sha256,
        size: row.size === null ? null : Number(row.size),
        requiresPython: row.requires_python,
        yanked: row.yanked === true ? (row.yanked_reason ?? '') : false,
        metadataSha256: row.metadata_sha256,
        uploadTime: row.upload_time,
      });
    }
    return { name: rows[0].name, serial: Number(rows[0].serial), files };
  }

  /** Every project of the index, by name, with the largest serial among them. */
  async projects(indexName: string): Promise<{ projects: SimpleProjectEntry[]; serial: number }> {
    const { rows } = await this.pool.query<{ name: string; serial: string }>(query('index/project-names'), [indexName]);
    let serial = 0;
    const projects = rows.map((row) => {
      const entry = { name: row.name, serial: Number(row.serial) };
      if (entry.serial > serial) serial = entry.serial;
      return entry;
    });
    return { projects, serial };
  }

  /** The file listed under `sha256` (hex) and `filename`, or null. */
  async file(sha256: string, filename: string): Promise<IndexedFile | null> {
    const { rows } = await this.pool.query<{ filename: string; size: string | null; url: string | null; metadata_sha256: string | null; project: string }>(query('index/file-by-hash'), [sha256, filename]);
    if (rows.length === 0) return null;
    const row = rows[0];
    return { filename: row.filename, size: row.size === null ? null : Number(row.size), url: row.url, metadataSha256: row.metadata_sha256, project: row.project };
  }
}
