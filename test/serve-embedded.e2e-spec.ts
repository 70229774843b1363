/**
 * The README's first command as a new user runs it (issue 10): `npm start` (`venvfarm serve`) with no
 * configuration but `--upstream` (pypi-sim with this machine's real wheels) and a data
 * directory. It runs everything in one process (embedded PostgreSQL, the queue on BullMQ's
 * PostgreSQL backend, Docker builds), says how to point pip, uv and the CLI at it, resolves,
 * builds and serves pip through its index; Ctrl-C stops it cleanly, and a second start reuses
 * the data.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeVenv, run } from './support/pip';
import { PypiSim, startPypiSim } from './support/pypi-sim';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const ROOT = resolve(__dirname, '..');

/**
 * `venvfarm serve ...` as the README's `npm start -- ...` runs it (`node bin/venvfarm.js serve`), in
 * a process group of its own as a terminal makes one, with none of venvfarm's configuration in the
 * environment.
 */
async function serve(dataDir: string, upstream: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|REDIS_URL|VENVFARM_)/.test(name)));
  const start = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
  expect(start).toBe('node bin/venvfarm.js serve');
  const child = spawn(process.execPath, ['bin/venvfarm.js', 'serve', '--port', '0', '--data-dir', dataDir, '--upstream', upstream], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no ready line in 120 s: ${out}`)), 120_000);
    const look = () => {
      const m = /venvfarm listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}: ${out}`));
    });
  });
  return { child, url, output: () => out };
}

/** Ctrl-C: SIGINT to the whole process group, as a terminal sends it (npm, the CLI and the server). */
async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  process.kill(-child.pid!, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const [code] = (await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r([undefined]), 10_000)))])) as [number | null | undefined];
  clearTimeout(timer);
  if (code === undefined) {
    process.kill(-child.pid!, 'SIGKILL');
    throw new Error('serve did not stop within 10 s of Ctrl-C');
  }
  return code;
}

describe('venvfarm serve (npm start), embedded, against pypi-sim', () => {
  let dir: string;
  let sim: PypiSim;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-serve-embedded-'));
    // As root the embedded PostgreSQL runs as another user, who must be able to reach its data dir.
    chmodSync(dir, 0o755);
    sim = await startPypiSim({ args: ['--wheelhouse', WHEELHOUSE], cacheDir: join(dir, 'sim') });
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves, builds and serves pip in one process, stops on Ctrl-C, and starts again on its data', async () => {
    const dataDir = join(dir, 'data');
    const first = await serve(dataDir, sim.simpleUrl);
    try {
      const { url } = first;
      // The hints go to stderr right after the ready line.
      for (let i = 0; i < 50 && !first.output().includes('uv pip install'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(first.output()).toContain(`pip install --index-url ${url}/simple`);
      expect(first.output()).toContain(`uv pip install --index-url ${url}/simple`);
      const admin = { Authorization: `Bearer ${readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()}`, 'Content-Type': 'application/json' };
      const body = JSON.stringify({ requirements: ['requests'], python: '3.11', platform: 'x86_64-manylinux_2_28' });

      const resolved = await fetch(`${url}/v1/resolve`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(resolved.status).toBe(200);
      const pins = ((await resolved.json()) as { pins: { name: string }[] }).pins.map((p) => p.name);
      expect(pins).toEqual(expect.arrayContaining(['requests', 'urllib3', 'idna', 'certifi']));

      // Resolve, build (in Docker, from the queue on PostgreSQL) and download in one call.
      const env = await fetch(`${url}/v1/envs?wait=600`, { method: 'POST', headers: admin, body });
      expect(env.status).toBe(200);
      expect(Buffer.from(await env.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

      const python = makeVenv(join(dir, 'venv'));
      const installed = await run(python, ['-m', 'pip', 'install', '--no-cache-dir', '--progress-bar', 'off', '--index-url', `${url}/simple`, 'requests']);
      expect(installed.stdout + installed.stderr).toMatch(/Successfully installed/);
      expect((await run(python, ['-c', 'import requests, urllib3, idna, certifi'])).status).toBe(0);
    } catch (error) {
      await stop(first.child).catch(() => undefined);
      throw error;
    }
    expect(await stop(first.child)).toBe(0);

    // The data stays: the second start has the projects, and asks the upstream nothing for them.
    await sim.resetStats();
    const second = await serve(dataDir, sim.simpleUrl);
    try {
      const status = (await (await fetch(`${second.url}/v1/mirror/status`)).json()) as { counts: { projects: number } };
      expect(status.counts.projects).toBeGreaterThanOrEqual(4);
      const page = await fetch(`${second.url}/simple/requests/`);
      expect(page.status).toBe(200);
      const stats = await sim.stats();
      expect(stats.requests_total - (stats.requests.sim ?? 0)).toBe(0);
    } catch (error) {
      await stop(second.child).catch(() => undefined);
      throw error;
    }
    expect(await stop(second.child)).toBe(0);
  }, 900_000);
});
