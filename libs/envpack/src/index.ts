/**
 * Relocatable, deterministic virtualenv tarballs (issue 9, item 8).
 *
 * After `pip install` into a venv at a fixed build path, {@link makeRelocatable} removes or
 * rewrites everything that names that path; {@link packDeterministic} turns the tree into a
 * `.tar.gz` whose bytes depend only on the content; {@link unpackEnv} extracts it safely anywhere
 * and hangs it on a local interpreter of the same `major.minor` ({@link findInterpreter}).
 * File I/O only: no NestJS, no Docker.
 */
export {
  EnvpackError,
  InterpreterMismatchError,
  InterpreterNotFoundError,
  NotAVirtualenvError,
  PathLeakError,
  TargetNotEmptyError,
  UnsafeArchiveEntryError,
  UnsupportedFileTypeError,
} from './errors';
export type { PathLeak } from './errors';
export { findInterpreter, probeInterpreter } from './interpreter';
export type { FindInterpreterOptions, Interpreter } from './interpreter';
export { fileContains, findPathLeaks } from './leaks';
export type { FindPathLeaksOptions } from './leaks';
export { canonicalJson, MANIFEST_FILENAME, readManifest, renderManifest, writeManifest } from './manifest';
export type { EnvManifest, ManifestPin } from './manifest';
export { DEFAULT_GZIP_LEVEL, PACK_MTIME, PACKER_ID, packDeterministic } from './pack';
export type { PackOptions, PackResult } from './pack';
export { isFixedUpAtUnpack, makeRelocatable } from './relocate';
export type { MakeRelocatableOptions, RelocationReport } from './relocate';
export { relocatableShebang, rewriteActivateScript, rewriteConsoleScript, VENV_DIR_PLACEHOLDER } from './scripts';
export { extractSafely, pyvenvMajorMinor, rewritePyvenvCfg, unpackEnv } from './unpack';
export type { UnpackOptions, UnpackResult } from './unpack';
