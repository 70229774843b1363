/**
 * The peers of `npm run bench:build`, each timed on the host: real pip resolving a set from the
 * wheelhouse alone (which also checks that the set's closure is there), plain `python3.11 -m venv`
 * + `pip install --no-index --no-deps` of given wheel files, `tar -xzf` of a tarball, and the
 * start time of a command (to its first byte of output and to its exit).
 *
 * pip runs with its configuration isolated: every `PIP_*` variable of this process is dropped and
 * `PIP_CONFIG_FILE=/dev/null`, so this machine's pip settings (extra find-links, timeouts) take no
 * part.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** This process's environment without pip's settings. */
export function pipEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PIP_')));
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
}

/** Runs a command to its end; throws with its output when it fails. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = pipEnv()): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${(result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n')}`);
  return { ms, stdout: result.stdout };
}

/** pip's pins (`name==version`, names normalized) for a requirements file, from the wheelhouse alone. */
export function pipDryRun(python: string, wheelhouse: string, requirementsFile: string): { pins: Map<string, string>; ms: number } {
  const { ms, stdout } = run(python, ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--quiet', '--report', '-', '--no-index', '--find-links', wheelhouse, '-r', requirementsFile]);
  const report = JSON.parse(stdout) as { install: { metadata: { name: string; version: string } }[] };
  return { pins: new Map(report.install.map((item) => [normalize(item.metadata.name), item.metadata.version])), ms };
}

/** PEP 503 name normalization. */
export const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** What the host peer measured, in milliseconds. */
export interface HostInstall {
  /** `python3.11 -m venv` (with pip, as ensurepip makes it). */
  readonly venv: number;
  /** `pip install --no-index --no-deps --find-links DIR FILES...` */
  readonly install: number;
}

/** How the host peer makes the venv and installs. */
export type HostPeer =
  /** `python -m venv` (pip bootstrapped by ensurepip) + that venv's pip; pip byte-compiles, as by default. */
  | 'plain'
  /** The same with `pip install --no-compile`, as venvfarm's builder installs. */
  | 'no-compile'
  /** `python -m venv --without-pip` + the host's pip into it (`pip --python VENV/bin/python`), `--no-compile`: the least pip can do. */
  | 'lean';

/**
 * `python -m venv` + `pip install --no-index --no-deps --find-links <dir> <files>` into a fresh
 * venv under a temporary directory (removed after), as `peer` says.
 */
export function hostPipInstall(python: string, wheelDir: string, files: readonly string[], peer: HostPeer): HostInstall {
  const root = mkdtempSync(join(tmpdir(), 'venvfarm-bench-pip-'));
  try {
    const venv = join(root, 'venv');
    const created = run(python, ['-m', 'venv', ...(peer === 'lean' ? ['--without-pip'] : []), venv]);
    const venvPython = join(venv, 'bin', 'python');
    const pip = peer === 'lean' ? [python, ['-m', 'pip', '--python', venvPython]] as const : [venvPython, ['-m', 'pip']] as const;
    const options = ['--quiet', '--no-index', '--no-deps', ...(peer === 'plain' ? [] : ['--no-compile']), '--find-links', wheelDir];
    const installed = run(pip[0], [...pip[1], 'install', ...options, ...files.map((f) => join(wheelDir, f))]);
    return { venv: created.ms, install: installed.ms };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A container of the builder image run to its end with `docker run --rm` under the confinement
 * of builds (no network, read-only root, a /tmp tmpfs, uid 1000, no capabilities), timed: what
 * a container costs around the install.
 */
export function dockerRun(image: string, script: string): number {
  return run('docker', ['run', '--rm', '--network', 'none', '--read-only', '--tmpfs', '/tmp', '--user', '1000:1000', '--cap-drop', 'ALL', '-e', 'HOME=/tmp', image, 'sh', '-c', script], process.env).ms;
}

/** `tar -xzf tarball -C <fresh dir>`, timed; the directory is removed after. */
export function tarExtract(tarball: string): number {
  const into = mkdtempSync(join(tmpdir(), 'venvfarm-bench-tar-'));
  try {
    return run('tar', ['-xzf', tarball, '-C', into]).ms;
  } finally {
    rmSync(into, { recursive: true, force: true });
  }
}

/**
 * The disk's floor for an unpack: `tar -xf` of the same archive already decompressed (ms), into a
 * fresh directory under `under`: what writing these files and bytes costs with nothing to inflate.
 */
export function plainTarExtract(tarball: string, under: string = tmpdir()): number {
  const into = mkdtempSync(join(under, 'venvfarm-bench-floor-'));
  const plain = join(into, '..', `${basename(into)}.tar`);
  try {
    run('sh', ['-c', `gzip -dc "$0" > "$1"`, tarball, plain]);
    return run('tar', ['-xf', plain, '-C', into]).ms;
  } finally {
    rmSync(into, { recursive: true, force: true });
    rmSync(plain, { force: true });
  }
}

/** How long a command takes to print its first byte, and to exit (ms); `exit` is -1 when it failed. */
export function startTime(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ firstByte: number; exit: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByte = NaN;
    let output = '';
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk: Buffer) => {
      if (Number.isNaN(firstByte)) firstByte = performance.now() - started;
      output += chunk.toString();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('close', (code) => {
      const exit = performance.now() - started;
      resolve({ firstByte: Number.isNaN(firstByte) ? exit : firstByte, exit: code === 0 ? exit : -1, output });
    });
  });
}
