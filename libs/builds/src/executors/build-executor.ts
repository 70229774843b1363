/**
 * Where a build's `pip install` runs: one port, two executors. `docker` (the default when a
 * Docker engine answers) runs it in a builder image with no network, a read-only root, a
 * non-root user and limits; `local` runs it with an interpreter of this machine, for the
 * embedded default where no engine runs. Both install into `<workDir>/venv` the files staged in
 * `<workDir>/files` and nothing else (`--no-index --no-deps --require-hashes`).
 */

/** A Python version an executor can build for, on which platforms, with which builder. */
export interface ExecutorTarget {
  /** `3.11` */
  readonly python: string;
  /** The CPU architecture (`x86_64`). */
  readonly arch: string;
  /** The newest manylinux glibc the builder runs (`2.36`): platforms up to it are buildable. */
  readonly glibc: string;
  /** What identifies the builder for the build key (an image digest). */
  readonly builderDigest: string;
  /** The exact interpreter version inside (`3.11.2`). */
  readonly pythonVersion: string;
}

/** Resource limits of one build. */
export interface BuildLimits {
  readonly memoryBytes: number;
  readonly cpus: number;
  readonly pids: number;
  readonly timeoutMs: number;
}

/** What to run. */
export interface ExecutionSpec {
  /** The build key (labels, log lines). */
  readonly key: string;
  readonly target: ExecutorTarget;
  /**
   * A host directory the executor may write: `files/` holds the staged files and
   * `requirements.txt` names them with their hashes; the venv is made in `venv/`.
   */
  readonly workDir: string;
  readonly limits: BuildLimits;
  /** Each line pip and the interpreter print, as it comes. */
  readonly onLog: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** What came out. */
export interface ExecutionResult {
  /** The venv on the host (inside `workDir`). */
  readonly venvDir: string;
  /** The absolute path the venv had where it was made (what relocation rewrites). */
  readonly buildPrefix: string;
}

/** A build stopped by one of its limits; `limit` names which. */
export class BuildLimitError extends Error {
  constructor(
    readonly limit: 'memory' | 'time',
    message: string,
  ) {
    super(message);
    this.name = 'BuildLimitError';
  }
}

/** The install, or the building of wheels, failed (pip's exit code and the end of its output). */
export class InstallFailedError extends Error {
  constructor(
    readonly exitCode: number,
    readonly outputTail: string,
    step = 'pip install',
  ) {
    super(`${step} exited with code ${exitCode}:\n${outputTail}`);
    this.name = 'InstallFailedError';
  }
}

/** The port. */
export abstract class BuildExecutor {
  abstract readonly kind: 'docker' | 'local';
  /** What this executor can build now. */
  abstract targets(): Promise<readonly ExecutorTarget[]>;
  /**
   * Runs the install. @throws BuildLimitError, InstallFailedError; the abort signal stops it
   * (and everything it started) and rejects with the signal's reason.
   */
  abstract run(spec: ExecutionSpec): Promise<ExecutionResult>;
  /**
   * Builds a wheel of each of `sdists` (filenames in `<workDir>/files`) into `<workDir>/wheels`,
   * the same way and under the same limits as the install: offline, with the build requirements
   * staged beside them (pip's build isolation installs them from there).
   * @returns the wheels' directory on the host. @throws as {@link run}
   */
  abstract buildWheels(spec: ExecutionSpec, sdists: readonly string[]): Promise<string>;
  /** Removes what earlier processes left behind (containers of workers that died). */
  abstract reapOrphans(): Promise<number>;
}

/** `a b` → `'a b'`, quoted for sh. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Shell lines that make a venv at `venv` with pip in it. `pipWheels`: where the builder keeps
 * the pip wheel of its own interpreter (Debian's /usr/share/python-wheels in the builder images);
 * pip goes in from there, ~2 s faster than ensurepip and without the setuptools ensurepip adds
 * before 3.12, so `pip list` is the pins and pip. Else ensurepip. Paths come quoted for sh.
 */
function venvWithPip(venv: string, python: string, pipWheels: string | null): string[] {
  const pip = `${venv}/bin/python -m ensurepip --default-pip >/dev/null`;
  return [
    `${python} -m venv --without-pip ${venv}`,
    pipWheels === null
      ? pip
      : `PIP_WHEEL=$(ls ${pipWheels}/pip-*.whl 2>/dev/null | head -1 || true)\nif [ -n "$PIP_WHEEL" ]; then ${venv}/bin/python "$PIP_WHEEL/pip" install --quiet --no-index --no-deps --no-compile "$PIP_WHEEL"; else ${pip}; fi`,
  ];
}

/** The shell script both executors run to install: a venv, pip into it, then the pins (paths quoted for sh). */
export function installScript(venv: string, files: string, python: string, pipWheels: string | null): string {
  return [
    'set -eu',
    ...venvWithPip(venv, python, pipWheels),
    `${venv}/bin/python -m pip install --no-index --no-deps --require-hashes --no-compile --progress-bar off --find-links ${files} -r ${files}/requirements.txt`,
  ].join('\n');
}

/**
 * The shell script both executors run to build wheels of sdists: pip in a venv of its own
 * (`tools`), then `pip wheel` with no index, finding the build requirements among the staged
 * files (paths quoted for sh; `sdists` are filenames in `files`).
 */
export function wheelScript(tools: string, files: string, wheels: string, python: string, pipWheels: string | null, sdists: readonly string[]): string {
  return [
    'set -eu',
    ...venvWithPip(tools, python, pipWheels),
    `${tools}/bin/python -m pip wheel --no-index --no-deps --progress-bar off --find-links ${files} --wheel-dir ${wheels} ${sdists.map((name) => `${files}/${shellQuote(name)}`).join(' ')}`,
  ].join('\n');
}
