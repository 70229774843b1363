/**
 * Finding an absolute path (the build prefix) left anywhere in a tree.
 *
 * Every regular file is scanned as bytes, text and binary alike (`.pyc`, `.so`, RECORD, scripts),
 * in chunks that overlap by the prefix length minus one so a match split across two reads is
 * still found. Symlink targets are checked too. The scan never follows symlinks.
 */
import { createReadStream } from 'node:fs';
import { promises as fs } from 'node:fs';
import type { PathLeak } from './errors';
import { walkTree } from './tree';

/** Options of {@link findPathLeaks}. */
export interface FindPathLeaksOptions {
  /** Relative paths (`/`-separated) whose mention of the prefix is expected and fixed elsewhere. */
  readonly ignore?: (rel: string) => boolean;
}

/**
 * Files of `dir` whose bytes contain `prefix`, and symlinks whose target does, sorted by path.
 * An empty result means the tree can be moved without carrying the prefix along.
 */
export async function findPathLeaks(dir: string, prefix: string, options: FindPathLeaksOptions = {}): Promise<PathLeak[]> {
  const needle = Buffer.from(prefix, 'utf8');
  if (needle.length === 0) throw new RangeError('findPathLeaks: empty prefix');
  const entries = (await walkTree(dir)).filter((e) => !options.ignore?.(e.rel));
  const found: Array<PathLeak | undefined> = new Array(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      const entry = entries[i];
      if (entry.stats.isSymbolicLink()) {
        if ((await fs.readlink(entry.abs, 'buffer')).includes(needle)) found[i] = { path: entry.rel, kind: 'symlink' };
      } else if (entry.stats.isFile() && entry.stats.size >= needle.length) {
        if (await fileContains(entry.abs, needle, entry.stats.size)) found[i] = { path: entry.rel, kind: 'content' };
      }
    }
  };
  await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, worker));
  return found.filter((l): l is PathLeak => l !== undefined);
}

/** Files scanned at once: enough to hide the latency of many small reads. */
const SCAN_CONCURRENCY = 16;
/** Files up to this size are read whole. */
const WHOLE_READ_LIMIT = 8 << 20;

/** Whether the bytes of the file at `file` contain `needle`, reading it in overlapping chunks. */
export async function fileContains(file: string, needle: Buffer, size?: number): Promise<boolean> {
  if (size !== undefined && size <= WHOLE_READ_LIMIT) return (await fs.readFile(file)).includes(needle);
  let tail: Buffer = Buffer.alloc(0);
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const window: Buffer = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      if (window.includes(needle)) return true;
      tail = window.subarray(Math.max(0, window.length - (needle.length - 1)));
    }
    return false;
  } finally {
    stream.destroy();
  }
}
