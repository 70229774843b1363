/**
 * Opens the mirror's database: the PostgreSQL of DATABASE_URL, or an embedded one in the data
 * directory; runs migrations; hands out one pg Pool. Repositories are the only users of it.
 */
import { Pool } from 'pg';
import type { VenvfarmConfig } from '@venvfarm/config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { migrate } from './migrate';

/** How the pool's connections are used right now (metrics). */
export interface PoolUsage {
  /** Connections open, idle or in use. */
  readonly total: number;
  readonly idle: number;
  /** Callers queued for a connection because all `max` are in use. */
  readonly waiting: number;
}

/** An open, migrated database; also the NestJS injection token of the process's one database. */
export abstract class Database {
  abstract readonly pool: Pool;
  abstract readonly url: string;
  /** Resolves when the server answers a trivial query; rejects otherwise (readiness). */
  abstract ping(): Promise<void>;
  abstract poolUsage(): PoolUsage;
  abstract close(): Promise<void>;
}

/** What the caller wants to hear about an open database. */
export interface DatabaseOptions {
  /**
   * An idle connection was lost (server restart, failover, an administrator); the pool drops it
   * and connects again when needed. Default: nobody is told.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** Connects (starting the embedded server when no URL is configured) and migrates. */
export async function openDatabase(config: Pick<VenvfarmConfig, 'databaseUrl' | 'dataDir'>, options: DatabaseOptions = {}): Promise<Database> {
  const embedded = config.databaseUrl === null ? await startEmbeddedPostgres(config.dataDir) : null;
  const url = config.databaseUrl ?? embedded!.url;
  // JIT off: the mirror's queries are index probes that run in milliseconds, and PostgreSQL's
  // estimates for recursive or array-heavy queries are large enough to trigger JIT compilation,
  // which costs 100-300 ms each time.
  const pool = new Pool({ connectionString: url, max: 8, options: '-c jit=off' });
  // An idle connection the server closes (restart, failover, an administrator) emits 'error' on
  // the pool; unhandled, that would end the process. The pool drops the client and reconnects.
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  pool.on('error', (error) => onConnectionError(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  return {
    pool,
    url,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
}
