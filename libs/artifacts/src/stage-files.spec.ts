/**
 * Staging against a real upstream: pypi-sim on 127.0.0.1 serving real wheels (copies of a few
 * from the machine's wheelhouse, /opt/pypi/files, plus one with a byte flipped), downloaded
 * through UpstreamClient.downloadFile into each store adapter.
 */
import { UpstreamClient, UpstreamHttpError } from '@venvfarm/upstream';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { HashMismatchError, MissingHashError, StageFetchError } from './artifact-errors';
import { sha256Of } from './artifact-store.contract';
import { ArtifactStore } from './artifact-store';
import { FileArtifactStore } from './file-artifact-store';
import { openArtifactStore } from './open-artifact-store';
import { FetchableFile, StageFile, StageProgress, stageFiles } from './stage-files';
import { S3TestServer, startS3TestServer } from './testing';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const PYPI_SIM = resolve(__dirname, '..', '..', '..', '..', 'shared', 'tools', 'pypi-sim', 'pypi_sim.py');
/** Real wheels served as they are; Cython's is 1.9 MB, many chunks. */
const GOOD = [
  'six-1.17.0-py2.py3-none-any.whl',
  'idna-3.20-py3-none-any.whl',
  'certifi-2026.7.22-py3-none-any.whl',
  'packaging-26.3-py3-none-any.whl',
  'attrs-26.1.0-py3-none-any.whl',
  'click-8.5.0-py3-none-any.whl',
  'typing_extensions-4.16.0-py3-none-any.whl',
  'Cython-0.29.37-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.manylinux_2_24_x86_64.whl',
];
/** Served with one byte flipped, while the expected sha256 is the real file's. */
const CORRUPTED = 'urllib3-2.8.0-py3-none-any.whl';

interface Sim {
  readonly url: string;
  stats(): Promise<{ requests: Record<string, number>; artifact_downloads: Record<string, number>; injected_failures: number }>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

async function startSim(wheelhouse: string, args: string[] = []): Promise<Sim> {
  const child = spawn(process.env.PYTHON ?? 'python3', [PYPI_SIM, '--wheelhouse', wheelhouse, '--host', '127.0.0.1', '--port', '0', '--watch-parent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-5000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`pypi-sim exited with ${code}: ${stderr}`)));
  });
  const url = /^pypi-sim listening on (\S+)$/.exec(line)![1].replace(/\/$/, '');
  // Test control endpoints; the code under test fetches through UpstreamClient.
  const control = async (method: string, path: string) => (await fetch(`${url}${path}`, { method })).json();
  return {
    url,
    stats: async () => (await control('GET', '/_sim/stats')) as Awaited<ReturnType<Sim['stats']>>,
    resetStats: async () => void (await control('POST', '/_sim/stats/reset')),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Flips one byte of the first zip entry's data, leaving the zip readable (METADATA intact). */
function corrupt(wheel: Buffer): Buffer {
  const copy = Buffer.from(wheel);
  const dataStart = 30 + copy.readUInt16LE(26) + copy.readUInt16LE(28);
  copy[dataStart + 3] ^= 0xff;
  return copy;
}

const fetcherOf = (client: UpstreamClient) => (file: FetchableFile, signal: AbortSignal) => client.downloadFile(file.url, { signal });

describe('stageFiles from a real upstream', () => {
  let scratch: string;
  let sim: Sim;
  let client: UpstreamClient;
  let s3: S3TestServer;
  /** Real sha256 of every served file, by filename (the corrupted one: of the real bytes). */
  const realSha256 = new Map<string, string>();
  let files: StageFile[];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'venvfarm-stage-'));
    const wheelhouse = join(scratch, 'wheelhouse');
    await mkdir(wheelhouse);
    for (const name of GOOD) {
      await copyFile(join(WHEELHOUSE, name), join(wheelhouse, name));
      realSha256.set(name, sha256Of(await readFile(join(WHEELHOUSE, name))));
    }
    const real = await readFile(join(WHEELHOUSE, CORRUPTED));
    realSha256.set(CORRUPTED, sha256Of(real));
    await writeFile(join(wheelhouse, CORRUPTED), corrupt(real));
    [sim, s3] = await Promise.all([startSim(wheelhouse), startS3TestServer()]);
    client = new UpstreamClient(`${sim.url}/simple/`, { retries: 2, baseDelayMs: 10 });
    // What a resolve hands a build: the files of the pins, as the index lists them.
    files = [];
    for (const name of GOOD) {
      const project = name.split('-')[0];
      const page = await client.projectPage(project);
      const file = page!.files.find((f) => f.filename === name)!;
      expect(file.sha256).toBe(realSha256.get(name));
      files.push({ filename: file.filename, sha256: file.sha256, url: file.url });
    }
  });
  afterAll(async () => {
    await Promise.all([sim?.stop(), s3?.stop()]);
    await rm(scratch, { recursive: true, force: true });
  });

  const adapters: Array<[string, (dir: string) => Promise<ArtifactStore>]> = [
    ['the filesystem store', (dir) => FileArtifactStore.open(join(dir, 'store'))],
    ['the S3 store', (dir) => openArtifactStore(`s3://${s3.bucket}/${dir.split('/').pop()}`, { env: s3.env, spoolDir: dir })],
  ];

  describe.each(adapters)('into %s', (_name, openStore) => {
    let dir: string;
    let store: ArtifactStore;
    beforeEach(async () => {
      dir = await mkdtemp(join(scratch, 'run-'));
      store = await openStore(dir);
      await sim.resetStats();
    });
    afterEach(() => store.close());

    it('downloads each missing file once, verifies it, stores it and places it; then stages from the store alone', async () => {
      const events: StageProgress[] = [];
      const first = await stageFiles(files, store, fetcherOf(client), join(dir, 'build-1'), { concurrency: 3, onProgress: (p) => events.push(p) });

      const totalBytes = GOOD.reduce((sum, _name, i) => sum + first.files[i].size, 0);
      expect(first.downloadedFiles).toBe(GOOD.length);
      expect(first.downloadedBytes).toBe(totalBytes);
      expect((await readdir(join(dir, 'build-1'))).sort()).toEqual([...GOOD].sort());
      for (const name of GOOD) {
        expect(sha256Of(await readFile(join(dir, 'build-1', name)))).toBe(realSha256.get(name));
        expect(await store.has(realSha256.get(name)!)).toBe(true);
      }
      const stats = await sim.stats();
      expect(Object.values(stats.artifact_downloads)).toEqual(GOOD.map(() => 1));

      const staged = events.filter((e) => e.event === 'staged');
      expect(staged).toHaveLength(GOOD.length);
      expect(staged.at(-1)).toMatchObject({ filesDone: GOOD.length, filesTotal: GOOD.length, bytesDownloaded: totalBytes, bytesStaged: totalBytes });
      expect(events.filter((e) => e.event === 'download').length).toBeGreaterThan(GOOD.length);

      await sim.resetStats();
      const second = await stageFiles(files, store, fetcherOf(client), join(dir, 'build-2'));
      expect(second.downloadedFiles).toBe(0);
      expect(second.files.every((f) => !f.downloaded)).toBe(true);
      expect((await sim.stats()).requests.file ?? 0).toBe(0);
      for (const name of GOOD) expect(sha256Of(await readFile(join(dir, 'build-2', name)))).toBe(realSha256.get(name));

      const local = store.localPath(files[0].sha256!);
      if (local !== null) expect((await stat(join(dir, 'build-2', files[0].filename))).ino).toBe((await stat(local)).ino);
    });

    it('a corrupted byte fails with HashMismatchError naming the file, and nothing of it is stored or placed', async () => {
      const expected = realSha256.get(CORRUPTED)!;
      const bad: StageFile = { filename: CORRUPTED, sha256: expected, url: `${sim.url}/files/urllib3/${CORRUPTED}` };
      const error = await stageFiles([bad], store, fetcherOf(client), join(dir, 'build')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(HashMismatchError);
      const served = sha256Of(corrupt(await readFile(join(WHEELHOUSE, CORRUPTED))));
      expect(error).toMatchObject({ filename: CORRUPTED, expected, actual: served, source: bad.url });
      expect((error as Error).message).toContain(CORRUPTED);
      expect(await store.has(expected)).toBe(false);
      expect(await store.has(served)).toBe(false);
      expect(await readdir(join(dir, 'build'))).toEqual([]);
      if (store instanceof FileArtifactStore) expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
      else expect((await readdir(dir)).filter((n) => n.endsWith('.part'))).toEqual([]);
    });

    it('a corrupted file among good ones fails the staging', async () => {
      const bad: StageFile = { filename: CORRUPTED, sha256: realSha256.get(CORRUPTED)!, url: `${sim.url}/files/urllib3/${CORRUPTED}` };
      await expect(stageFiles([...files.slice(0, 3), bad, ...files.slice(3)], store, fetcherOf(client), join(dir, 'build'), { concurrency: 2 })).rejects.toBeInstanceOf(
        HashMismatchError,
      );
      expect(await store.has(realSha256.get(CORRUPTED)!)).toBe(false);
    });
  });

  describe('refusals', () => {
    let store: FileArtifactStore;
    beforeEach(async () => {
      store = await FileArtifactStore.open(await mkdtemp(join(scratch, 'refusals-')));
      await sim.resetStats();
    });

    it('a file without a sha256 is refused before anything is downloaded', async () => {
      for (const sha256 of [null, '']) {
        const error = await stageFiles([files[0], { ...files[1], sha256 }], store, fetcherOf(client), join(store.root, 'build')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MissingHashError);
        expect(error).toMatchObject({ filename: files[1].filename });
      }
      expect((await sim.stats()).requests.file ?? 0).toBe(0);
    });

    it('an unsafe filename is refused', async () => {
      await expect(stageFiles([{ ...files[0], filename: '../escape.whl' }], store, fetcherOf(client), join(store.root, 'build'))).rejects.toThrow('invalid filename');
    });

    it('a file the upstream does not have fails with the file, the URL and the HTTP status', async () => {
      const missing: StageFile = { filename: 'nope-1.0-py3-none-any.whl', sha256: 'a'.repeat(64), url: `${sim.url}/files/nope/nope-1.0-py3-none-any.whl` };
      const error = await stageFiles([missing], store, fetcherOf(client), join(store.root, 'build')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StageFetchError);
      expect((error as Error).message).toContain('nope-1.0-py3-none-any.whl');
      expect((error as StageFetchError).cause).toBeInstanceOf(UpstreamHttpError);
      expect((error as StageFetchError).cause).toMatchObject({ status: 404 });
    });

    it('a cancelled staging stops with the signal’s reason', async () => {
      const controller = new AbortController();
      controller.abort(new Error('build cancelled'));
      await expect(stageFiles(files, store, fetcherOf(client), join(store.root, 'build'), { signal: controller.signal })).rejects.toThrow('build cancelled');
    });
  });
});

describe('UpstreamClient.downloadFile against a flaky and a slow upstream', () => {
  let scratch: string;
  let flaky: Sim;
  let slow: Sim;
  const name = 'six-1.17.0-py2.py3-none-any.whl';
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'venvfarm-stage-'));
    await mkdir(join(scratch, 'wheelhouse'));
    await copyFile(join(WHEELHOUSE, name), join(scratch, 'wheelhouse', name));
    [flaky, slow] = await Promise.all([
      startSim(join(scratch, 'wheelhouse'), ['--fail-rate', '0.5', '--seed', '3']),
      startSim(join(scratch, 'wheelhouse'), ['--latency-ms', '3000']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([flaky?.stop(), slow?.stop()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('retries 503s and still stages every file', async () => {
    const store = await FileArtifactStore.open(join(scratch, 'store-flaky'));
    const client = new UpstreamClient(`${flaky.url}/simple/`, { retries: 8, baseDelayMs: 5, maxDelayMs: 20 });
    const real = sha256Of(await readFile(join(WHEELHOUSE, name)));
    const list = Array.from({ length: 6 }, (_, i) => ({ filename: `copy-${i}-${name}`, sha256: real, url: `${flaky.url}/files/six/${name}` }));
    // Different filenames, one blob: each is checked against the store before it is fetched.
    const result = await stageFiles(list, store, fetcherOf(client), join(scratch, 'flaky-build'), { concurrency: 1 });
    expect(result.downloadedFiles).toBe(1);
    expect(client.fetcher.retries).toBeGreaterThan(0);
    expect((await flaky.stats()).injected_failures).toBeGreaterThan(0);
  });

  it('a signal aborts a download that is waiting for its answer', async () => {
    const client = new UpstreamClient(`${slow.url}/simple/`, { retries: 0 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('worker shutting down')), 200);
    const started = Date.now();
    await expect(client.downloadFile(`${slow.url}/files/six/${name}`, { signal: controller.signal })).rejects.toThrow('worker shutting down');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a timeout ends an attempt that gets no answer, and the last one fails as a network error', async () => {
    const client = new UpstreamClient(`${slow.url}/simple/`, { retries: 1, timeoutMs: 300, baseDelayMs: 5 });
    await expect(client.downloadFile(`${slow.url}/files/six/${name}`)).rejects.toThrow('timeout after 2 attempts');
  });
});
