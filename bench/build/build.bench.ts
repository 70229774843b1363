/**
 * `npm run bench:build`: cold builds of real package sets on real Docker, next to plain pip on the
 * host, then cache-hit download + unpack, then the CLI's start time. Figures only, no assertions.
 *
 * The sets are bench/build/sets/{5,20,60}.txt (top-level requirements whose whole closure is
 * in this machine's wheelhouse, /opt/pypi/files; real pip resolves each from the wheelhouse
 * alone first, and venvfarm's pins are compared with pip's). pypi-sim serves the wheelhouse and
 * the real metadata snapshot, restricted to the projects of pip's pins (a fast start). Every
 * cold build gets a clean everything: a fresh test database (so a fresh mirror, resolve cache
 * and queue), a fresh data directory (artifact store, build directories) and its own
 * `venvfarm serve` (the built server, with its in-process worker and the Docker executor;
 * `serve` is run rather than the Nest app in this process because tsx does not emit the
 * decorator metadata NestJS injects by). Per set and run:
 *
 * - cold build: `POST /v1/builds` (python 3.11, x86_64-manylinux_2_28, the set as
 *   requirements_txt); "resolve" is the time to its 202 (resolving on an empty lazy mirror, filled
 *   from pypi-sim), then `GET /v1/builds/{id}` every 50 ms until done; the phases are the build's
 *   own `timings`; "queued" is started_at - requested_at.
 * - the peer: `python3.11 -m venv` + `pip install --no-index --no-deps --find-links DIR FILES`
 *   of the very wheel files the build pinned, on the host (PIP_* dropped): plain (pip compiles
 *   bytecode by default), with `--no-compile` (as the builder installs), and lean (`venv
 *   --without-pip` + the host's pip into it, `--no-compile`). Then the builder container alone:
 *   `true`, and the venv + pip bootstrap a build does before installing.
 * - cache hit: `POST /v1/builds` again (200), `GET /v1/envs/{key}.tar.gz` to a file and
 *   envpack's `unpackEnv` into a fresh directory (median of --hit-runs), and `tar -xzf` of the
 *   same file as the peer; `venvfarm pull KEY --into DIR` when the CLI has `pull`, and
 *   `venvfarm ci restore -r SET --into DIR`, each into a directory on the disk and in /dev/shm.
 *
 * Then `node -e ''` against `node bin/venvfarm.js --help` (median of --cli-runs).
 *
 *   tsx bench/build/build.bench.ts [--runs 1] [--sets 5,20,60] [--hit-runs 5] [--cli-runs 10] [--wheelhouse /opt/pypi/files]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, copyFileSync, createWriteStream, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createTestDatabase } from '@venvfarm/db/testing';
import { unpackEnv } from '@venvfarm/envpack';
import { REPO_ROOT, startPypiSim } from '../../test/support/pypi-sim';
import { dockerRun, hostPipInstall, HostInstall, HostPeer, normalize, pipDryRun, plainTarExtract, startTime, tarExtract } from './peers';

const SETS_DIR = join(REPO_ROOT, 'bench', 'build', 'sets');
const CLI = join(REPO_ROOT, 'bin', 'venvfarm.js');
const PYTHON = 'python3.11';
const TARGET = { python: '3.11', platform: 'x86_64-manylinux_2_28' };
/** The admin token of the bench's servers (given, so no token file is written). */
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** Known phases of a build's `timings`, in the order they run; others are printed after them. */
const PHASES = ['stage', 'container', 'install', 'pack', 'store'];
const HOST_PEERS: readonly HostPeer[] = ['plain', 'no-compile', 'lean'];
const BUILDER_IMAGE = 'venvfarm-builder:3.11';
/** What the builder's install script does before pip installs the pins (libs/builds executors/build-executor.ts). */
const BUILDER_BOOTSTRAP = 'python3 -m venv --without-pip /tmp/venv && W=$(ls /usr/share/python-wheels/pip-*.whl | head -1) && /tmp/venv/bin/python "$W/pip" install --quiet --no-index --no-deps --no-compile "$W"';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: readonly number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)) : '-');
const s = (x: number) => (Number.isFinite(x) ? (x / 1000).toFixed(2) : '-');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const both = (install: HostInstall | undefined) => (install ? install.venv + install.install : NaN);
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');

interface BuildView {
  id: number;
  key: string;
  status: 'queued' | 'building' | 'done' | 'failed';
  pins: { name: string; version: string; filename: string; sha256: string }[];
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  timings: Record<string, number>;
  size: number | null;
  error: string | null;
  download: string;
}

/** One cold build and what was measured around it. */
interface Run {
  set: string;
  pins: number;
  pinsEqualPip: string;
  resolve: number;
  queued: number;
  timings: Record<string, number>;
  wall: number;
  size: number;
  /** The host peers, by kind (absent when the pinned files are not all in the wheelhouse). */
  pip: Partial<Record<HostPeer, HostInstall>>;
  hitRequest: number;
  download: number;
  unpack: number;
  entries: number;
  tar: number;
  pull: number;
  /** `tar -xf` of the decompressed archive on the same disk: the disk's floor. */
  floor: number;
  /** `venvfarm pull` into memory (/dev/shm), NaN where there is none. */
  pullRam: number;
  /** `tar -xf` of the decompressed archive into memory. */
  floorRam: number;
  /** `venvfarm ci restore -r SET` (the whole command: CLI start, the request, download and unpack) on the disk, and into memory. */
  restore: number;
  restoreRam: number;
  note: string[];
}

async function startServer(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ url: string; child: ChildProcess; log: string }> {
  const log = join(dataDir, 'server.log');
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], { env, stdio: ['ignore', out, out] });
  closeSync(out);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = readFileSync(log, 'utf8');
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`server did not start (${child.exitCode ?? child.signalCode ?? 'timeout'}): ${text.slice(-2000)}`);
    }
    const ready = /venvfarm listening on (\S+)/.exec(text);
    if (ready) return { url: ready[1].replace(/\/$/, ''), child, log };
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function postBuild(url: string, requirementsTxt: string): Promise<{ status: number; ms: number; body: BuildView & { error?: string; detail?: string } }> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/builds`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...AUTH },
    body: JSON.stringify({ requirements_txt: requirementsTxt, ...TARGET }),
  });
  const body = (await res.json()) as BuildView & { error?: string; detail?: string };
  return { status: res.status, ms: performance.now() - started, body };
}

async function waitDone(url: string, id: number, timeoutMs = 20 * 60_000): Promise<BuildView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/v1/builds/${id}`, { headers: AUTH });
    const body = (await res.json()) as BuildView;
    if (body.status === 'done' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`build ${id} still ${body.status} after ${timeoutMs / 1000} s`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

async function download(url: string, path: string, file: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, { headers: AUTH });
  if (res.status !== 200 || res.body === null) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
  return performance.now() - started;
}

/** `venvfarm pull`'s usage when the CLI has the command, else null. */
async function pullUsage(): Promise<string | null> {
  const help = await startTime(process.execPath, [CLI, '--help']);
  if (!/^\s+pull\b/m.test(help.output)) return null;
  return (await startTime(process.execPath, [CLI, 'pull', '--help'])).output;
}

async function coldRun(set: string, text: string, pipPins: Map<string, string>, simUrl: string, wheelhouse: string, hitRuns: number, pull: string | null): Promise<Run> {
  const note: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), `venvfarm-bench-build-${set}-`));
  const db = await createTestDatabase();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, VENVFARM_UPSTREAM: simUrl, VENVFARM_DATA_DIR: dataDir, VENVFARM_EXECUTOR: 'docker', VENVFARM_ADMIN_TOKEN: ADMIN_TOKEN, VENVFARM_LOG_LEVEL: 'info' };
  delete env.REDIS_URL;
  delete env.VENVFARM_STORE;
  delete env.VENVFARM_BUILD_DIR;
  const server = await startServer(env, dataDir);
  try {
    const requested = performance.now();
    const posted = await postBuild(server.url, text);
    if (posted.status !== 202) throw new Error(`POST /v1/builds answered ${posted.status} on a clean store: ${JSON.stringify(posted.body).slice(0, 2000)}`);
    const build = await waitDone(server.url, posted.body.id);
    // From the request to the poll that saw it done (polls are 50 ms apart).
    const wall = performance.now() - requested;
    if (build.status !== 'done') throw new Error(`build ${build.id} of set ${set} failed: ${build.error}\n(server log: ${server.log})`);

    const ours = new Map(build.pins.map((p) => [normalize(p.name), p.version]));
    const differ = [...new Set([...ours.keys(), ...pipPins.keys()])].filter((name) => ours.get(name) !== pipPins.get(name));
    const pinsEqualPip = differ.length === 0 ? 'yes' : `no (${differ.map((n) => `${n} ${ours.get(n) ?? '-'}/${pipPins.get(n) ?? '-'}`).join(', ')})`;

    // The peer installs the very files the build pinned, from a directory holding just them.
    const available = new Set(readdirSync(wheelhouse));
    const missing = build.pins.filter((p) => !available.has(p.filename));
    const pip: Partial<Record<HostPeer, HostInstall>> = {};
    if (missing.length > 0) {
      note.push(`${set}: pinned files not in the wheelhouse, no pip peer: ${missing.map((p) => p.filename).join(' ')}`);
    } else {
      const wheelDir = mkdtempSync(join(tmpdir(), 'venvfarm-bench-wheels-'));
      try {
        for (const pin of build.pins) symlinkSync(join(wheelhouse, pin.filename), join(wheelDir, pin.filename));
        const files = build.pins.map((p) => p.filename);
        for (const peer of HOST_PEERS) pip[peer] = hostPipInstall(PYTHON, wheelDir, files, peer);
      } finally {
        rmSync(wheelDir, { recursive: true, force: true });
      }
    }

    // The peers ran synchronously: let the event loop see keep-alive sockets the server closed
    // meanwhile (its idle timeout), or the next request goes out on one ("other side closed").
    await new Promise((wait) => setTimeout(wait, 200));

    // Cache hit: the same request answers 200 at once; then download + unpack, and tar as the peer.
    const hit = await postBuild(server.url, text);
    if (hit.status !== 200) note.push(`${set}: the second POST /v1/builds answered ${hit.status}, not 200`);
    const hits: { download: number; unpack: number; entries: number; tar: number; pull: number; floor: number; pullRam: number; floorRam: number; restore: number; restoreRam: number }[] = [];
    const requirements = join(dataDir, `${set}.txt`);
    writeFileSync(requirements, text);
    const cliEnv = { ...process.env, VENVFARM_SERVER: server.url, VENVFARM_URL: server.url, VENVFARM_TOKEN: ADMIN_TOKEN, VENVFARM_ADMIN_TOKEN: ADMIN_TOKEN };
    const ram = existsSync('/dev/shm') ? '/dev/shm' : null;
    for (let i = 0; i < hitRuns; i++) {
      const tmp = mkdtempSync(join(tmpdir(), 'venvfarm-bench-hit-'));
      try {
        const tarball = join(tmp, 'env.tar.gz');
        const downloaded = await download(server.url, build.download, tarball);
        const started = performance.now();
        const unpacked = await unpackEnv(tarball, join(tmp, 'unpacked', 'venv'));
        const unpack = performance.now() - started;
        const tar = tarExtract(tarball);
        const floor = plainTarExtract(tarball);
        const floorRam = ram === null ? NaN : plainTarExtract(tarball, ram);
        await new Promise((wait) => setTimeout(wait, 200));
        const pullInto = async (dir: string) => {
          if (pull === null) return NaN;
          const args = [CLI, 'pull', build.key, '--into', dir];
          if (/--server\b/.test(pull)) args.push('--server', server.url);
          const result = await startTime(process.execPath, args, { ...process.env, VENVFARM_SERVER: server.url, VENVFARM_URL: server.url, VENVFARM_TOKEN: ADMIN_TOKEN, VENVFARM_ADMIN_TOKEN: ADMIN_TOKEN });
          if (result.exit < 0 && i === 0) note.push(`${set}: venvfarm pull failed: ${result.output.trim().split('\n').slice(-3).join(' / ')}`);
          return result.exit;
        };
        const restoreInto = async (dir: string) => {
          const result = await startTime(process.execPath, [CLI, 'ci', 'restore', '-r', requirements, '--python', TARGET.python, '--platform', TARGET.platform, '--into', dir], cliEnv);
          if (result.exit < 0 && i === 0) note.push(`${set}: venvfarm ci restore failed: ${result.output.trim().split('\n').slice(-3).join(' / ')}`);
          else if (i === 0 && !/cache hit/.test(result.output)) note.push(`${set}: venvfarm ci restore was not a cache hit: ${result.output.trim().split('\n').at(-1)}`);
          return result.exit;
        };
        const inMemory = async (measure: (dir: string) => Promise<number>) => {
          if (ram === null) return NaN;
          const inRam = mkdtempSync(join(ram, 'venvfarm-bench-pull-'));
          try {
            return await measure(join(inRam, 'venv'));
          } finally {
            rmSync(inRam, { recursive: true, force: true });
          }
        };
        const pulled = await pullInto(join(tmp, 'pulled', 'venv'));
        const pullRam = await inMemory(pullInto);
        const restore = await restoreInto(join(tmp, 'restored', 'venv'));
        const restoreRam = await inMemory(restoreInto);
        hits.push({ download: downloaded, unpack, entries: unpacked.entries, tar, pull: pulled, floor, pullRam, floorRam, restore, restoreRam });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    return {
      set,
      pins: build.pins.length,
      pinsEqualPip,
      resolve: posted.ms,
      queued: build.started_at ? Date.parse(build.started_at) - Date.parse(build.requested_at) : NaN,
      timings: build.timings,
      wall,
      size: build.size ?? NaN,
      pip,
      hitRequest: hit.ms,
      download: median(hits.map((h) => h.download)),
      unpack: median(hits.map((h) => h.unpack)),
      entries: hits[0]?.entries ?? 0,
      tar: median(hits.map((h) => h.tar)),
      pull: median(hits.map((h) => h.pull)),
      floor: median(hits.map((h) => h.floor)),
      pullRam: median(hits.map((h) => h.pullRam)),
      floorRam: median(hits.map((h) => h.floorRam)),
      restore: median(hits.map((h) => h.restore)),
      restoreRam: median(hits.map((h) => h.restoreRam)),
      note,
    };
  } catch (error) {
    // Keep the server's log, and say how it ended if it did.
    const kept = join(tmpdir(), `venvfarm-bench-build-${set}-${Date.now()}.log`);
    copyFileSync(server.log, kept);
    const ended = server.child.exitCode ?? server.child.signalCode;
    const cause = (error as Error).cause as (Error & { code?: string }) | undefined;
    const why = `${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message})` : ''}`;
    throw new Error(`set ${set}: ${why}${ended === null ? '; the server was still running' : `; the server had exited with ${ended}`}; its log: ${kept}`, { cause: error });
  } finally {
    await stopServer(server.child);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Number(option('runs', '1'));
  const sets = option('sets', '5,20,60').split(',').filter(Boolean);
  const hitRuns = Number(option('hit-runs', '5'));
  const cliRuns = Number(option('cli-runs', '10'));
  const wheelhouse = option('wheelhouse', '/opt/pypi/files');

  // Real pip first: each set must resolve from the wheelhouse alone.
  const pipPins = new Map<string, Map<string, string>>();
  for (const set of sets) {
    const { pins, ms: pipMs } = pipDryRun(PYTHON, wheelhouse, join(SETS_DIR, `${set}.txt`));
    pipPins.set(set, pins);
    say(`set ${set}: pip resolves ${pins.size} pins from ${wheelhouse} alone (${s(pipMs)} s): ${[...pins].map(([n, v]) => `${n}==${v}`).join(' ')}`);
  }
  const simDir = mkdtempSync(join(tmpdir(), 'venvfarm-bench-build-sim-'));
  const projectsFile = join(simDir, 'projects.txt');
  writeFileSync(projectsFile, [...new Set([...pipPins.values()].flatMap((pins) => [...pins.keys()]))].sort().join('\n') + '\n');
  const simStarted = performance.now();
  const sim = await startPypiSim({ projectsFile, args: ['--wheelhouse', wheelhouse] });
  say(`pypi-sim: real data + ${wheelhouse}, restricted to the ${readFileSync(projectsFile, 'utf8').trim().split('\n').length} projects of the pins, up in ${s(performance.now() - simStarted)} s`);
  const pull = await pullUsage();
  say(`target: CPython ${TARGET.python} on ${TARGET.platform}, executor docker (venvfarm-builder:3.11); ${runs} cold build(s) per set, each on a clean database, store and server; cache hit = median of ${hitRuns}`);
  say(`host: ${PYTHON} ${(await startTime(PYTHON, ['-c', 'import sys, pip; print(sys.version.split()[0], "pip", pip.__version__)'])).output.trim()}, node ${process.version}; venvfarm pull: ${pull === null ? 'not in this CLI' : 'present'}\n`);

  const results: Run[] = [];
  try {
    for (const set of sets) {
      const text = readFileSync(join(SETS_DIR, `${set}.txt`), 'utf8');
      for (let r = 0; r < runs; r++) {
        const run = await coldRun(set, text, pipPins.get(set)!, sim.simpleUrl, wheelhouse, hitRuns, pull);
        results.push(run);
        say(`set ${set} run ${r + 1}: ${run.pins} pins, build ${s(run.timings.total)} s (${JSON.stringify(run.timings)}), resolve ${ms(run.resolve)} ms, pip ${HOST_PEERS.map((p) => `${p} ${s(both(run.pip[p]))}`).join(', ')} s`);
      }
    }
  } finally {
    await sim.stop();
    rmSync(simDir, { recursive: true, force: true });
  }

  const bySet = sets.map((set) => ({ set, runs: results.filter((r) => r.set === set) })).filter((g) => g.runs.length > 0);
  const med = (runsOf: Run[], pick: (r: Run) => number) => median(runsOf.map(pick));
  const phases = [...PHASES.filter((p) => results.some((r) => p in r.timings)), ...[...new Set(results.flatMap((r) => Object.keys(r.timings)))].filter((p) => !PHASES.includes(p) && p !== 'total' && p !== 'resolve')];

  say(`\n### Cold build, phases (ms, median of ${runs} run(s) per set)\n`);
  say(`| set | pins | pins equal pip | resolve (to the 202) | queued | ${phases.map((p) => (p === 'install' ? 'install (container)' : p)).join(' | ')} | build total | POST to done | tarball |`);
  say(`| --- | --- | --- | --- | --- | ${phases.map(() => '---').join(' | ')} | --- | --- | --- |`);
  for (const { set, runs: rs } of bySet) {
    say(`| ${set} | ${rs[0].pins} | ${rs[0].pinsEqualPip} | ${ms(med(rs, (r) => r.resolve))} | ${ms(med(rs, (r) => r.queued))} | ${phases.map((p) => ms(med(rs, (r) => r.timings[p] ?? NaN))).join(' | ')} | ${ms(med(rs, (r) => r.timings.total))} | ${ms(med(rs, (r) => r.wall))} | ${mib(med(rs, (r) => r.size))} |`);
  }

  say(`\n### Cold build against pip on the host (s, median; the same wheel files; pip = venv + install)\n`);
  say('| set | venvfarm build total | venvfarm POST to done | pip plain | **build / pip plain** | POST-to-done / pip plain | pip --no-compile | build / pip --no-compile | pip lean | build / pip lean |');
  say('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { set, runs: rs } of bySet) {
    const build = med(rs, (r) => r.timings.total);
    const wall = med(rs, (r) => r.wall);
    const peer = (kind: HostPeer) => med(rs, (r) => both(r.pip[kind]));
    const split = (kind: HostPeer) => `${s(peer(kind))} (${s(med(rs, (r) => r.pip[kind]?.venv ?? NaN))} + ${s(med(rs, (r) => r.pip[kind]?.install ?? NaN))})`;
    say(`| ${set} | ${s(build)} | ${s(wall)} | ${split('plain')} | **${ratio(build, peer('plain'))}** | ${ratio(wall, peer('plain'))} | ${split('no-compile')} | ${ratio(build, peer('no-compile'))} | ${split('lean')} | ${ratio(build, peer('lean'))} |`);
  }

  say(`\n### The builder container alone (ms, median of 3; docker run --rm, confined as builds are)\n`);
  say('| what runs in it | ms |');
  say('| --- | --- |');
  for (const [label, script] of [['`true`', 'true'], ['the venv + pip bootstrap of a build, no packages', BUILDER_BOOTSTRAP]] as const) {
    say(`| ${label} | ${ms(median([0, 1, 2].map(() => dockerRun(BUILDER_IMAGE, script))))} |`);
  }

  say(`\n### Cache hit (ms, median of ${hitRuns} per run)\n`);
  say(`| set | tarball | entries | POST /v1/builds (200) | GET tarball to file | unpackEnv | download + unpack | tar -xzf (peer) |${pull ? ' venvfarm pull |' : ''}`);
  say(`| --- | --- | --- | --- | --- | --- | --- | --- |${pull ? ' --- |' : ''}`);
  for (const { set, runs: rs } of bySet) {
    const dl = med(rs, (r) => r.download);
    const un = med(rs, (r) => r.unpack);
    say(`| ${set} | ${mib(med(rs, (r) => r.size))} | ${rs[0].entries.toLocaleString('en-US')} | ${ms(med(rs, (r) => r.hitRequest))} | ${ms(dl)} | ${ms(un)} | **${ms(dl + un)}** | ${ms(med(rs, (r) => r.tar))} |${pull ? ` ${ms(med(rs, (r) => r.pull))} |` : ''}`);
  }
  say('\nThe floor of an unpack on this machine: `tar -xf` of the same archive, decompressed beforehand (nothing to inflate: the files and bytes written), on the disk of the runs above and in memory (/dev/shm); `venvfarm pull KEY` and `venvfarm ci restore -r SET` (whole commands: CLI start, requests, download, unpack) beside it:\n');
  say('| set | tar -xf, decompressed (disk) | tar -xf, decompressed (memory) | venvfarm pull (disk) | venvfarm pull (memory) | ci restore (disk) | ci restore (memory) |');
  say('| --- | --- | --- | --- | --- | --- | --- |');
  for (const { set, runs: rs } of bySet) {
    say(`| ${set} | ${ms(med(rs, (r) => r.floor))} | ${ms(med(rs, (r) => r.floorRam))} | ${ms(med(rs, (r) => r.pull))} | ${ms(med(rs, (r) => r.pullRam))} | ${ms(med(rs, (r) => r.restore))} | ${ms(med(rs, (r) => r.restoreRam))} |`);
  }

  say(`\n### CLI start (ms, median of ${cliRuns}; first byte of output / exit)\n`);
  say('| command | first byte | exit | min exit | max exit |');
  say('| --- | --- | --- | --- | --- |');
  const commands: [string, string[]][] = [
    ["node -e ''", ['-e', '']],
    ['node bin/venvfarm.js --help', [CLI, '--help']],
  ];
  if (pull !== null) commands.push(['node bin/venvfarm.js pull --help', [CLI, 'pull', '--help']]);
  const bare: number[] = [];
  for (const [label, args] of commands) {
    const times: { firstByte: number; exit: number }[] = [];
    for (let i = 0; i < cliRuns; i++) times.push(await startTime(process.execPath, args));
    const exits = times.map((t) => t.exit);
    if (bare.length === 0) bare.push(median(exits));
    const failed = exits.some((e) => e < 0) ? ' (exited non-zero)' : '';
    say(`| \`${label}\`${failed} | ${label.startsWith("node -e") ? '-' : ms(median(times.map((t) => t.firstByte)))} | ${ms(median(exits))} | ${ms(Math.min(...exits))} | ${ms(Math.max(...exits))} |`);
  }

  const notes = results.flatMap((r) => r.note);
  if (notes.length > 0) say('');
  for (const line of [...new Set(notes)]) say(`note: ${line}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
