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
 * Gzip (Node's zlib): the tar stream cut into blocks of {@link MEMBER_BYTES}, each compressed as a
 * gzip member of its own (RFC 1952 allows any number; gzip, tar, Python and Node read them as one
 * stream) so that the blocks are compressed in parallel on the thread pool: deflate at level 1 is
 * most of a pack's CPU time, and one stream uses one core. Each member has a fixed level, no file
 * name, mtime 0 and the OS byte forced to 3 (Unix), so no header depends on the machine. The
 * deflate streams depend on the zlib build: byte-identical output is guaranteed for one Node/zlib
 * version ({@link PACKER_ID} names it; it belongs in the build key).
 *
 * The file is written atomically: a temporary file in the same directory, fsync, rename, fsync of
 * the directory. A reader never sees a partial tarball.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs, readFileSync } from 'node:fs';
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
export const PACKER_ID = `venvfarm-envpack/2 gzip-${DEFAULT_GZIP_LEVEL} members-4MiB zlib-${process.versions.zlib}`;

/**
 * Uncompressed bytes per gzip member: large enough that the members cost nothing measurable in
 * size (deflate looks back 32 KiB), small enough to keep two cores busy on a small environment.
 * Unpacking finds the member boundaries by this size (gunzip-members.ts): change both together,
 * or unpacks fall back to one inflate stream.
 */
const MEMBER_BYTES = 4 << 20;
/** Members compressed at once (Node's thread pool has 4 threads; one is left for file reads). */
const MEMBERS_IN_FLIGHT = 3;
/**
 * Files up to this size are read synchronously: from the page cache, right after the build wrote
 * them, a read is a few microseconds, and four thread-pool round trips a file (open, stat, read,
 * close) cost the 12,000-file environment of the build benchmark about 2 s of pack time.
 */
const SYNC_READ_LIMIT = 256 << 10;

type EntryHeader = Parameters<tar.Pack['entry']>[0];

/** Files read ahead of the one being added. */
const READ_AHEAD = 16;

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
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });

  const pack = tar.pack();
  try {
    const written = pipeline(pack, gzipMembers(level), tap, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
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
      if (buffered(entries[ahead]) && entries[ahead].stats.size > SYNC_READ_LIMIT) reads.set(ahead, fs.readFile(entries[ahead].abs));
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
      if (e.stats.size <= SYNC_READ_LIMIT) {
        await addEntry(pack, header, readFileSync(e.abs));
      } else if (read) {
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

/**
 * Gzip in members of {@link MEMBER_BYTES} uncompressed bytes (the last one shorter), compressed
 * {@link MEMBERS_IN_FLIGHT} at a time and passed on in order. The cut points depend only on the
 * byte count, so the output depends only on the input.
 */
function gzipMembers(level: number): Transform {
  let pending: Buffer[] = [];
  let length = 0;
  const queue: Promise<Buffer>[] = [];
  const compress = (block: Buffer): void => {
    const member = new Promise<Buffer>((resolve, reject) =>
      zlib.gzip(block, { level }, (err, out) => {
        if (err) return reject(err);
        out[9] = 3; // gzip OS byte: Unix, whatever zlib was built for
        resolve(out);
      }),
    );
    member.catch(() => undefined); // awaited in order below; not unhandled meanwhile
    queue.push(member);
  };
  const passOn = async (keep: number): Promise<void> => {
    while (queue.length > keep) stream.push(await queue.shift()!);
  };
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending.push(chunk);
      length += chunk.length;
      if (length >= MEMBER_BYTES) {
        const all = Buffer.concat(pending, length);
        let at = 0;
        for (; all.length - at >= MEMBER_BYTES; at += MEMBER_BYTES) compress(all.subarray(at, at + MEMBER_BYTES));
        pending = at < all.length ? [all.subarray(at)] : [];
        length = all.length - at;
      }
      passOn(MEMBERS_IN_FLIGHT - 1).then(() => done(), done);
    },
    flush(done) {
      if (length > 0 || queue.length === 0) compress(Buffer.concat(pending, length));
      passOn(0).then(() => done(), done);
    },
  });
  return stream;
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
