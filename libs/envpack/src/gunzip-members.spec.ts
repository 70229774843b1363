import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { gunzipMembers } from './gunzip-members';

const MEMBER = 4 << 20;

/** Gzip members as pack.ts writes them: 4 MiB of input each, OS byte Unix. */
function packLike(data: Buffer): Buffer {
  const members: Buffer[] = [];
  for (let at = 0; at < data.length; at += MEMBER) {
    const member = zlib.gzipSync(data.subarray(at, at + MEMBER), { level: 1 });
    member[9] = 3;
    members.push(member);
  }
  return Buffer.concat(members);
}

function chunked(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    })(),
  );
}

async function gunzipped(bytes: Buffer, chunkSize: number): Promise<{ out: Buffer; parts: number }> {
  const got: Buffer[] = [];
  const gunzip = gunzipMembers();
  await pipeline(chunked(bytes, chunkSize), gunzip, new Writable({ write: (c: Buffer, _e, done) => (got.push(c), done()) }));
  return { out: Buffer.concat(got), parts: gunzip.parts };
}

describe('gunzipMembers', () => {
  // Compressible but not trivially: text with random words, 10.5 members.
  const words = Array.from({ length: 4096 }, () => randomBytes(4).toString('hex'));
  const data = Buffer.from(Array.from({ length: 5_000_000 }, (_, i) => words[(i * 2654435761) % 4096]).join(' ').slice(0, 42 << 20));

  it.each([1 << 20, 65_536, 4099])('inflates pack.ts members a part per member, whatever the chunks (%i bytes)', async (chunkSize) => {
    const { out, parts } = await gunzipped(packLike(data), chunkSize);
    expect(out.equals(data)).toBe(true);
    expect(parts).toBe(Math.ceil(data.length / MEMBER));
  });

  it('finds the boundaries that chunks cut through', async () => {
    const bytes = packLike(data);
    // Each chunk ends 1, 2, ... 13 bytes into the 14-byte pattern (trailer ISIZE, then the header) of a boundary.
    const ends: number[] = [];
    const isize = Buffer.from([0x00, 0x00, 0x40, 0x00, 0x1f, 0x8b]);
    for (let at = bytes.indexOf(isize), i = 0; at >= 0; at = bytes.indexOf(isize, at + 1), i++) ends.push(at + 1 + (i % 13));
    expect(ends.length).toBe(Math.ceil(data.length / MEMBER) - 1);
    const pieces = [0, ...ends, bytes.length].slice(1).map((end, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], end));
    const got: Buffer[] = [];
    const gunzip = gunzipMembers();
    await pipeline(Readable.from(pieces), gunzip, new Writable({ write: (c: Buffer, _e, done) => (got.push(c), done()) }));
    expect(Buffer.concat(got).equals(data)).toBe(true);
    expect(gunzip.parts).toBe(ends.length + 1);
  });

  it('inflates another gzip (one member of 20 MiB, no boundary) as one stream', async () => {
    const noise = randomBytes(20 << 20);
    const { out, parts } = await gunzipped(zlib.gzipSync(noise, { level: 1 }), 65_536);
    expect(out.equals(noise)).toBe(true);
    expect(parts).toBe(0);
  });

  it('inflates a small gzip whole', async () => {
    const { out, parts } = await gunzipped(zlib.gzipSync(Buffer.from('hello')), 3);
    expect(out.toString()).toBe('hello');
    expect(parts).toBe(1);
  });

  it('fails on a corrupt member', async () => {
    const bytes = packLike(data.subarray(0, 9 << 20));
    bytes[bytes.length >> 1] ^= 0xff;
    await expect(gunzipped(bytes, 65_536)).rejects.toThrow();
  });
});
