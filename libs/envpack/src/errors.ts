/**
 * Typed errors of the relocatable-environment packer.
 *
 * Each carries what a caller needs to report the failure without parsing the message: the
 * offending paths, the archive entry and the reason, or the interpreter version and where it was
 * looked for.
 */

/** Base class of every error this library throws on purpose. */
export abstract class EnvpackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `venvDir` is not a virtual environment (no `pyvenv.cfg`). */
export class NotAVirtualenvError extends EnvpackError {
  constructor(readonly dir: string) {
    super(`not a virtual environment (no pyvenv.cfg): ${dir}`);
  }
}

/** One place where the build prefix is still written in the tree. */
export interface PathLeak {
  /** Path relative to the scanned directory, `/`-separated. */
  readonly path: string;
  /** `content`: the bytes of a file contain the prefix; `symlink`: a link's target does. */
  readonly kind: 'content' | 'symlink';
}

/**
 * The absolute build path is still written in files of the tree, so the environment would not
 * work (or would leak the builder's layout) once unpacked elsewhere. Packing is refused.
 */
export class PathLeakError extends EnvpackError {
  constructor(
    readonly prefix: string,
    readonly leaks: readonly PathLeak[],
  ) {
    const shown = leaks.slice(0, 20).map((l) => `  ${l.path}${l.kind === 'symlink' ? ' (symlink target)' : ''}`);
    const more = leaks.length > shown.length ? [`  … and ${leaks.length - shown.length} more`] : [];
    super([`${leaks.length} file(s) still mention the build prefix ${prefix}:`, ...shown, ...more].join('\n'));
  }
}

/** A file kind a portable tarball cannot hold (socket, FIFO, device) met while packing. */
export class UnsupportedFileTypeError extends EnvpackError {
  constructor(
    readonly path: string,
    readonly fileType: string,
  ) {
    super(`cannot pack ${path}: ${fileType} is not a regular file, directory or symlink`);
  }
}

/**
 * An archive entry that extraction refuses: absolute or `..` paths, links that leave the target
 * directory, hard links, devices and FIFOs, duplicate entries. Nothing is left behind.
 */
export class UnsafeArchiveEntryError extends EnvpackError {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`refusing archive entry ${JSON.stringify(entry)}: ${reason}`);
  }
}

/** The directory to unpack into exists and is not empty. */
export class TargetNotEmptyError extends EnvpackError {
  constructor(readonly dir: string) {
    super(`refusing to unpack into ${dir}: it exists and is not empty`);
  }
}

/** No local interpreter of the wanted `major.minor` was found. */
export class InterpreterNotFoundError extends EnvpackError {
  constructor(
    readonly version: string,
    readonly searched: readonly string[],
  ) {
    super(`no Python ${version} interpreter found (looked for: ${searched.join(', ') || 'nothing to look at'})`);
  }
}

/** The interpreter given for an environment is not of the environment's `major.minor`. */
export class InterpreterMismatchError extends EnvpackError {
  constructor(
    readonly interpreter: string,
    readonly wanted: string,
    readonly found: string,
  ) {
    super(`${interpreter} is Python ${found}, the environment needs Python ${wanted}`);
  }
}
