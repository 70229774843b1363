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

/** The install itself failed (pip's exit code and the end of its output). */
export class InstallFailedError extends Error {
  constructor(
    readonly exitCode: number,
    readonly outputTail: string,
  ) {
    super(`pip install exited with code ${exitCode}:\n${outputTail}`);
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
  /** Removes what earlier processes left behind (containers of workers that died). */
  abstract reapOrphans(): Promise<number>;
}

/**
 * The shell script both executors run: a venv, pip into it, then the pins. `pipWheels`: where
 * the builder keeps the pip wheel of its own interpreter (Debian's /usr/share/python-wheels in
 * the builder images); pip goes in from there, ~2 s faster than ensurepip and without the
 * setuptools ensurepip adds before 3.12, so `pip list` is the pins and pip. Else ensurepip.
 */
export function installScript(venv: string, files: string, python: string, pipWheels: string | null): string {
  const pip = `${venv}/bin/python -m ensurepip --default-pip >/dev/null`;
  return [
    'set -eu',
    `${python} -m venv --without-pip ${venv}`,
    pipWheels === null
      ? pip
      : `PIP_WHEEL=$(ls ${pipWheels}/pip-*.whl 2>/dev/null | head -1 || true)\nif [ -n "$PIP_WHEEL" ]; then ${venv}/bin/python "$PIP_WHEEL/pip" install --quiet --no-index --no-deps --no-compile "$PIP_WHEEL"; else ${pip}; fi`,
    `${venv}/bin/python -m pip install --no-index --no-deps --require-hashes --no-compile --progress-bar off --find-links ${files} -r ${files}/requirements.txt`,
  ].join('\n');
}
