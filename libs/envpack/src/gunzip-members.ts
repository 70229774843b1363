/**
 * Gunzip that inflates the members of pack.ts's tarballs in parallel on the thread pool. One
 * inflate stream runs on one core, and it was the longest part of unpacking a large environment
 * (420 MiB of tar for 60 packages: ~1.2 s of a core, with the main thread waiting on it).
 *
 * pack.ts cuts the tar into members of 4 MiB, so a member boundary is where a trailer's ISIZE
 * says 4 MiB and the next member's header follows, as zlib writes it there (deflate, no flags,
 * no mtime, OS Unix): 13 fixed bytes, which compressed data matches by chance once in 2^104
 * positions. The input is cut there, each part inflated on its own (`zlib.gunzip`, any number of
 * members) a few at a time, and the output passed on in order. Input that shows no boundary
 * within {@link MAX_PART} bytes (another packer's gzip) is inflated as one stream from there on.
 */
import { Transform, TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';

/** A member trailer's ISIZE of 4 MiB (little-endian), then the start of a gzip header: magic, deflate, no flags, no mtime. */
const BOUNDARY = Buffer.from([0x00, 0x00, 0x40, 0x00, 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
/** The header's OS byte (Unix), after the XFL byte that follows {@link BOUNDARY}. */
const OS_UNIX = 0x03;
/** Bytes of the pattern: {@link BOUNDARY}, XFL, OS. */
const PATTERN_BYTES = BOUNDARY.length + 2;
/** Bytes of the ISIZE before the header: where a part ends inside {@link BOUNDARY}. */
const TRAILER_ISIZE = 4;
/** Parts inflating at once (the thread pool has 4 threads). */
const IN_FLIGHT = 3;
/** Compressed bytes without a boundary after which the rest is inflated as one stream. */
const MAX_PART = 16 << 20;
/** Output bytes per inflate call: a member (4 MiB) in one or two, not in 256 round trips through the main thread. */
const PART_OUT_CHUNK = 4 << 20;

/** The gunzip stream, and how many parts it inflated on their own (0: one stream throughout). */
export interface MembersGunzip extends Transform {
  readonly parts: number;
}

export function gunzipMembers(): MembersGunzip {
  let chunks: Buffer[] = [];
  let length = 0;
  /** The last bytes of the part so far, so that a boundary across chunks is found. */
  let tail: Buffer = Buffer.alloc(0);
  const queue: Promise<Buffer>[] = [];
  let inflater: zlib.Gunzip | null = null;

  let parts = 0;
  const inflate = (part: Buffer): void => {
    parts++;
    const out = new Promise<Buffer>((resolve, reject) => zlib.gunzip(part, { chunkSize: PART_OUT_CHUNK }, (err, bytes) => (err ? reject(err) : resolve(bytes))));
    out.catch(() => undefined); // awaited in order in passOn; not unhandled meanwhile
    queue.push(out);
  };
  const passOn = async (keep: number): Promise<void> => {
    while (queue.length > keep) stream.push(await queue.shift()!);
  };
  /** Part offsets of the header starts of the patterns in `bytes` that begin at index < `before`. */
  const boundaries = (bytes: Buffer, offset: number, before: number, into: number[]): void => {
    for (let at = bytes.indexOf(BOUNDARY); at >= 0 && at < before; at = bytes.indexOf(BOUNDARY, at + 1)) {
      if (at + PATTERN_BYTES <= bytes.length && bytes[at + PATTERN_BYTES - 1] === OS_UNIX) into.push(offset + at + TRAILER_ISIZE);
    }
  };
  /** Cuts off the parts that end in `chunk` and keeps the rest as the part so far. */
  const cut = (chunk: Buffer): void => {
    const starts: number[] = [];
    // A pattern across the seam begins in the tail; one that begins in the chunk is found there.
    if (tail.length > 0) boundaries(Buffer.concat([tail, chunk.subarray(0, PATTERN_BYTES - 1)]), length - tail.length, tail.length, starts);
    boundaries(chunk, length, chunk.length, starts);
    chunks.push(chunk);
    length += chunk.length;
    let taken = 0;
    if (starts.length > 0) {
      const all = Buffer.concat(chunks, length);
      for (const start of starts) {
        if (start > taken) inflate(all.subarray(taken, start));
        taken = start;
      }
      chunks = [all.subarray(taken)];
      length -= taken;
    }
    // The last bytes of the part (never of what was cut off), where a pattern may begin that the next chunk completes.
    tail = chunks.length === 0 ? Buffer.alloc(0) : lastBytes(chunks, Math.min(PATTERN_BYTES - 1, length));
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (inflater !== null) {
        if (inflater.write(chunk)) done();
        else inflater.once('drain', () => done());
        return;
      }
      cut(chunk);
      if (length <= MAX_PART) {
        passOn(IN_FLIGHT - 1).then(() => done(), done);
        return;
      }
      // No boundary for long: not this packer's members. The rest goes through one stream, after what was cut.
      passOn(0).then(() => {
        const one = (inflater = zlib.createGunzip());
        one.on('data', (bytes: Buffer) => {
          if (!stream.push(bytes)) one.pause();
        });
        one.on('error', (err) => stream.destroy(err));
        // Resumed when the reader wants more (a Transform has no event for it).
        const read = stream._read.bind(stream);
        stream._read = (size: number) => {
          one.resume();
          read(size);
        };
        const held = Buffer.concat(chunks, length);
        chunks = [];
        length = 0;
        if (inflater.write(held)) done();
        else inflater.once('drain', () => done());
      }, done);
    },
    flush(done: TransformCallback) {
      if (inflater !== null) {
        inflater.once('end', () => done());
        inflater.end();
        return;
      }
      if (length > 0 || queue.length === 0) inflate(Buffer.concat(chunks, length));
      passOn(0).then(() => done(), done);
    },
  });
  return Object.defineProperty(stream, 'parts', { get: () => parts }) as MembersGunzip;
}

/** The last `n` bytes of `chunks` (n no more than their total). */
function lastBytes(chunks: readonly Buffer[], n: number): Buffer {
  const last = chunks[chunks.length - 1];
  if (last.length >= n) return last.subarray(last.length - n);
  const picked: Buffer[] = [];
  for (let i = chunks.length - 1, missing = n; i >= 0 && missing > 0; i--) {
    const take = Math.min(chunks[i].length, missing);
    picked.unshift(chunks[i].subarray(chunks[i].length - take));
    missing -= take;
  }
  return Buffer.concat(picked);
}
