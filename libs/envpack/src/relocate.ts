/**
 * Making a freshly installed virtualenv relocatable, run once after `pip install` into a venv
 * created at the absolute path `buildPrefix` (e.g. `/build/venv` in the builder container).
 *
 * What pip and `python -m venv` leave that names the build path, and what happens to it:
 * - console scripts in `bin/`: shebang rewritten to uv's relocatable `/bin/sh` polyglot;
 * - `bin/activate`, `activate.fish`, `activate.csh`: locate the venv at activation time;
 * - `__pycache__/` and `*.pyc`: removed (their code objects embed absolute source paths);
 *   Python recompiles them in place on first import;
 * - `*.dist-info/direct_url.json`: removed (pip writes it for an install from a file path, and
 *   `pip freeze` would then print `name @ file:///…` instead of `name==version`);
 * - `*.dist-info/RECORD`: lines of removed files dropped, rewritten files re-hashed, so
 *   `pip uninstall` and `pip show -f` stay consistent.
 * Left alone: `pyvenv.cfg` and the `bin/python*` links, which name the builder's interpreter and
 * are fixed up at unpack. Anything else that still contains the prefix fails with
 * {@link PathLeakError} naming the files.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { NotAVirtualenvError, PathLeakError } from './errors';
import { findPathLeaks } from './leaks';
import { EnvManifest, writeManifest } from './manifest';
import { RecordedFile, rewriteRecord } from './record';
import { ACTIVATE_SCRIPTS, rewriteActivateScript, rewriteConsoleScript } from './scripts';
import { walkTree } from './tree';

/** Options of {@link makeRelocatable}. */
export interface MakeRelocatableOptions {
  /** The absolute path the venv was created at and installed into. */
  readonly buildPrefix: string;
  /** Written as `venvfarm.json` at the venv root when given. */
  readonly manifest?: EnvManifest;
}

/** What {@link makeRelocatable} changed, venv-relative paths. */
export interface RelocationReport {
  readonly consoleScripts: string[];
  readonly activateScripts: string[];
  /** Number of files removed (byte-code and `direct_url.json`). */
  readonly removedFiles: number;
  readonly removedDirectUrls: string[];
  readonly records: string[];
}

/**
 * Paths of a venv allowed to keep the build prefix after {@link makeRelocatable}: `pyvenv.cfg`
 * and the interpreter links, both rewritten by the unpacker.
 */
export function isFixedUpAtUnpack(rel: string): boolean {
  return rel === 'pyvenv.cfg' || /^bin\/python(\d+(\.\d+)?)?$/.test(rel);
}

/** Rewrites the venv at `venvDir` in place; see the module comment. Throws {@link PathLeakError}. */
export async function makeRelocatable(venvDir: string, options: MakeRelocatableOptions): Promise<RelocationReport> {
  const buildPrefix = options.buildPrefix.replace(/\/+$/, '');
  if (!path.isAbsolute(buildPrefix)) throw new RangeError(`buildPrefix must be absolute: ${options.buildPrefix}`);
  try {
    await fs.access(path.join(venvDir, 'pyvenv.cfg'));
  } catch {
    throw new NotAVirtualenvError(venvDir);
  }

  const report = { consoleScripts: [] as string[], activateScripts: [] as string[], removedDirectUrls: [] as string[], records: [] as string[] };
  const entries = await walkTree(venvDir);

  // 1. Byte-code caches and direct_url.json.
  const removedDirs: string[] = [];
  const removedFiles = new Set<string>();
  for (const e of entries) {
    if (removedDirs.some((d) => e.rel.startsWith(`${d}/`))) {
      if (!e.stats.isDirectory()) removedFiles.add(e.rel);
      continue;
    }
    const base = path.posix.basename(e.rel);
    if (e.stats.isDirectory() && base === '__pycache__') {
      removedDirs.push(e.rel);
    } else if (!e.stats.isDirectory() && /\.py[co]$/.test(base)) {
      removedFiles.add(e.rel);
    } else if (base === 'direct_url.json' && path.posix.dirname(e.rel).endsWith('.dist-info')) {
      removedFiles.add(e.rel);
      report.removedDirectUrls.push(e.rel);
    }
  }
  for (const d of removedDirs) await fs.rm(path.join(venvDir, d), { recursive: true, force: true });
  for (const f of removedFiles) {
    if (!removedDirs.some((d) => f.startsWith(`${d}/`))) await fs.rm(path.join(venvDir, f), { force: true });
  }
  const isRemoved = (rel: string): boolean => removedFiles.has(rel) || removedDirs.some((d) => rel === d || rel.startsWith(`${d}/`));

  // 2. Console scripts and activation scripts of bin/.
  const rewritten = new Map<string, RecordedFile>();
  const activate = new Set<string>(ACTIVATE_SCRIPTS);
  for (const e of entries) {
    if (path.posix.dirname(e.rel) !== 'bin' || !e.stats.isFile() || e.stats.size > 1 << 20) continue;
    const name = path.posix.basename(e.rel);
    const before = await fs.readFile(e.abs);
    let after: Buffer | undefined;
    if (activate.has(name)) {
      const text = rewriteActivateScript(name as (typeof ACTIVATE_SCRIPTS)[number], before.toString('utf8'), buildPrefix);
      if (text !== before.toString('utf8')) after = Buffer.from(text, 'utf8');
      if (after) report.activateScripts.push(e.rel);
    } else {
      after = rewriteConsoleScript(before, buildPrefix);
      if (after) report.consoleScripts.push(e.rel);
    }
    if (!after) continue;
    await fs.writeFile(e.abs, after);
    await fs.chmod(e.abs, e.stats.mode & 0o7777);
    rewritten.set(e.rel, { sha256: createHash('sha256').update(after).digest(), size: after.length });
  }

  // 3. RECORD files.
  for (const e of entries) {
    if (!e.stats.isFile() || path.posix.basename(e.rel) !== 'RECORD' || !path.posix.dirname(e.rel).endsWith('.dist-info')) continue;
    const siteDir = path.posix.dirname(path.posix.dirname(e.rel));
    const text = await fs.readFile(e.abs, 'utf8');
    const next = rewriteRecord(text, { siteDir, buildPrefix, isRemoved, rewritten });
    if (next === text) continue;
    await fs.writeFile(e.abs, next);
    report.records.push(e.rel);
  }

  if (options.manifest) await writeManifest(venvDir, options.manifest);

  const leaks = await findPathLeaks(venvDir, buildPrefix, { ignore: isFixedUpAtUnpack });
  if (leaks.length) throw new PathLeakError(buildPrefix, leaks);
  return { ...report, removedFiles: removedFiles.size };
}
