/**
 * Sdists in builds, end to end on real Docker (issue 9): a set of 20+ real packages with compiled
 * wheels (numpy, pandas, pydantic-core, lxml) and sdist-only projects, requested through the API
 * from pypi-sim (the real data set plus this machine's real wheels), built in the offline builder
 * (the sdists into wheels first), downloaded, unpacked into two directories (one with a space)
 * and used there. And an sdist with real build requirements (setuptools): venvfarm resolves and
 * stages them, the builder builds the wheel offline, and a later build reuses that wheel.
 *
 * Needs a Docker engine and the builder image `venvfarm-builder:3.11` (.ci/run makes both).
 */
import { INestApplication } from '@nestjs/common';
import { ArtifactStore, FileArtifactStore } from '@venvfarm/artifacts';
import { BuildExecutor, BuildRequirementResolver, buildKey, DockerExecutor, planBuild, runBuild } from '@venvfarm/builds';
import { createTestDatabase } from '@venvfarm/db/testing';
import { unpackEnv } from '@venvfarm/envpack';
import { UpstreamClient } from '@venvfarm/upstream';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import * as tar from 'tar-stream';
import { BuildSchema } from '../apps/api/src/builds/dto/builds.dto';
import { binaryBody } from './support/binary-body';
import { finishedBuild } from './support/builds';
import { PypiSim, startPypiSim } from './support/pypi-sim';
import { adminAuth, createTestApp } from './support/test-app';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
/** Real wheels (numpy, pandas, pydantic-core and lxml compiled) and two projects that only ever had sdists. */
const REQUIREMENTS = ['numpy', 'pandas', 'pydantic', 'fastapi', 'lxml', 'requests', 'rich', 'click', 'htmlmin', 'pypika'];
const SDIST_ONLY = ['htmlmin', 'pypika'];
const TARGET = { python: '3.11', platform: 'x86_64-manylinux_2_28' };

const sh = (cwd: string, script: string) => execFileSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' } });

/** Imports every top-level module of every distribution in the venv but pip; prints their names. */
const IMPORT_ALL = `
import importlib, importlib.metadata as md
names = set()
for dist in md.distributions():
    if dist.metadata["Name"].lower() == "pip":
        continue
    tops = (dist.read_text("top_level.txt") or "").split()
    if not tops:
        for f in dist.files or []:
            head = f.parts[0]
            if head.endswith((".dist-info", ".data")) or head == "..":
                continue
            if len(f.parts) > 1 or head.endswith(".py"):
                tops.append(head[:-3] if head.endswith(".py") else head)
    for top in set(tops):
        if top.isidentifier() and not top.startswith("_"):
            importlib.import_module(top)
            names.add(top)
print(" ".join(sorted(names)))
`;

/** A real setuptools project as an sdist, with a console script. */
/** The files of a small setuptools project with a console script, as its sdist holds them. */
const DEMO_BASE = 'venvfarm_demo-1.0';
const DEMO_FILES: Record<string, string> = {
  [`${DEMO_BASE}/pyproject.toml`]: '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "venvfarm-demo"\nversion = "1.0"\n\n[project.scripts]\nvenvfarm-demo = "venvfarm_demo:main"\n',
  [`${DEMO_BASE}/venvfarm_demo/__init__.py`]: 'def main():\n    print("venvfarm-demo works")\n',
  [`${DEMO_BASE}/PKG-INFO`]: 'Metadata-Version: 2.1\nName: venvfarm-demo\nVersion: 1.0\n',
};

/** The demo project as a `.tar.gz` sdist (PEP 625). */
async function demoSdist(): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, text] of Object.entries(DEMO_FILES)) pack.entry({ name, mtime: new Date(0) }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** The demo project as a legacy `.zip` sdist, written by Python's zipfile (as setuptools' `sdist --formats=zip` does). */
function demoZipSdist(): Buffer {
  const script = 'import io, json, sys, zipfile\nbuf = io.BytesIO()\nwith zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:\n    for name, text in json.loads(sys.argv[1]).items():\n        z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text)\nsys.stdout.buffer.write(buf.getvalue())\n';
  return execFileSync('python3', ['-c', script, JSON.stringify(DEMO_FILES)]);
}

describe('sdists in builds, on real Docker', () => {
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let scratch: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'venvfarm-sdists-e2e-'));
    [sim, db] = await Promise.all([startPypiSim({ args: ['--wheelhouse', WHEELHOUSE] }), createTestDatabase()]);
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, dataDir: join(scratch, 'data'), executor: 'docker' });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([sim?.stop(), db?.drop()]);
    await rm(scratch, { recursive: true, force: true });
  });

  const finished = (id: number) => finishedBuild(app, id);

  it('builds 20+ real packages with compiled wheels and sdist-only projects; the tarball works wherever it is unpacked', async () => {
    const queued = await http().post('/v1/builds').set(adminAuth).send({ requirements: REQUIREMENTS, ...TARGET }).expect(202);
    const build = await finished(BuildSchema.parse(queued.body).id);
    const log = (await http().get(`/v1/builds/${build.id as number}/log`).expect(200)).text;
    expect({ status: build.status, error: build.error }).toEqual({ status: 'done', error: null });
    const pins = build.pins as { name: string; version: string; filename: string }[];
    expect(pins.length).toBeGreaterThanOrEqual(20);
    expect(pins.map((p) => p.name)).toEqual(expect.arrayContaining(['numpy', 'pandas', 'pydantic-core', 'lxml', ...SDIST_ONLY]));
    for (const name of SDIST_ONLY) expect(pins.find((p) => p.name === name)?.filename).toMatch(/\.tar\.gz$/);
    expect(log).toMatch(/building 2 wheel\(s\) from sdists; their build requirements: none/);
    for (const name of SDIST_ONLY) expect(log).toMatch(new RegExp(`${name}-[^ ]+\\.tar\\.gz: built ${name}-[^ ]+\\.whl`));
    expect(Object.keys(build.timings as object)).toEqual(expect.arrayContaining(['stage', 'wheels', 'install', 'pack']));

    const tarball = join(scratch, 'env.tar.gz');
    const download = await http().get(build.download as string).buffer(true).parse(binaryBody).expect(200);
    await writeFile(tarball, download.body as Buffer);
    for (const dir of [join(scratch, 'plain'), join(scratch, 'with space', 'env')]) {
      await mkdir(join(dir, '..'), { recursive: true });
      await unpackEnv(tarball, dir);
      const imported = sh(dir, `bin/python -c '${IMPORT_ALL}'`).trim().split(' ');
      expect(imported).toEqual(expect.arrayContaining(['numpy', 'pandas', 'pydantic', 'pydantic_core', 'fastapi', 'lxml', 'requests', 'rich', 'click', 'htmlmin', 'pypika', 'dateutil']));
      expect(sh(dir, `bin/python -c 'import numpy, pandas; print(pandas.DataFrame({"a": numpy.arange(4)}).a.sum())'`).trim()).toBe('6');
      expect(sh(dir, 'bin/pygmentize -V')).toMatch(/Pygments version 2\./);
      expect(sh(dir, '. bin/activate && printf %s "$VIRTUAL_ENV"')).toBe(dir);
      const listed = JSON.parse(sh(dir, 'bin/python -m pip list --format=json --disable-pip-version-check')) as { name: string; version: string }[];
      const installed = listed.map((p) => `${p.name.toLowerCase().replace(/[-_.]+/g, '-')}==${p.version}`).filter((p) => !p.startsWith('pip=='));
      expect(installed.sort()).toEqual(pins.map((p) => `${p.name}==${p.version}`).sort());
    }
  }, 600_000);

  /** Builds the demo sdist `filename` (bytes `sdist`) plus `extra` pins with runBuild, into `store`. */
  async function buildDemo(store: ArtifactStore, filename: string, sdist: Buffer, extra: { name: string; version: string; files: { filename: string; url: string; sha256: string }[] }[] = []) {
    const sdistPath = join(scratch, filename);
    await writeFile(sdistPath, sdist);
    const executor = app.get(BuildExecutor) as DockerExecutor;
    const [target] = (await executor.targets()).filter((t) => t.python === '3.11');
    const upstream = new UpstreamClient(sim.simpleUrl, { retries: 1 });
    const fetch = (file: { url: string }, signal: AbortSignal) => (file.url === 'file:demo' ? Promise.resolve(createReadStream(sdistPath)) : upstream.downloadFile(file.url, { signal }));
    const demo = { name: 'venvfarm-demo', version: '1.0', files: [{ filename, url: 'file:demo', sha256: createHash('sha256').update(sdist).digest('hex') }] };
    const plan = planBuild(TARGET.python, TARGET.platform, [demo, ...extra]);
    const key = buildKey(plan, { builderDigest: target.builderDigest });
    const log: string[] = [];
    const built = await runBuild({
      key,
      plan,
      target,
      executor,
      store,
      fetch,
      buildRequirements: app.get(BuildRequirementResolver, { strict: false }),
      limits: { memoryBytes: 1024 * 2 ** 20, cpus: 2, pids: 512, timeoutMs: 300_000 },
      workRoot: join(scratch, 'work'),
      onLog: (line) => log.push(line),
    });
    return { key, sha256: built.sha256, log: log.join('\n') };
  }

  it("resolves and stages an sdist's build requirements, builds its wheel offline, and reuses the wheel in later builds", async () => {
    const store = await FileArtifactStore.open(join(scratch, 'demo-store'));
    const sdist = await demoSdist();
    const first = await buildDemo(store, 'venvfarm_demo-1.0.tar.gz', sdist);
    expect(first.log).toMatch(/their build requirements: setuptools>=61, wheel/);
    expect(first.log).toMatch(/build requirements: .*setuptools==84\.0\.0/);
    expect(first.log).toMatch(/venvfarm_demo-1\.0\.tar\.gz: built venvfarm_demo-1\.0-py3-none-any\.whl/);

    const dir = join(scratch, 'demo env');
    await unpackEnv(join(scratch, 'demo-store', 'named', 'envs', `${first.key}.tar.gz`), dir);
    expect(sh(dir, 'bin/venvfarm-demo').trim()).toBe('venvfarm-demo works');

    // Another set with the same sdist, in the same builder: the wheel is not built again.
    const sixPage = (await (await fetch0(`${sim.simpleUrl}six/`)).json()) as { files: { filename: string; url: string; hashes: { sha256: string } }[] };
    const six = sixPage.files.filter((f) => f.filename.endsWith('-py2.py3-none-any.whl')).at(-1)!;
    const second = await buildDemo(store, 'venvfarm_demo-1.0.tar.gz', sdist, [
      { name: 'six', version: six.filename.split('-')[1], files: [{ filename: six.filename, url: new URL(six.url, `${sim.simpleUrl}six/`).toString(), sha256: six.hashes.sha256 }] },
    ]);
    expect(second.key).not.toBe(first.key);
    expect(second.log).toMatch(/venvfarm_demo-1\.0\.tar\.gz: built before by this builder, venvfarm_demo-1\.0-py3-none-any\.whl/);
    expect(second.log).not.toMatch(/building \d+ wheel/);
  }, 600_000);

  it('builds a legacy .zip sdist the same way, and the same set built on two clean stores gives byte-identical tarballs', async () => {
    const sdist = demoZipSdist();
    const builds = [];
    for (const name of ['zip-store-1', 'zip-store-2']) {
      const store = await FileArtifactStore.open(join(scratch, name));
      builds.push(await buildDemo(store, 'venvfarm_demo-1.0.zip', sdist));
    }
    const [first, second] = builds;
    // Each store was clean: the wheel was built from the .zip both times, not reused.
    for (const build of builds) {
      expect(build.log).toMatch(/their build requirements: setuptools>=61, wheel/);
      expect(build.log).toMatch(/venvfarm_demo-1\.0\.zip: built venvfarm_demo-1\.0-py3-none-any\.whl/);
    }
    expect(second.key).toBe(first.key);
    const bytes = await Promise.all(['zip-store-1', 'zip-store-2'].map((name) => readFile(join(scratch, name, 'named', 'envs', `${first.key}.tar.gz`))));
    expect(bytes[1].equals(bytes[0])).toBe(true);
    expect(createHash('sha256').update(bytes[0]).digest('hex')).toBe(first.sha256);

    const dir = join(scratch, 'zip env');
    await unpackEnv(join(scratch, 'zip-store-1', 'named', 'envs', `${first.key}.tar.gz`), dir);
    expect(sh(dir, 'bin/venvfarm-demo').trim()).toBe('venvfarm-demo works');
  }, 600_000);
});

/** The global fetch (the test's own `fetch` above is the build's fetcher). */
const fetch0 = (url: string) => globalThis.fetch(url, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
