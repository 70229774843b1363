/**
 * The built venvfarm processes as a deployment runs them (`npm test` builds dist/ first): the
 * worker (dist/apps/worker/main.js) and `venvfarm serve` (dist/apps/cli/main.js), each a child
 * process of its own that a test can kill with SIGKILL or stop with SIGTERM. Their output is
 * kept (bounded) for the failure message of a test.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './pypi-sim';

/** A running venvfarm process. */
export interface VenvfarmProcess {
  readonly process: ChildProcess;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed so far (stdout and stderr, the last 20 kB). */
  output(): string;
  /** Sends a signal (SIGTERM, SIGKILL) to the process and resolves once it has exited. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * SIGKILL to the process and everything it started (`serve` runs the API as a child, which
   * would otherwise outlive it and hold the test runner's pipes open).
   */
  killAll(): Promise<void>;
}

function built(path: string): string {
  const file = resolve(REPO_ROOT, path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (npm test does it first)`);
  return file;
}

function start(args: string[], env: NodeJS.ProcessEnv): VenvfarmProcess {
  // A process group of its own, so that killAll() reaches the children too.
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return {
    process: child,
    exited,
    output: () => output,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    killAll: async () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
      await exited;
    },
  };
}

/**
 * The environment of a child: this process's, minus anything that would point it elsewhere
 * (a developer's REDIS_URL, DATABASE_URL, ...), plus `env`.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|REDIS_URL|VENVFARM_.*)$/.test(name)));
  return { ...base, ...env };
}

/** Starts `node dist/apps/worker/main.js`. */
export function startWorker(env: Record<string, string>): VenvfarmProcess {
  return start([built('dist/apps/worker/main.js')], childEnv(env));
}

/**
 * Starts `venvfarm serve --port 0` and resolves once it printed its listening line, with the
 * URL it listens on.
 */
export async function startServe(args: string[], env: Record<string, string>): Promise<VenvfarmProcess & { url: string }> {
  const serve = start([built('dist/apps/cli/main.js'), 'serve', '--host', '127.0.0.1', '--port', '0', ...args], childEnv(env));
  const url = await new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: serve.process.stdout! }).on('line', (line) => {
      const match = /^venvfarm listening on (\S+)$/.exec(line);
      if (match) resolveUrl(match[1]);
    });
    void serve.exited.then(({ code, signal }) => reject(new Error(`venvfarm serve exited (${code ?? signal}) before listening:\n${serve.output()}`)));
  });
  return { ...serve, url };
}
