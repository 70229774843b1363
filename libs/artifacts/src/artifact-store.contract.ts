/**
 * The behaviour every ArtifactStore adapter must have, as one suite that each adapter's spec runs
 * against a fresh store per test: content addressing, verification, all-or-nothing puts (a
 * failing put leaves nothing visible and no temporary file), concurrent puts, range reads and
 * named objects.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ArtifactNotFoundError, HashMismatchError, InvalidArtifactNameError, RangeNotSatisfiableError } from './artifact-errors';
import { ArtifactStore } from './artifact-store';

/** A fresh store, and ways to look behind it. */
export interface ContractHarness {
  readonly store: ArtifactStore;
  /** Everything published (paths or object keys), sorted. */
  published(): Promise<string[]>;
  /** Temporary files left behind (spool files, `.part` files). */
  leftovers(): Promise<string[]>;
  dispose(): Promise<void>;
}

export const sha256Of = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Deterministic bytes, `size` long. */
export function bytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >>> 16;
  }
  return out;
}

/** A source that sends `data` in chunks of `chunk` bytes. */
export function chunked(data: Buffer, chunk = 16 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );
}

/** A source that sends `first` and then breaks, like a connection reset mid-download. */
function breaking(first: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield first;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('connection reset by peer');
    })(),
  );
}

/** Registers the contract's tests in the calling `describe`. */
export function artifactStoreContract(open: () => Promise<ContractHarness>): void {
  let harness: ContractHarness;
  let store: ArtifactStore;
  beforeEach(async () => {
    harness = await open();
    store = harness.store;
  });
  afterEach(async () => {
    await harness.dispose();
  });

  const data = bytes(100_000);
  const digest = sha256Of(data);

  describe('blobs', () => {
    it('stores bytes under their sha256 and reads them back', async () => {
      expect(await store.has(digest)).toBe(false);
      expect(await store.put(chunked(data), null)).toEqual({ sha256: digest, size: data.length });
      expect(await store.has(digest)).toBe(true);
      expect(await store.size(digest)).toBe(data.length);
      expect(sha256Of(await readAll(await store.read(digest)))).toBe(digest);
      expect(await harness.published()).toHaveLength(1);
      expect(await harness.leftovers()).toEqual([]);
    });

    it('accepts an expected sha256 that matches, in either case', async () => {
      expect(await store.put(chunked(data), digest.toUpperCase(), { name: 'x.whl' })).toEqual({ sha256: digest, size: data.length });
      expect(await store.has(digest.toUpperCase())).toBe(true);
    });

    it('stores an empty blob', async () => {
      const empty = sha256Of('');
      expect(await store.put(Readable.from([]), empty)).toEqual({ sha256: empty, size: 0 });
      expect(await store.size(empty)).toBe(0);
      expect(await readAll(await store.read(empty))).toEqual(Buffer.alloc(0));
      await expect(store.read(empty, { start: 0 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
    });

    it('stores a blob of many chunks', async () => {
      const big = bytes(5 * 1024 * 1024 + 7, 42);
      const put = await store.put(chunked(big, 64 * 1024), sha256Of(big));
      expect(put.size).toBe(big.length);
      expect((await readAll(await store.read(put.sha256))).equals(big)).toBe(true);
    });

    it('putting a stored blob again changes nothing', async () => {
      await store.put(chunked(data), digest);
      const before = await harness.published();
      expect(await store.put(chunked(data), digest)).toEqual({ sha256: digest, size: data.length });
      expect(await harness.published()).toEqual(before);
      expect(await harness.leftovers()).toEqual([]);
    });

    it('answers for a blob it does not have', async () => {
      const absent = sha256Of('absent');
      expect(await store.has(absent)).toBe(false);
      expect(await store.size(absent)).toBeNull();
      await expect(store.read(absent)).rejects.toBeInstanceOf(ArtifactNotFoundError);
      await expect(store.read(absent, { start: 0, end: 1 })).rejects.toBeInstanceOf(ArtifactNotFoundError);
    });

    it('refuses a malformed sha256', async () => {
      await expect(store.has('abc')).rejects.toBeInstanceOf(InvalidArtifactNameError);
      await expect(store.read('../../etc/passwd')).rejects.toBeInstanceOf(InvalidArtifactNameError);
      await expect(store.put(chunked(data), 'not-a-hash')).rejects.toBeInstanceOf(InvalidArtifactNameError);
      expect(await harness.published()).toEqual([]);
    });
  });

  describe('all or nothing', () => {
    it('a mismatch throws HashMismatchError naming the file, and nothing is stored', async () => {
      const wrong = sha256Of('something else');
      const error = await store.put(chunked(data), wrong, { name: 'numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl', source: 'http://upstream/f' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HashMismatchError);
      expect(error).toMatchObject({ filename: 'numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl', expected: wrong, actual: digest, size: data.length });
      expect((error as Error).message).toContain('numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl');
      expect((error as Error).message).toContain(wrong);
      expect(await store.has(wrong)).toBe(false);
      expect(await store.has(digest)).toBe(false);
      expect(await harness.published()).toEqual([]);
      expect(await harness.leftovers()).toEqual([]);
    });

    it('a source that breaks midway stores nothing and leaves no temporary file', async () => {
      await expect(store.put(breaking(data.subarray(0, 50_000)), digest)).rejects.toThrow('connection reset by peer');
      await expect(store.put(breaking(data.subarray(0, 50_000)), null)).rejects.toThrow('connection reset by peer');
      expect(await store.has(digest)).toBe(false);
      expect(await harness.published()).toEqual([]);
      expect(await harness.leftovers()).toEqual([]);
    });

    it('concurrent puts of one blob all succeed and store it once; a wrong one among them fails alone', async () => {
      const wrong = sha256Of('wrong');
      const results = await Promise.allSettled([
        ...Array.from({ length: 8 }, (_, i) => store.put(chunked(data, 1000 + i * 997), i % 2 === 0 ? digest : null)),
        store.put(chunked(data), wrong, { name: 'bad.whl' }),
      ]);
      for (const result of results.slice(0, 8)) expect(result).toEqual({ status: 'fulfilled', value: { sha256: digest, size: data.length } });
      expect(results[8]).toMatchObject({ status: 'rejected', reason: expect.any(HashMismatchError) });
      expect(await harness.published()).toHaveLength(1);
      expect(await harness.leftovers()).toEqual([]);
      expect(sha256Of(await readAll(await store.read(digest)))).toBe(digest);
    });

    it('concurrent puts of different blobs are all stored', async () => {
      const blobs = Array.from({ length: 10 }, (_, i) => bytes(20_000 + i, i + 7));
      const results = await Promise.all(blobs.map((b) => store.put(chunked(b, 4096), sha256Of(b))));
      expect(results.map((r) => r.sha256)).toEqual(blobs.map((b) => sha256Of(b)));
      expect(await harness.published()).toHaveLength(10);
    });
  });

  describe('ranges', () => {
    beforeEach(async () => {
      await store.put(chunked(data), digest);
    });

    it.each([
      ['the first byte', { start: 0, end: 0 }, [0, 1]],
      ['a middle span', { start: 1000, end: 1999 }, [1000, 2000]],
      ['to the end', { start: 99_990 }, [99_990, 100_000]],
      ['the last byte', { start: 99_999, end: 99_999 }, [99_999, 100_000]],
      ['an end past the size, clamped', { start: 50_000, end: 10_000_000 }, [50_000, 100_000]],
    ])('reads %s', async (_what, range, [from, to]) => {
      expect((await readAll(await store.read(digest, range))).equals(data.subarray(from, to))).toBe(true);
    });

    it.each([
      ['a start at the size', { start: 100_000 }],
      ['a start past the size', { start: 200_000, end: 200_001 }],
      ['a reversed range', { start: 10, end: 5 }],
      ['a negative start', { start: -1, end: 5 }],
    ])('refuses %s with the size', async (_what, range) => {
      const error = await store.read(digest, range).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RangeNotSatisfiableError);
      expect(error).toMatchObject({ size: data.length });
    });
  });

  describe('named objects', () => {
    const tarball = bytes(70_000, 3);

    it('stores, sizes and reads a named object, with ranges', async () => {
      expect(await store.hasNamed('envs', 'abc123.tar.gz')).toBe(false);
      expect(await store.statNamed('envs', 'abc123.tar.gz')).toBeNull();
      expect(await store.putNamed('envs', 'abc123.tar.gz', chunked(tarball))).toEqual({ sha256: sha256Of(tarball), size: tarball.length });
      expect(await store.hasNamed('envs', 'abc123.tar.gz')).toBe(true);
      expect(await store.statNamed('envs', 'abc123.tar.gz')).toBe(tarball.length);
      expect((await readAll(await store.readNamed('envs', 'abc123.tar.gz'))).equals(tarball)).toBe(true);
      expect((await readAll(await store.readNamed('envs', 'abc123.tar.gz', { start: 100, end: 199 }))).equals(tarball.subarray(100, 200))).toBe(true);
      await expect(store.readNamed('envs', 'abc123.tar.gz', { start: 70_000 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      await expect(store.readNamed('envs', 'other.tar.gz')).rejects.toBeInstanceOf(ArtifactNotFoundError);
      expect(await store.has(sha256Of(tarball))).toBe(false);
      expect(await harness.leftovers()).toEqual([]);
    });

    it('verifies an expected sha256 and keeps the old object on a mismatch', async () => {
      await store.putNamed('envs', 'k.tar.gz', chunked(tarball), sha256Of(tarball));
      const replacement = bytes(1000, 9);
      const error = await store.putNamed('envs', 'k.tar.gz', chunked(replacement), sha256Of('nope')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HashMismatchError);
      expect((error as Error).message).toContain('envs/k.tar.gz');
      expect((await readAll(await store.readNamed('envs', 'k.tar.gz'))).equals(tarball)).toBe(true);
      await store.putNamed('envs', 'k.tar.gz', chunked(replacement), sha256Of(replacement));
      expect(await store.statNamed('envs', 'k.tar.gz')).toBe(1000);
      expect(await harness.leftovers()).toEqual([]);
    });

    it('a broken source leaves no named object', async () => {
      await expect(store.putNamed('envs', 'broken.tar.gz', breaking(tarball.subarray(0, 10)))).rejects.toThrow('connection reset by peer');
      expect(await store.hasNamed('envs', 'broken.tar.gz')).toBe(false);
      expect(await harness.published()).toEqual([]);
      expect(await harness.leftovers()).toEqual([]);
    });

    it.each([['..', 'k'], ['envs', '../k'], ['envs', 'a/b'], ['', 'k'], ['envs', ''], ['envs', '.hidden'], ['a\\b', 'k']])(
      'refuses the name %j / %j',
      async (namespace, key) => {
        await expect(store.putNamed(namespace, key, chunked(tarball))).rejects.toBeInstanceOf(InvalidArtifactNameError);
        await expect(store.statNamed(namespace, key)).rejects.toBeInstanceOf(InvalidArtifactNameError);
        expect(await harness.published()).toEqual([]);
      },
    );
  });
}
