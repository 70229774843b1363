/**
 * Deterministic `.tar.gz` of a directory: the same tree content gives the same bytes, whoever
 * owns the files, whenever they were written, on whatever filesystem.
 *
 * Tar (ustar, via tar-stream): entries in bytewise path order, directories included (with a
 * trailing `/`), paths relative with no `./`; mtime fixed at {@link PACK_MTIME}; uid/gid 0 and
 * empty uname/gname; modes normalized (directories 0755, files 0755 if any execute bit was set
 * else 0644, symlinks 0777); symlinks stored as symlinks. A path or link target that does not fit
 * ustar gets a pax header carrying only `path`/`linkpath` (never times). Hard links are stored
 * as separate regular files.
 *
 * Gzip (Node's zlib): a fixed level, no file name, mtime 0 and the OS byte forced to 3 (Unix), so
 * the header does not depend on the machine. The deflate stream itself depends on the zlib build:
 * byte-identical output is guaranteed for one Node/zlib version ({@link PACKER_ID} names it; it
 * belongs in the build key).
 *
 * The file is written atomically: a temporary file in the same directory, fsync, rename, fsync of
 * the directory. A reader never sees a partial tarball.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { PathLeakError, UnsupportedFileTypeError } from './errors';
import { findPathLeaks } from './leaks';
import { isFixedUpAtUnpack } from './relocate';
import { TreeEntry, walkTree } from './tree';

/** The mtime of every entry (the epoch). */
export const PACK_MTIME = new Date(0);

/**
 * The gzip level used unless told otherwise. Measured on a numpy + pandas venv of 4974 entries,
 * 113.5 MiB of tar (libs/envpack/bench/compression.bench.ts, 2 shared cores): level 1 packs in
 * about 2.9 s to 35.5 MiB, level 6 in 5.0 s to 31.1 MiB, level 9 in 12.4 s to 31.0 MiB, against a
 * `pip install` of 13 s. Level 1 keeps packing a small part of a cold build (the build benchmark
 * allows 1.3 times a plain install) for 14% more bytes; level 9 buys nothing.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/**
 * Identity of this packer's output at the default level: changes whenever the same tree could
 * give other bytes (format version, level, zlib build). Belongs in the build key.
 */
export const PACKER_ID = `venvfarm-envpack/1 gzip-${DEFAULT_GZIP_LEVEL} zlib-${process.versions.zlib}`;

type EntryHeader = Parameters<tar.Pack['entry']>[0];

/** Files read ahead of the one being added. */
const READ_AHEAD = 16;
/**
 * tar-stream pushes each 512-byte header and padding as its own chunk; zlib does one thread-pool
 * round trip per chunk, so they are gathered first. Deflate's output does not depend on how its
 * input is split (no flushes), so this changes the speed, not the bytes.
 */
const COALESCE_BYTES = 1 << 20;

/** Files up to this size are read whole; bigger ones are streamed. */
const BUFFERED_LIMIT = 16 << 20;

/** Options of {@link packDeterministic}. */
export interface PackOptions {
  /** gzip level 0–9; defaults to {@link DEFAULT_GZIP_LEVEL}. */
  readonly level?: number;
  /** When given, refuse to pack (with {@link PathLeakError}) if this path is still in the tree. */
  readonly buildPrefix?: string;
}

/** The tarball written. */
export interface PackResult {
  /** sha256 of the `.tar.gz` bytes, lowercase hex. */
  readonly sha256: string;
  /** Size of the `.tar.gz` in bytes. */
  readonly size: number;
  /** Number of tar entries (directories, files and symlinks). */
  readonly entries: number;
}

/** Packs the contents of `dir` into the gzip-compressed tarball `outFile`; see the module comment. */
export async function packDeterministic(dir: string, outFile: string, options: PackOptions = {}): Promise<PackResult> {
  const level = options.level ?? DEFAULT_GZIP_LEVEL;
  if (options.buildPrefix) {
    const leaks = await findPathLeaks(dir, options.buildPrefix, { ignore: isFixedUpAtUnpack });
    if (leaks.length) throw new PathLeakError(options.buildPrefix, leaks);
  }
  const entries = await walkTree(dir);
  for (const e of entries) {
    if (!e.stats.isFile() && !e.stats.isDirectory() && !e.stats.isSymbolicLink()) throw new UnsupportedFileTypeError(e.rel, fileType(e));
  }

  const tmp = path.join(path.dirname(outFile), `.${path.basename(outFile)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  let headerFixed = false;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!headerFixed && chunk.length >= 10) {
        chunk[9] = 3; // gzip OS byte: Unix, whatever zlib was built for
        headerFixed = true;
      }
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });

  const pack = tar.pack();
  try {
    const written = pipeline(pack, coalesce(COALESCE_BYTES), zlib.createGzip({ level }), tap, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
    const fed = feed(pack, entries).catch((err: unknown) => {
      pack.destroy(err as Error);
      throw err;
    });
    await Promise.all([written, fed]);
    const fh = await fs.open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, outFile);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(outFile));
  return { sha256: hash.digest('hex'), size, entries: entries.length };
}

async function feed(pack: tar.Pack, entries: readonly TreeEntry[]): Promise<void> {
  // Small files are read ahead, a few at a time, so the tar stream does not wait on each open/read.
  const buffered = (e: TreeEntry): boolean => e.stats.isFile() && e.stats.size <= BUFFERED_LIMIT;
  const reads = new Map<number, Promise<Buffer>>();
  let ahead = 0;
  const readAhead = (from: number): void => {
    for (ahead = Math.max(ahead, from); ahead < entries.length && ahead < from + READ_AHEAD; ahead++) {
      if (buffered(entries[ahead])) reads.set(ahead, fs.readFile(entries[ahead].abs));
    }
  };
  for (const [i, e] of entries.entries()) {
    readAhead(i);
    const common = { mtime: PACK_MTIME, uid: 0, gid: 0, uname: '', gname: '' };
    if (e.stats.isDirectory()) {
      await addEntry(pack, { ...common, name: `${e.rel}/`, type: 'directory', mode: 0o755 });
    } else if (e.stats.isSymbolicLink()) {
      const linkname = await fs.readlink(e.abs);
      await addEntry(pack, { ...common, name: e.rel, type: 'symlink', mode: 0o777, linkname });
    } else {
      const mode = e.stats.mode & 0o111 ? 0o755 : 0o644;
      const header = { ...common, name: e.rel, type: 'file' as const, mode, size: e.stats.size };
      const read = reads.get(i);
      if (read) {
        reads.delete(i);
        await addEntry(pack, header, await read);
      } else {
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
          createReadStream(e.abs).on('error', reject).pipe(sink);
        });
      }
    }
  }
  pack.finalize();
}

function addEntry(pack: tar.Pack, header: EntryHeader, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (body) pack.entry(header, body, cb);
    else pack.entry(header, cb);
  });
}

/** A transform that passes the bytes through in chunks of at least `size` (except the last). */
function coalesce(size: number): Transform {
  let pending: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending.push(chunk);
      length += chunk.length;
      if (length < size) return done();
      const out = Buffer.concat(pending, length);
      pending = [];
      length = 0;
      done(null, out);
    },
    flush(done) {
      done(null, length ? Buffer.concat(pending, length) : undefined);
    },
  });
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function fileType(e: TreeEntry): string {
  const s = e.stats;
  if (s.isSocket()) return 'a socket';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isCharacterDevice()) return 'a character device';
  return 'an unknown file type';
}
