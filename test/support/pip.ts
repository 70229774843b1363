/**
 * Real pip as the reference client of tests: every `PIP_*` variable of this process dropped and
 * `PIP_CONFIG_FILE=/dev/null`, so this machine's pip settings (its extra index and find-links)
 * take no part, and no cache.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The interpreter the tests make venvs with. */
export const PYTHON = process.env.VENVFARM_TEST_PYTHON ?? 'python3.11';

/**
 * An interpreter whose bundled pip predates PEP 691 (pip 22.0, Python 3.7 from pyenv): it asks
 * for HTML pages only, as older installers and tools do.
 */
export const HTML_ONLY_PYTHON = process.env.VENVFARM_TEST_PYTHON_HTML ?? `${process.env.PYENV_ROOT ?? `${process.env.HOME ?? '/root'}/.pyenv`}/versions/3.7.16/bin/python3.7`;

/** This process's environment without pip's settings. */
export function pipEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PIP_')));
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1', PIP_NO_INPUT: '1' };
}

/** What a command did. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (never throws for its exit status); asynchronously, so a server in this process goes on answering. */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = pipEnv()): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The same, blocking: only for commands that need no server of this process. */
function runSync(command: string, args: readonly string[]): Ran {
  const result = spawnSync(command, args, { env: pipEnv(), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Makes a venv (with pip, from ensurepip: no index needed) and answers its python. */
export function makeVenv(dir: string, python = PYTHON): string {
  const made = runSync(python, ['-m', 'venv', dir]);
  if (made.status !== 0) throw new Error(`${python} -m venv ${dir} failed:\n${made.stderr}`);
  return join(dir, 'bin', 'python');
}

/** pip's pins (`name==version`, names normalized) of a requirements file from a folder of wheels alone. */
export function pinsFromWheelhouse(wheelhouse: string, requirements: readonly string[]): string[] {
  const result = runSync(PYTHON, ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--quiet', '--report', '-', '--no-index', '--find-links', wheelhouse, ...requirements]);
  if (result.status !== 0) throw new Error(`pip could not resolve ${requirements.join(' ')} from ${wheelhouse}:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { install: { metadata: { name: string; version: string } }[] };
  return report.install.map((item) => `${item.metadata.name.toLowerCase().replace(/[-_.]+/g, '-')}==${item.metadata.version}`).sort();
}
