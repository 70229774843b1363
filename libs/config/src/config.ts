/**
 * The environment, validated once into one typed object (ARCHITECTURE.md "Commands and
 * configuration"). Everything else receives this object instead of reading process.env.
 */
import { resolve } from 'node:path';

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
}

/** A configuration value that cannot be used, named with its variable. */
export class ConfigError extends Error {}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false (on/off, 1/0): ${value}`);
}

function milliseconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive number of milliseconds: ${value}`);
  return n;
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

/** Reads and validates the configuration; command-line options override the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<VenvfarmConfig> = {}): VenvfarmConfig {
  return {
    databaseUrl: overrides.databaseUrl ?? url('DATABASE_URL', env.DATABASE_URL),
    redisUrl: overrides.redisUrl ?? url('REDIS_URL', env.REDIS_URL),
    upstream: overrides.upstream ?? url('VENVFARM_UPSTREAM', env.VENVFARM_UPSTREAM) ?? 'https://pypi.org/simple/',
    offline: overrides.offline ?? flag('VENVFARM_OFFLINE', env.VENVFARM_OFFLINE, false),
    runJobs: overrides.runJobs ?? flag('VENVFARM_JOBS', env.VENVFARM_JOBS, true),
    resolveTimeoutMs: overrides.resolveTimeoutMs ?? milliseconds('VENVFARM_RESOLVE_TIMEOUT_MS', env.VENVFARM_RESOLVE_TIMEOUT_MS, 30_000),
    dataDir: resolve(overrides.dataDir ?? env.VENVFARM_DATA_DIR ?? './.venvfarm'),
  };
}
