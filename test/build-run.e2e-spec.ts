/**
 * A build on real Docker (issue 9): real wheels from this machine's wheelhouse, served by
 * pypi-sim, staged into a fresh store, installed in the offline builder image, made relocatable
 * and packed; the tarball unpacked on the host into two directories (one with a space) works in
 * each. Also: the same plan builds the same bytes, limits and hash mismatches fail cleanly and
 * leave nothing behind, and a build container has no network and no root.
 *
 * Needs a Docker engine and the builder image `venvfarm-builder:3.11` (.ci/run starts the
 * engine and makes the image with docker/builder/bootstrap-offline.sh).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ENVS_NAMESPACE, BuildLimitError, buildKey, DockerExecutor, ExecutorTarget, planBuild, runBuild, tarballName, ResolvedPin } from '@venvfarm/builds';
import { FetchableFile, FileArtifactStore, HashMismatchError } from '@venvfarm/artifacts';
import { unpackEnv } from '@venvfarm/envpack';
import { UpstreamClient } from '@venvfarm/upstream';
import { PYPI_SIM } from './support/pypi-sim';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const PROJECTS = ['six', 'idna', 'markupsafe', 'pygments', 'certifi'];
const LIMITS = { memoryBytes: 512 * 2 ** 20, cpus: 2, pids: 256, timeoutMs: 120_000 };

interface Sim {
  url: string;
  stop(): void;
}

async function startSim(): Promise<Sim> {
  const child = spawn(process.env.PYTHON ?? 'python3', [PYPI_SIM, '--wheelhouse', WHEELHOUSE, '--host', '127.0.0.1', '--port', '0', '--watch-parent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`pypi-sim exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** The pins as the resolve answer would give them: each project's newest release, its wheel for cp311 manylinux. */
async function pinsFrom(sim: Sim): Promise<ResolvedPin[]> {
  const pins: ResolvedPin[] = [];
  for (const project of PROJECTS) {
    const page = (await (await fetch(`${sim.url}/simple/${project}/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } })).json()) as { files: { filename: string; url: string; hashes: { sha256: string } }[] };
    const wheel = page.files.filter((f) => f.filename.endsWith('.whl') && (f.filename.includes('-none-any') || f.filename.includes('cp311-cp311-manylinux'))).at(-1);
    if (wheel === undefined) throw new Error(`no wheel of ${project} in ${WHEELHOUSE}`);
    const version = wheel.filename.split('-')[1];
    pins.push({ name: project, version, files: [{ filename: wheel.filename, url: new URL(wheel.url, `${sim.url}/simple/${project}/`).toString(), sha256: wheel.hashes.sha256 }] });
  }
  return pins;
}

const sh = (cwd: string, script: string) => execFileSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' } });

describe('a build on real Docker', () => {
  const docker = new Docker();
  const executor = new DockerExecutor(docker, ['3.11']);
  let sim: Sim;
  let scratch: string;
  let target: ExecutorTarget;
  let pins: ResolvedPin[];
  let upstream: UpstreamClient;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'venvfarm-build-'));
    sim = await startSim();
    [target] = await executor.targets();
    if (target === undefined) throw new Error('no builder image venvfarm-builder:3.11: run docker/builder/bootstrap-offline.sh 3.11');
    pins = await pinsFrom(sim);
    upstream = new UpstreamClient(`${sim.url}/simple/`, { retries: 1 });
  });

  afterAll(async () => {
    sim?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  async function build(store: FileArtifactStore, plan = planBuild('3.11', 'x86_64-manylinux_2_28', pins), limits = LIMITS, workRoot = join(scratch, 'work')) {
    const key = buildKey(plan, { builderDigest: target.builderDigest });
    const log: string[] = [];
    const built = await runBuild({ key, plan, target, executor, store, limits, workRoot, fetch: (file: FetchableFile, signal) => upstream.downloadFile(file.url, { signal }), onLog: (line) => log.push(line) });
    return { key, built, log };
  }

  it('installs the pins in the builder; the tarball works wherever it is unpacked, and is the same bytes when built again', async () => {
    const first = await FileArtifactStore.open(join(scratch, 'store-1'));
    const second = await FileArtifactStore.open(join(scratch, 'store-2'));
    const a = await build(first);
    const b = await build(second);
    expect(b.key).toBe(a.key);
    expect(b.built.sha256).toBe(a.built.sha256);
    const bytes = await readFile(join(scratch, 'store-1', 'named', ENVS_NAMESPACE, tarballName(a.key)));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.built.sha256);

    for (const dir of [join(scratch, 'unpacked', 'plain'), join(scratch, 'unpacked', 'with space', 'env')]) {
      await mkdir(join(dir, '..'), { recursive: true });
      await unpackEnv(join(scratch, 'store-1', 'named', ENVS_NAMESPACE, tarballName(a.key)), dir);
      sh(dir, `bin/python -c 'import six, idna, markupsafe, pygments, certifi; assert markupsafe.escape("<") == "&lt;"'`);
      expect(sh(dir, 'bin/pygmentize -V')).toMatch(/Pygments version 2\./);
      expect(sh(dir, '. bin/activate && printf %s "$VIRTUAL_ENV"')).toBe(dir);
      const listed = JSON.parse(sh(dir, 'bin/python -m pip list --format=json --disable-pip-version-check')) as { name: string; version: string }[];
      // Exactly the pins, and pip itself (the venv's own, from the builder's bundled wheel).
      const installed = listed.map((p) => `${p.name.toLowerCase()}==${p.version}`);
      expect(installed.filter((p) => !p.startsWith('pip==')).sort()).toEqual(pins.map((p) => `${p.name}==${p.version}`).sort());
      expect(installed.filter((p) => p.startsWith('pip=='))).toHaveLength(1);
    }
  });

  it('fails a file whose sha256 does not match, naming it, and stores nothing', async () => {
    const store = await FileArtifactStore.open(join(scratch, 'store-bad'));
    const [first, ...rest] = pins;
    const wrong = { ...first, files: [{ ...first.files[0], sha256: '0'.repeat(64) }] };
    await expect(build(store, planBuild('3.11', 'x86_64-manylinux_2_28', [wrong, ...rest]))).rejects.toThrow(HashMismatchError);
    await expect(build(store, planBuild('3.11', 'x86_64-manylinux_2_28', [wrong, ...rest]))).rejects.toThrow(first.files[0].filename);
    expect(await store.has('0'.repeat(64))).toBe(false);
  });

  it.each([
    ['memory', { ...LIMITS, memoryBytes: 24 * 2 ** 20 }, /memory limit of 24 MiB/],
    ['time', { ...LIMITS, timeoutMs: 500 }, /time limit of 0.5 s/],
  ])('fails a build over its %s limit with a message naming it, leaving no container and no files', async (limit, limits, message) => {
    const store = await FileArtifactStore.open(join(scratch, `store-${limit}`));
    const workRoot = join(scratch, `work-${limit}`);
    const failure = build(store, undefined, limits, workRoot);
    await expect(failure).rejects.toThrow(BuildLimitError);
    await expect(failure).rejects.toThrow(message);
    expect(await executor.buildContainers()).toBe(0);
    expect(await readdir(workRoot)).toEqual([]);
  });

  it('runs builds with no network and not as root', async () => {
    const probe = `python3 -c '
import os, socket
print("uid", os.getuid())
try:
    socket.create_connection(("192.0.2.1", 80), timeout=2); print("connected")
except OSError as e:
    print("socket failed:", e.errno)
print("interfaces", sorted(n for _, n in socket.if_nameindex()))
'`;
    const out = await executor.probe(target, probe);
    expect(out).toMatch(/^uid 1000$/m);
    // ENETUNREACH: no route anywhere (a container with a network would time out or connect).
    expect(out).toMatch(/^socket failed: 101$/m);
    expect(out).toMatch(/^interfaces \['lo'\]$/m);
  });
});
