/**
 * Reads one small member out of a distribution archive on disk: a wheel or a `.zip` sdist (zip),
 * a `.tar.gz`/`.tgz` or `.tar` sdist. Used for what a file says of itself (an sdist's
 * `pyproject.toml`, a wheel's `METADATA`, an sdist's `PKG-INFO`). The first member whose name
 * `wanted` accepts is read whole; one larger than `maxBytes` is refused rather than read into
 * memory. A broken archive rejects with the reader's error.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import * as yauzl from 'yauzl';

/** How a distribution file is archived, by its name; null for a format not read. */
export function archiveFormatOf(filename: string): 'zip' | 'tar.gz' | 'tar' | null {
  if (/\.(whl|zip)$/i.test(filename)) return 'zip';
  if (/\.(tar\.gz|tgz)$/i.test(filename)) return 'tar.gz';
  if (/\.tar$/i.test(filename)) return 'tar';
  return null;
}

/** A member larger than the caller accepts. */
export class ArchiveMemberTooLargeError extends Error {
  constructor(
    readonly member: string,
    readonly maxBytes: number,
  ) {
    super(`${member} is larger than ${maxBytes} bytes`);
    this.name = 'ArchiveMemberTooLargeError';
  }
}

/** A member's name and bytes. */
export interface ArchiveMember {
  readonly name: string;
  readonly bytes: Buffer;
}

/** The first member of the archive at `path` whose name `wanted` accepts, or null. */
export function readArchiveMember(path: string, format: 'zip' | 'tar.gz' | 'tar', wanted: (name: string) => boolean, maxBytes: number): Promise<ArchiveMember | null> {
  return format === 'zip' ? memberOfZip(path, wanted, maxBytes) : memberOfTar(path, format === 'tar.gz', wanted, maxBytes);
}

async function memberOfTar(path: string, gzipped: boolean, wanted: (name: string) => boolean, maxBytes: number): Promise<ArchiveMember | null> {
  const extract = tar.extract();
  let found: ArchiveMember | null = null;
  let tooLarge: string | null = null;
  extract.on('entry', (header, stream, next) => {
    if (found === null && tooLarge === null && header.type === 'file' && wanted(header.name)) {
      if ((header.size ?? 0) > maxBytes) tooLarge = header.name;
      else {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
        stream.on('end', () => {
          found = { name: header.name, bytes: Buffer.concat(chunks) };
          next();
        });
        return;
      }
    }
    stream.on('end', next);
    stream.resume();
  });
  if (gzipped) await pipeline(createReadStream(path), createGunzip(), extract);
  else await pipeline(createReadStream(path), extract);
  if (tooLarge !== null) throw new ArchiveMemberTooLargeError(tooLarge, maxBytes);
  return found;
}

async function memberOfZip(path: string, wanted: (name: string) => boolean, maxBytes: number): Promise<ArchiveMember | null> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true, strictFileNames: false }, (err, opened) => (err ? reject(err) : resolve(opened))));
  try {
    return await new Promise<ArchiveMember | null>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve(null));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!wanted(entry.fileName)) return zip.readEntry();
        if (entry.uncompressedSize > maxBytes) return reject(new ArchiveMemberTooLargeError(entry.fileName, maxBytes));
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => resolve({ name: entry.fileName, bytes: Buffer.concat(chunks) }));
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
