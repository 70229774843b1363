/**
 * The whole cycle on a real venv of the host's Python 3.11 with real wheels from the local wheel
 * folder: install at a build prefix, make relocatable, pack (twice, and from a copy with other
 * mtimes and owners), unpack into two directories (one with a space) and use them there.
 */
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EnvManifest, findPathLeaks, isFixedUpAtUnpack, makeRelocatable, packDeterministic, readManifest, unpackEnv } from './index';

const execFile = promisify(execFileCb);
const WHEELS = process.env.VENVFARM_TEST_WHEELS ?? '/opt/pypi/files';
const WANTED: Record<string, RegExp> = {
  Pygments: /^pygments-2\.\d+\.\d+-py3-none-any\.whl$/,
  MarkupSafe: /^markupsafe-3\.\d+\.\d+-cp311-cp311-manylinux.*x86_64.*\.whl$/,
  Jinja2: /^jinja2-3\.\d+\.\d+-py3-none-any\.whl$/,
  click: /^click-8\.\d+\.\d+-py3-none-any\.whl$/,
};

function pickWheels(): string[] | undefined {
  if (!existsSync(WHEELS)) return undefined;
  const files = readdirSync(WHEELS).sort();
  const picked = Object.values(WANTED).map((re) => files.filter((f) => re.test(f)).pop());
  return picked.every(Boolean) ? picked.map((f) => path.join(WHEELS, f as string)) : undefined;
}

function hasPython311(): boolean {
  try {
    execFileSync('python3.11', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const wheels = pickWheels();
const runnable = wheels !== undefined && hasPython311();
if (!runnable) console.warn(`envpack real-venv suite skipped: needs python3.11 with venv and the wheels in ${WHEELS}`);
const describeReal = runnable ? describe : describe.skip;

/** The environment without PIP_* variables, so the machine's pip configuration does not apply. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_') && k !== 'VIRTUAL_ENV' && k !== 'PYTHONPATH'));
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
}

async function run(file: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFile(file, args, { env: cleanEnv(), cwd, timeout: 60_000 });
  return stdout;
}

async function pipList(python: string): Promise<Record<string, string>> {
  const list = JSON.parse(await run(python, ['-m', 'pip', 'list', '--format=json'])) as Array<{ name: string; version: string }>;
  return Object.fromEntries(list.map((p) => [p.name, p.version]));
}

describeReal('a real venv, made relocatable, packed and unpacked twice', () => {
  jest.setTimeout(120_000);
  let tmp: string;
  let buildPrefix: string;
  let tarball: string;
  let baseline: Record<string, string>;
  let installed: Record<string, string>;
  const manifest: EnvManifest = {
    key: 'a'.repeat(64),
    target: { os: 'linux', arch: 'x86_64', python: '3.11' },
    python: '3.11',
    builderDigest: 'host',
    pins: [],
  };

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'envpack-real-'));
    buildPrefix = path.join(tmp, 'build', 'venv');
    await run('python3.11', ['-m', 'venv', buildPrefix]);
    const python = path.join(buildPrefix, 'bin', 'python');
    baseline = await pipList(python);
    await run(python, ['-m', 'pip', 'install', '--no-index', '--no-deps', ...(wheels as string[])]);
    installed = await pipList(python);
    tarball = path.join(tmp, 'env.tar.gz');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('makes it relocatable: nothing names the build prefix but what unpack rewrites', async () => {
    const report = await makeRelocatable(buildPrefix, { buildPrefix, manifest });
    expect(report.consoleScripts).toEqual(expect.arrayContaining(['bin/pygmentize', 'bin/pip']));
    expect(report.activateScripts.sort()).toEqual(['bin/activate', 'bin/activate.csh', 'bin/activate.fish']);
    expect(report.removedDirectUrls).toHaveLength(Object.keys(WANTED).length);
    expect(await findPathLeaks(buildPrefix, buildPrefix, { ignore: isFixedUpAtUnpack })).toEqual([]);
    const leftovers = (await fs.readdir(buildPrefix, { recursive: true })).filter((p) => /__pycache__|\.pyc$|direct_url\.json$/.test(p));
    expect(leftovers).toEqual([]);
    expect((await fs.stat(path.join(buildPrefix, 'bin', 'pygmentize'))).mode & 0o777).toBe(0o755);
    expect(await fs.readFile(path.join(buildPrefix, 'venvfarm.json'), 'utf8')).toMatch(/^\{\n {2}"builderDigest": "host",[\s\S]*\}\n$/);
  });

  it('packs to the same bytes twice, and from a copy with other mtimes and owners', async () => {
    const first = await packDeterministic(buildPrefix, tarball, { buildPrefix });
    const second = await packDeterministic(buildPrefix, path.join(tmp, 'again.tar.gz'), { buildPrefix });
    expect(second).toEqual(first);

    const copy = path.join(tmp, 'copy');
    execFileSync('cp', ['-a', buildPrefix, copy]);
    execFileSync('find', [copy, '-exec', 'touch', '-h', '-d', '2020-05-06 07:08:09', '{}', '+']);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', '-h', '4321:8765', copy]);
    const fromCopy = await packDeterministic(copy, path.join(tmp, 'copy.tar.gz'));
    expect(fromCopy).toEqual(first);
  });

  it.each([['unpacked one'], ['two']])('works unpacked into %p', async (where) => {
    const dir = path.join(tmp, where, 'venv');
    const result = await unpackEnv(tarball, dir);
    expect(result.interpreter.majorMinor).toBe('3.11');
    const python = path.join(dir, 'bin', 'python');

    expect(await run(python, ['-c', 'import pygments, markupsafe, markupsafe._speedups, jinja2, click; print("ok")'])).toBe('ok\n');
    expect(await run(path.join(dir, 'bin', 'pygmentize'), ['-V'])).toMatch(/^Pygments version 2\./);
    const real = await fs.realpath(dir);
    expect(await run('bash', ['-c', '. bin/activate && echo "$VIRTUAL_ENV" && command -v python'], dir)).toBe(`${real}\n${real}/bin/python\n`);
    expect(await run('bash', ['-c', `. "${dir}/bin/activate" && echo "$VIRTUAL_ENV"`], os.tmpdir())).toBe(`${real}\n`);

    const list = await pipList(python);
    expect(list).toEqual(installed);
    for (const [name, version] of Object.entries(baseline)) expect(list[name]).toBe(version);
    expect(Object.keys(list).sort()).toEqual([...Object.keys(baseline), ...Object.keys(WANTED)].sort());
    expect(await run(python, ['-m', 'pip', 'freeze'])).not.toContain('@ file:');

    expect(await findPathLeaks(dir, buildPrefix)).toEqual([]);
    expect((await readManifest(dir))?.key).toBe(manifest.key);
  });

  it('keeps RECORD consistent: pip uninstall removes the rewritten console script', async () => {
    const dir = path.join(tmp, 'two', 'venv');
    await run(path.join(dir, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', 'pygments']);
    expect(existsSync(path.join(dir, 'bin', 'pygmentize'))).toBe(false);
    expect(existsSync(path.join(dir, 'lib', 'python3.11', 'site-packages', 'pygments'))).toBe(false);
  });
});
