/**
 * Starts pypi-sim (../shared/tools/pypi-sim/pypi_sim.py, beside the checkout) as a subprocess on
 * 127.0.0.1 with `--port 0 --watch-parent`, waits for its one ready line, and wraps its test
 * controls (`/_sim/advance`, `/_sim/yank`, `/_sim/stats`). `--watch-parent` makes it exit on
 * its own if the test runner dies without stopping it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The checkout's root. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
/** shared/ sits beside the checkout. */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');
export const PYPI_SIM = resolve(SHARED_DIR, 'tools', 'pypi-sim', 'pypi_sim.py');
/** The real data set and its popular subset. */
export const PYPI_DATA = resolve(SHARED_DIR, 'data', 'pypi-2023-09');
export const POPULAR_TXT = resolve(PYPI_DATA, 'popular.txt');

export interface PypiSimOptions {
  /** `--data`; default the pypi-2023-09 data set. */
  readonly data?: string;
  readonly projectsFile?: string;
  readonly serial?: number;
  readonly failRate?: number;
  readonly seed?: number;
  readonly latencyMs?: number;
  readonly noJson?: boolean;
  readonly cacheDir?: string;
  /** More arguments, as written. */
  readonly args?: readonly string[];
  /** Milliseconds to wait for the ready line. Default 60 s. */
  readonly startTimeoutMs?: number;
}

/** Counters of `/_sim/stats` (the ones tests read; the rest is there too). */
export interface PypiSimStats {
  requests_total: number;
  requests: Record<string, number>;
  responses: Record<string, number>;
  injected_failures: number;
  metadata_downloads: Record<string, number>;
  xmlrpc_calls: Record<string, number>;
  serial: number;
  [key: string]: unknown;
}

/** A running simulator. */
export interface PypiSim {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT/simple/` */
  readonly simpleUrl: string;
  readonly process: ChildProcess;
  /** What it wrote on stderr so far (bounded). */
  stderr(): string;
  advance(serial?: number): Promise<{ serial: number }>;
  yank(project: string, version: string, reason?: string): Promise<{ serial: number }>;
  stats(): Promise<PypiSimStats>;
  resetStats(): Promise<void>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** Starts pypi-sim and resolves once it listens. */
export async function startPypiSim(options: PypiSimOptions = {}): Promise<PypiSim> {
  const args = [PYPI_SIM, '--data', options.data ?? PYPI_DATA, '--host', '127.0.0.1', '--port', '0', '--watch-parent'];
  if (options.projectsFile !== undefined) args.push('--projects-file', options.projectsFile);
  if (options.serial !== undefined) args.push('--serial', String(options.serial));
  if (options.failRate !== undefined) args.push('--fail-rate', String(options.failRate));
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (options.latencyMs !== undefined) args.push('--latency-ms', String(options.latencyMs));
  if (options.noJson) args.push('--no-json');
  if (options.cacheDir !== undefined) args.push('--cache-dir', options.cacheDir);
  args.push(...(options.args ?? []));

  const child = spawn(process.env.PYTHON ?? 'python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const line = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`pypi-sim did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolveLine(l);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pypi-sim exited with ${code}:\n${stderr}`));
    });
    child.once('error', reject);
  });
  const match = /^pypi-sim listening on (\S+)$/.exec(line);
  if (!match) {
    child.kill('SIGTERM');
    throw new Error(`unexpected pypi-sim output: ${line}`);
  }
  const url = match[1].replace(/\/$/, '');

  const control = async <T>(method: 'GET' | 'POST', path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { method });
    const text = await response.text();
    if (!response.ok) throw new Error(`pypi-sim ${method} ${path}: HTTP ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  };

  return {
    url,
    simpleUrl: `${url}/simple/`,
    process: child,
    stderr: () => stderr,
    advance: (serial) => control('POST', `/_sim/advance${serial === undefined ? '' : `?serial=${serial}`}`),
    yank: (project, version, reason) =>
      control('POST', `/_sim/yank?project=${encodeURIComponent(project)}&version=${encodeURIComponent(version)}${reason === undefined ? '' : `&reason=${encodeURIComponent(reason)}`}`),
    stats: () => control('GET', '/_sim/stats'),
    resetStats: async () => {
      await control('POST', '/_sim/stats/reset');
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
