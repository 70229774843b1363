/**
 * Unpacking an environment tarball and hanging it on a local interpreter.
 *
 * Extraction is defensive, since a tarball is input: entries with an absolute path, a `..`
 * component or a NUL are refused, as are hard links, devices, FIFOs and duplicate entries. Files
 * are written first (with `wx`, never through an existing path) and symlinks last, each checked
 * to be relative and to resolve, physically, inside the target directory (dangling links are
 * refused too, since where they lead cannot be checked). Everything goes into a hidden sibling
 * directory renamed into place at the end, so a failure leaves nothing behind.
 *
 * Fix-ups (the parts of a venv that name the interpreter): `bin/python` becomes a link to the
 * local interpreter of the environment's `major.minor`, `bin/python3` and `bin/python3.X` links to
 * `python`, as `python -m venv` makes them; `pyvenv.cfg` gets `home`, and `executable`,
 * `command`, `version`/`version_info` when present; the csh (and plain sh) activation fallback
 * gets the directory written in.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, mkdirSync, promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { gunzipMembers } from './gunzip-members';
import { InterpreterMismatchError, NotAVirtualenvError, TargetNotEmptyError, UnsafeArchiveEntryError } from './errors';
import { findInterpreter, Interpreter, probeInterpreter } from './interpreter';
import { fillVenvDirPlaceholder } from './scripts';

/** Options of {@link unpackEnv}. */
export interface UnpackOptions {
  /** The interpreter to use; by default {@link findInterpreter} of the environment's `major.minor`. */
  readonly python?: string;
}

/** The environment unpacked. */
export interface UnpackResult {
  /** Absolute path of the environment. */
  readonly dir: string;
  readonly interpreter: Interpreter;
  /** Number of archive entries extracted. */
  readonly entries: number;
}

const INTERPRETER_LINK = /^bin\/python(\d+(\.\d+)?)?$/;
/** Files up to this size are gathered in memory and written at once, synchronously. */
const BUFFERED_LIMIT = 16 << 20;

/**
 * Extracts `tarball` (a file, or the bytes as a stream, e.g. as they are downloaded) into
 * `intoDir` (absent or empty) and fixes it up; see the module comment. A stream that fails
 * (a broken download) fails the unpack, which leaves nothing behind.
 */
export async function unpackEnv(tarball: string | Readable, intoDir: string, options: UnpackOptions = {}): Promise<UnpackResult> {
  const dir = path.resolve(intoDir);
  const existing = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing && existing.length) {
    if (typeof tarball !== 'string') tarball.destroy();
    throw new TargetNotEmptyError(dir);
  }
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const staging = path.join(path.dirname(dir), `.${path.basename(dir)}.unpack-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(staging, { mode: 0o755 });
  try {
    const entries = await extractSafely(tarball, staging);
    const interpreter = await fixUp(staging, dir, options);
    if (existing) await fs.rmdir(dir);
    await fs.rename(staging, dir);
    return { dir, interpreter, entries };
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Extracts a `.tar.gz` (a file, or its bytes as a stream) into the empty directory `root`, refusing unsafe entries. */
export async function extractSafely(tarball: string | Readable, root: string): Promise<number> {
  const seen = new Set<string>();
  const symlinks: Array<{ name: string; target: string }> = [];
  const madeDirs = new Set<string>([root]);
  // Directories and small files are made synchronously: an environment is thousands of small
  // files (12,719 entries for 60 packages), and a thread-pool round trip for each open, write,
  // chmod and close cost more than the writes themselves (the 60-package restore into memory:
  // 4.0-4.8 s with them). Files are made with their mode; the umask is undone only where it
  // took something away, as it did from `root` if that is not 0755.
  const ensureDir = (dir: string): void => {
    if (madeDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    for (let d = dir; !madeDirs.has(d); d = path.dirname(d)) madeDirs.add(d);
  };
  const umasked = ((await fs.stat(root)).mode & 0o777) !== 0o755;

  const extract = tar.extract();
  const bytes = typeof tarball === 'string' ? createReadStream(tarball, { highWaterMark: 1 << 20 }) : tarball;
  const source = pipeline(bytes, gunzipMembers(), extract);
  let count = 0;
  try {
    for await (const entry of extract) {
      const raw = entry.header.name;
      const name = safeName(raw);
      if (name === '') {
        entry.resume();
        continue;
      }
      if (seen.has(name)) throw new UnsafeArchiveEntryError(raw, 'duplicate entry');
      seen.add(name);
      count++;
      const target = path.join(root, ...name.split('/'));
      switch (entry.header.type) {
        case 'directory':
          ensureDir(target);
          entry.resume();
          break;
        case 'file':
        case 'contiguous-file': {
          ensureDir(path.dirname(target));
          if (INTERPRETER_LINK.test(name)) {
            entry.resume(); // replaced by a link to the local interpreter
            break;
          }
          const mode = (entry.header.mode ?? 0o644) & 0o111 ? 0o755 : 0o644;
          if ((entry.header.size ?? 0) <= BUFFERED_LIMIT) {
            const chunks: Buffer[] = [];
            for await (const chunk of entry) chunks.push(chunk as Buffer);
            writeNew(target, Buffer.concat(chunks), mode, umasked);
          } else {
            await pipeline(entry, createWriteStream(target, { flags: 'wx', mode }));
            if (umasked) await fs.chmod(target, mode);
          }
          break;
        }
        case 'symlink': {
          entry.resume();
          const linkTarget = entry.header.linkname ?? '';
          if (INTERPRETER_LINK.test(name)) break; // points at the builder's interpreter: replaced
          checkSymlink(raw, name, linkTarget);
          symlinks.push({ name, target: linkTarget });
          break;
        }
        case 'link':
          throw new UnsafeArchiveEntryError(raw, 'hard links are not extracted');
        default:
          throw new UnsafeArchiveEntryError(raw, `entries of type ${entry.header.type} are not extracted`);
      }
    }
    await source;
  } catch (err) {
    extract.destroy();
    await source.catch(() => undefined);
    throw err;
  }

  const realRoot = await fs.realpath(root);
  for (const { name, target } of symlinks) {
    const at = path.join(root, ...name.split('/'));
    await fs.mkdir(path.dirname(at), { recursive: true, mode: 0o755 });
    await fs.symlink(target, at);
  }
  for (const { name } of symlinks) {
    const resolved = await fs.realpath(path.join(root, ...name.split('/'))).catch(() => undefined);
    if (resolved === undefined) throw new UnsafeArchiveEntryError(name, 'symlink does not resolve inside the archive');
    if (resolved !== realRoot && !resolved.startsWith(realRoot + path.sep)) {
      throw new UnsafeArchiveEntryError(name, 'symlink resolves outside the target directory');
    }
  }
  return count;
}

/** Creates `file` (never through or over an existing path) with exactly `mode`: chmod-ed when the umask may have taken bits away. */
function writeNew(file: string, data: Buffer, mode: number, umasked: boolean): void {
  writeFileSync(file, data, { flag: 'wx', mode });
  if (umasked) chmodSync(file, mode);
}

/** The entry name relative and normalized, `''` for the root itself; throws when unsafe. */
function safeName(raw: string): string {
  if (raw.includes('\0')) throw new UnsafeArchiveEntryError(raw, 'NUL in path');
  if (raw.startsWith('/')) throw new UnsafeArchiveEntryError(raw, 'absolute path');
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveEntryError(raw, '".." in path');
  return parts.join('/');
}

function checkSymlink(raw: string, name: string, target: string): void {
  if (target === '' || target.includes('\0')) throw new UnsafeArchiveEntryError(raw, 'empty or invalid symlink target');
  if (target.startsWith('/')) throw new UnsafeArchiveEntryError(raw, `absolute symlink target ${target}`);
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(name), target));
  if (resolved === '..' || resolved.startsWith('../')) throw new UnsafeArchiveEntryError(raw, `symlink target ${target} leaves the directory`);
}

/** Links `bin/python*` to the local interpreter and rewrites what names it; returns the interpreter. */
async function fixUp(root: string, finalDir: string, options: UnpackOptions): Promise<Interpreter> {
  const cfgPath = path.join(root, 'pyvenv.cfg');
  const cfg = await fs.readFile(cfgPath, 'utf8').catch(() => {
    throw new NotAVirtualenvError(finalDir);
  });
  const wanted = pyvenvMajorMinor(cfg);
  let interpreter: Interpreter;
  if (options.python) {
    const probed = await probeInterpreter(options.python);
    if (!probed) throw new InterpreterMismatchError(options.python, wanted ?? 'any', 'not a runnable Python');
    if (wanted && probed.majorMinor !== wanted) throw new InterpreterMismatchError(options.python, wanted, probed.version);
    interpreter = probed;
  } else {
    if (!wanted) throw new NotAVirtualenvError(`${finalDir} (pyvenv.cfg names no Python version)`);
    interpreter = await findInterpreter(wanted);
  }

  const bin = path.join(root, 'bin');
  await fs.mkdir(bin, { recursive: true, mode: 0o755 });
  const names = ['python', 'python3', `python${interpreter.majorMinor}`];
  for (const n of names) await fs.rm(path.join(bin, n), { force: true });
  await fs.symlink(interpreter.path, path.join(bin, 'python'));
  for (const n of names.slice(1)) await fs.symlink('python', path.join(bin, n));

  await fs.writeFile(cfgPath, rewritePyvenvCfg(cfg, interpreter, finalDir));

  for (const name of ['activate', 'activate.csh'] as const) {
    const file = path.join(bin, name);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const filled = fillVenvDirPlaceholder(name, text, finalDir);
    if (filled !== text) await fs.writeFile(file, filled);
  }
  return interpreter;
}

/** The `major.minor` a `pyvenv.cfg` was made for (`version_info` as uv writes it, or `version`). */
export function pyvenvMajorMinor(cfg: string): string | undefined {
  const m = /^\s*(?:version_info|version)\s*=\s*(\d+)\.(\d+)/m.exec(cfg);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** `cfg` with `home`, and `executable`, `command`, `version`, `version_info` when present, for `interpreter`. */
export function rewritePyvenvCfg(cfg: string, interpreter: Interpreter, venvDir: string): string {
  const values: Record<string, string> = {
    home: path.dirname(interpreter.path),
    executable: interpreter.path,
    command: `${interpreter.path} -m venv ${venvDir}`,
    version: interpreter.version,
    version_info: interpreter.version,
  };
  let sawHome = false;
  const lines = cfg.split('\n').map((line) => {
    const m = /^(\s*)([A-Za-z_][\w-]*)(\s*=\s*)(.*)$/.exec(line);
    if (!m || !(m[2] in values)) return line;
    if (m[2] === 'home') sawHome = true;
    return `${m[1]}${m[2]}${m[3]}${values[m[2]]}`;
  });
  if (!sawHome) lines.unshift(`home = ${values.home}`);
  return lines.join('\n');
}
