/**
 * The indexes venvfarm serves (the mirror of the upstream, and private ones that take uploads),
 * how they are layered, and their upload tokens.
 */
import { query } from '@venvfarm/db';
import type { Pool, PoolClient } from 'pg';

/** An index as the API shows it. */
export interface IndexView {
  readonly name: string;
  readonly kind: 'upstream' | 'private';
  /** The index it is layered in front of: names it does not have come from there. */
  readonly upstream: string | null;
  readonly projects: number;
  readonly created_at: string;
}

interface IndexRow {
  name: string;
  kind: 'upstream' | 'private';
  upstream: string | null;
  projects: string;
  created_at: Date;
}

const view = (row: IndexRow): IndexView => ({ name: row.name, kind: row.kind, upstream: row.upstream, projects: Number(row.projects), created_at: row.created_at.toISOString() });

export class IndexRegistryRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates a private index layered in front of `upstream` (or none); null when the name is taken. */
  async create(name: string, upstream: string | null): Promise<IndexView | null> {
    const { rowCount } = await this.pool.query(query('index/create-index'), [name, upstream]);
    return rowCount === 0 ? null : this.find(name);
  }

  async find(name: string): Promise<IndexView | null> {
    const { rows } = await this.pool.query<IndexRow>(query('index/list-indexes'), [name]);
    return rows.length === 0 ? null : view(rows[0]);
  }

  async list(): Promise<IndexView[]> {
    return (await this.pool.query<IndexRow>(query('index/list-indexes'), [null])).rows.map(view);
  }

  /** The names a project is looked up in, first first; empty when the index does not exist. */
  async layering(name: string): Promise<string[]> {
    return (await this.pool.query<{ name: string }>(query('index/layering'), [name])).rows.map((row) => row.name);
  }

  /** Stores a token's digest for the private index `indexName`; null when there is no such private index. */
  async createToken(indexName: string, digest: Buffer, description: string): Promise<{ id: number; created_at: string } | null> {
    const { rows } = await this.pool.query<{ id: number; created_at: Date }>(query('index/create-token'), [indexName, digest, description]);
    return rows.length === 0 ? null : { id: rows[0].id, created_at: rows[0].created_at.toISOString() };
  }

  /** Revokes a live token; false when the index has no such live token. */
  async revokeToken(indexName: string, id: number): Promise<boolean> {
    return ((await this.pool.query(query('index/revoke-token'), [indexName, id])).rowCount ?? 0) > 0;
  }

  /** The index a token belongs to, by the token's digest. */
  async tokenIndex(digest: Buffer): Promise<{ indexName: string; revoked: boolean } | null> {
    const { rows } = await this.pool.query<{ index_name: string; revoked: boolean }>(query('index/token-index'), [digest]);
    return rows.length === 0 ? null : { indexName: rows[0].index_name, revoked: rows[0].revoked };
  }

  /**
   * Runs `work` while holding the upload lock of `filename` in `indexName` (a PostgreSQL advisory
   * lock: also across processes), so two uploads of one file cannot both pass the check that
   * it is new.
   */
  async withUploadLock<T>(indexName: string, filename: string, work: (uploads: UploadRows) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const key = `venvfarm-upload/${indexName}/${filename}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      try {
        return await work(new UploadRows(client, indexName));
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      client.release();
    }
  }
}

/** What an upload reads and takes under its lock. */
export class UploadRows {
  constructor(
    private readonly client: PoolClient,
    private readonly indexName: string,
  ) {}

  async fileExists(project: string, filename: string): Promise<boolean> {
    return ((await this.client.query(query('index/file-in-index'), [this.indexName, filename, project])).rowCount ?? 0) > 0;
  }

  /** The index's id and its next serial. */
  async nextSerial(): Promise<{ indexId: number; serial: number }> {
    const { rows } = await this.client.query<{ id: number; serial: string }>(query('index/next-serial'), [this.indexName]);
    return { indexId: rows[0].id, serial: Number(rows[0].serial) };
  }
}
