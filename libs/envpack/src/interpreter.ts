/**
 * Finding a local Python interpreter of a given `major.minor` to hang an unpacked environment on.
 *
 * Candidates, in order: `python3.X` on `PATH`, then pyenv's `$PYENV_ROOT/versions/3.X.*`
 * (default `~/.pyenv`), newest patch first. Every candidate is run once and asked for its real
 * base executable and version, so a pyenv shim or an activated venv's `python` resolves to the
 * binary that a venv's `home` must name.
 */
import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { InterpreterNotFoundError } from './errors';

const run = promisify(execFile);

/** A usable interpreter: its real base executable and its version. */
export interface Interpreter {
  /** Absolute path of the base (non-venv) executable, e.g. `/usr/bin/python3.11`. */
  readonly path: string;
  /** Full version, e.g. `3.11.7`. */
  readonly version: string;
  /** `major.minor`, e.g. `3.11`. */
  readonly majorMinor: string;
}

/** Options of {@link findInterpreter}; the defaults read the process environment. */
export interface FindInterpreterOptions {
  readonly env?: NodeJS.ProcessEnv;
}

const PROBE = [
  'import sys',
  'print(getattr(sys, "_base_executable", None) or sys.executable)',
  'print("%d.%d.%d" % sys.version_info[:3])',
].join('\n');

/**
 * Runs `candidate` and returns what it really is, or `undefined` when it does not run as a
 * Python interpreter.
 */
export async function probeInterpreter(candidate: string): Promise<Interpreter | undefined> {
  try {
    const env = { ...process.env };
    delete env.PYTHONHOME;
    delete env.PYTHONPATH;
    const { stdout } = await run(candidate, ['-I', '-c', PROBE], { timeout: 15_000, env });
    const [exe, version] = stdout.trim().split('\n').map((s) => s.trim());
    if (!exe || !/^\d+\.\d+\.\d+$/.test(version ?? '')) return undefined;
    return { path: path.resolve(exe), version, majorMinor: version.split('.').slice(0, 2).join('.') };
  } catch {
    return undefined;
  }
}

/** The first interpreter of `majorMinor` (e.g. `3.11`) found on PATH, then under pyenv. */
export async function findInterpreter(majorMinor: string, options: FindInterpreterOptions = {}): Promise<Interpreter> {
  if (!/^\d+\.\d+$/.test(majorMinor)) throw new RangeError(`findInterpreter: want major.minor, got ${majorMinor}`);
  const env = options.env ?? process.env;
  const exe = `python${majorMinor}`;
  const candidates: string[] = [];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && path.isAbsolute(dir)) candidates.push(path.join(dir, exe));
  }
  const pyenvRoot = env.PYENV_ROOT || path.join(env.HOME || os.homedir(), '.pyenv');
  const versionsDir = path.join(pyenvRoot, 'versions');
  const patches = (await fs.readdir(versionsDir).catch(() => [] as string[]))
    .filter((v) => new RegExp(`^${majorMinor.replace('.', '\\.')}\\.\\d+$`).test(v))
    .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
  for (const v of patches) candidates.push(path.join(versionsDir, v, 'bin', exe));

  const searched: string[] = [];
  for (const candidate of candidates) {
    if (!(await isExecutable(candidate))) continue;
    searched.push(candidate);
    const found = await probeInterpreter(candidate);
    if (found?.majorMinor === majorMinor) return found;
  }
  throw new InterpreterNotFoundError(majorMinor, [`${exe} on PATH`, `${versionsDir}/${majorMinor}.*/bin/${exe}`, ...searched]);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
