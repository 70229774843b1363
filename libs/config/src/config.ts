/**
 * The environment, validated once into one typed object (ARCHITECTURE.md "Commands and
 * configuration"). Everything else receives this object instead of reading process.env.
 */
import { join, resolve } from 'node:path';

/**
 * venvfarm's configuration. An abstract class rather than an interface so that it is also the
 * NestJS injection token of the one config object (tests override that provider).
 */
export abstract class VenvfarmConfig {
  /** External PostgreSQL; when absent an embedded PostgreSQL runs in `dataDir`. */
  abstract readonly databaseUrl: string | null;
  /** Redis for queues and the resolve cache; when absent PostgreSQL serves both. */
  abstract readonly redisUrl: string | null;
  /** Upstream simple index. */
  abstract readonly upstream: string;
  /**
   * `VENVFARM_OFFLINE=true`: the server answers from the mirror alone and never asks the
   * upstream for a project it has not seen (an air-gapped mirror; explicit syncs still run).
   */
  abstract readonly offline: boolean;
  /**
   * `VENVFARM_JOBS=off`: this API process leaves queued mirror jobs to worker processes
   * (scale-out); by default it runs them itself, as the embedded single process must.
   */
  abstract readonly runJobs: boolean;
  /** `VENVFARM_RESOLVE_TIMEOUT_MS`: how long one resolution may take before it is too_complex. */
  abstract readonly resolveTimeoutMs: number;
  /** Where embedded state lives (PostgreSQL data, artifacts). */
  abstract readonly dataDir: string;
  /** `VENVFARM_LOG_LEVEL`: the least severe level logged; `silent` logs nothing. Default `info`. */
  abstract readonly logLevel: LogLevel;
  /**
   * `VENVFARM_ADMIN_TOKEN`: the bearer token of admin operations (starting syncs; index, token and
   * build administration). When unset the API server makes one at first start and keeps it in
   * `dataDir/admin-token`.
   */
  abstract readonly adminToken: string | null;
  /**
   * `VENVFARM_READ_TOKEN`: when set, read endpoints also need a bearer token (this one or the
   * admin token); health endpoints stay open. Unset, reads are open.
   */
  abstract readonly readToken: string | null;
  /**
   * `VENVFARM_QUEUE_NAMESPACE`: the Redis key prefix, or the PostgreSQL schema, of the job queues
   * (a PostgreSQL identifier). Default `venvfarm_queue`.
   */
  abstract readonly queueNamespace: string;
  /**
   * `VENVFARM_QUEUE_LOCK_MS`: how long a worker's hold on a running job lasts unrenewed; a job
   * whose worker died goes back to the queue after it. Default 30000.
   */
  abstract readonly queueLockMs: number;
  /** `VENVFARM_QUEUE_STALLED_INTERVAL_MS`: how often workers look for jobs of dead workers. Default 30000. */
  abstract readonly queueStalledIntervalMs: number;
  /**
   * `VENVFARM_QUEUE_MAX_STALLS`: how many times a job whose worker died is given back to the
   * queue; once more and it fails for good (a job that kills its worker, say out of memory, most
   * likely does it again). Default 2; 0 fails a job the first time its worker is lost.
   */
  abstract readonly queueMaxStalls: number;
  /**
   * `VENVFARM_QUEUE_TIMEOUT_MS`: how long a call to the queue backend made for a request (and
   * the first connection at start-up) may take before it fails (HTTP 503). Default 5000.
   */
  abstract readonly queueTimeoutMs: number;
  /** Where artifacts and tarballs are kept: a directory or `s3://bucket/prefix` (`VENVFARM_STORE`; default `<data dir>/store`). */
  abstract readonly store: string;
  /** Which executor builds: `docker`, `local`, or `auto` (Docker when an engine answers) (`VENVFARM_EXECUTOR`). */
  abstract readonly executor: 'auto' | 'docker' | 'local';
  /** Builds one process runs at once (`VENVFARM_BUILD_CONCURRENCY`, default 2). */
  abstract readonly buildConcurrency: number;
  /** Memory limit of one build (`VENVFARM_BUILD_MEMORY_MB`, default 2048). */
  abstract readonly buildMemoryMb: number;
  /** Wall-time limit of one build's install (`VENVFARM_BUILD_TIMEOUT_MS`, default 15 minutes). */
  abstract readonly buildTimeoutMs: number;
  /** Where build directories are made (`VENVFARM_BUILD_DIR`; default `<data dir>/builds`). */
  abstract readonly buildDir: string;
  /** The largest file a private index accepts, in bytes (`VENVFARM_UPLOAD_MAX_MB`, default 100). */
  abstract readonly uploadMaxBytes: number;
}

/** A configuration value that cannot be used, named with its variable. */
export class ConfigError extends Error {}

/** Log levels, most verbose first (pino's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(name: string, value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info';
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}: ${value}`);
  return level as LogLevel;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false (on/off, 1/0): ${value}`);
}

/** A positive whole number of `unit` (the message names it), or `fallback` when unset. */
function positive(name: string, value: string | undefined, fallback: number, unit = 'whole number'): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive ${unit}: ${value}`);
  return n;
}

/** A whole number, 0 or more. */
function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number (0 or more): ${value}`);
  return n;
}

const milliseconds = (name: string, value: string | undefined, fallback: number) => positive(name, value, fallback, 'number of milliseconds');

function executorKind(value: string | undefined): 'auto' | 'docker' | 'local' {
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'docker' || value === 'local') return value;
  throw new ConfigError(`VENVFARM_EXECUTOR must be auto, docker or local: ${value}`);
}

function identifier(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(value)) throw new ConfigError(`${name} must be letters, digits and _ (not first), at most 63: ${value}`);
  return value;
}

function url(name: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL: ${value}`);
  }
  return value;
}

/** The shortest token accepted: 128 bits of entropy written in hex or base64 take 22 or more characters. */
export const MIN_TOKEN_LENGTH = 16;
/** RFC 6750 `b64token` syntax, so the token can travel in an `Authorization: Bearer` header as is. */
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Whether `text` can be a bearer token: long enough, and sendable in a header as is. */
export function isUsableToken(text: string): boolean {
  return text.length >= MIN_TOKEN_LENGTH && TOKEN_SYNTAX.test(text);
}

function token(name: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  // The value itself is never repeated in the message: it may be a real secret with a typo.
  if (value.length < MIN_TOKEN_LENGTH) throw new ConfigError(`${name} must have at least ${MIN_TOKEN_LENGTH} characters (it has ${value.length})`);
  if (!TOKEN_SYNTAX.test(value)) throw new ConfigError(`${name} may only contain letters, digits and -._~+/ (then = padding)`);
  return value;
}

/** Reads and validates the configuration; command-line options override the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<VenvfarmConfig> = {}): VenvfarmConfig {
  const dataDir = resolve(overrides.dataDir ?? env.VENVFARM_DATA_DIR ?? './.venvfarm');
  return {
    databaseUrl: overrides.databaseUrl ?? url('DATABASE_URL', env.DATABASE_URL),
    redisUrl: overrides.redisUrl ?? url('REDIS_URL', env.REDIS_URL),
    upstream: overrides.upstream ?? url('VENVFARM_UPSTREAM', env.VENVFARM_UPSTREAM) ?? 'https://pypi.org/simple/',
    offline: overrides.offline ?? flag('VENVFARM_OFFLINE', env.VENVFARM_OFFLINE, false),
    runJobs: overrides.runJobs ?? flag('VENVFARM_JOBS', env.VENVFARM_JOBS, true),
    resolveTimeoutMs: overrides.resolveTimeoutMs ?? milliseconds('VENVFARM_RESOLVE_TIMEOUT_MS', env.VENVFARM_RESOLVE_TIMEOUT_MS, 30_000),
    dataDir,
    logLevel: overrides.logLevel ?? logLevel('VENVFARM_LOG_LEVEL', env.VENVFARM_LOG_LEVEL),
    adminToken: overrides.adminToken !== undefined ? overrides.adminToken : token('VENVFARM_ADMIN_TOKEN', env.VENVFARM_ADMIN_TOKEN),
    readToken: overrides.readToken !== undefined ? overrides.readToken : token('VENVFARM_READ_TOKEN', env.VENVFARM_READ_TOKEN),
    queueNamespace: overrides.queueNamespace ?? identifier('VENVFARM_QUEUE_NAMESPACE', env.VENVFARM_QUEUE_NAMESPACE, 'venvfarm_queue'),
    queueLockMs: overrides.queueLockMs ?? milliseconds('VENVFARM_QUEUE_LOCK_MS', env.VENVFARM_QUEUE_LOCK_MS, 30_000),
    queueStalledIntervalMs: overrides.queueStalledIntervalMs ?? milliseconds('VENVFARM_QUEUE_STALLED_INTERVAL_MS', env.VENVFARM_QUEUE_STALLED_INTERVAL_MS, 30_000),
    queueMaxStalls: overrides.queueMaxStalls ?? count('VENVFARM_QUEUE_MAX_STALLS', env.VENVFARM_QUEUE_MAX_STALLS, 2),
    queueTimeoutMs: overrides.queueTimeoutMs ?? milliseconds('VENVFARM_QUEUE_TIMEOUT_MS', env.VENVFARM_QUEUE_TIMEOUT_MS, 5_000),
    store: overrides.store ?? (env.VENVFARM_STORE || join(dataDir, 'store')),
    executor: overrides.executor ?? executorKind(env.VENVFARM_EXECUTOR),
    buildConcurrency: overrides.buildConcurrency ?? positive('VENVFARM_BUILD_CONCURRENCY', env.VENVFARM_BUILD_CONCURRENCY, 2),
    buildMemoryMb: overrides.buildMemoryMb ?? positive('VENVFARM_BUILD_MEMORY_MB', env.VENVFARM_BUILD_MEMORY_MB, 2048),
    buildTimeoutMs: overrides.buildTimeoutMs ?? milliseconds('VENVFARM_BUILD_TIMEOUT_MS', env.VENVFARM_BUILD_TIMEOUT_MS, 15 * 60_000),
    buildDir: resolve(overrides.buildDir ?? env.VENVFARM_BUILD_DIR ?? join(dataDir, 'builds')),
    uploadMaxBytes: overrides.uploadMaxBytes ?? positive('VENVFARM_UPLOAD_MAX_MB', env.VENVFARM_UPLOAD_MAX_MB, 100, 'number of MiB') * 1024 * 1024,
  };
}
