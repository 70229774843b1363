import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, promises as fs, readFileSync, rmSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { PathLeakError, UnsafeArchiveEntryError, UnsupportedFileTypeError } from './errors';
import { findPathLeaks } from './leaks';
import { packDeterministic, PACK_MTIME } from './pack';
import { extractSafely } from './unpack';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'envpack-pack-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A small tree with the shapes a venv has: nested dirs, an executable, a relative symlink, long and non-ASCII names. */
async function makeTree(root: string, modes: { file: number; exec: number } = { file: 0o644, exec: 0o755 }): Promise<void> {
  const deep = path.join(root, 'lib', 'python3.11', 'site-packages', 'a'.repeat(60), 'b'.repeat(60));
  await fs.mkdir(deep, { recursive: true });
  await fs.mkdir(path.join(root, 'bin'));
  await fs.mkdir(path.join(root, 'empty'));
  await fs.writeFile(path.join(deep, `${'c'.repeat(90)}.py`), 'x = 1\n');
  await fs.writeFile(path.join(root, 'lib', 'python3.11', 'site-packages', 'ünïcode.py'), 'y = 2\n');
  await fs.writeFile(path.join(root, 'lib', 'a-b.txt'), 'sorts between lib and lib/…\n');
  await fs.writeFile(path.join(root, 'pyvenv.cfg'), 'home = /usr/bin\n', { mode: modes.file });
  await fs.writeFile(path.join(root, 'bin', 'tool'), '#!/bin/sh\necho hi\n', { mode: modes.exec });
  await fs.writeFile(path.join(root, 'big.bin'), Buffer.alloc(17 << 20, 7)); // streamed, not buffered
  await fs.symlink('lib', path.join(root, 'lib64'));
  await fs.chmod(path.join(root, 'pyvenv.cfg'), modes.file);
  await fs.chmod(path.join(root, 'bin', 'tool'), modes.exec);
}

async function listTar(file: string): Promise<tar.Header[]> {
  const extract = tar.extract();
  const done = pipeline((await import('node:fs')).createReadStream(file), zlib.createGunzip(), extract);
  const headers: tar.Header[] = [];
  for await (const entry of extract) {
    headers.push(entry.header);
    entry.resume();
  }
  await done;
  return headers;
}

describe('packDeterministic', () => {
  it('gives byte-identical output for the same content, whatever the mtimes, owners and umask', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    await makeTree(a);
    await makeTree(b, { file: 0o600, exec: 0o700 });
    utimesSync(path.join(b, 'pyvenv.cfg'), new Date('2001-02-03'), new Date('2001-02-03'));
    utimesSync(path.join(b, 'bin'), 12345, 12345);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', '-h', '1234:5678', b]);

    const first = await packDeterministic(a, path.join(tmp, 'a1.tar.gz'));
    const again = await packDeterministic(a, path.join(tmp, 'a2.tar.gz'));
    const other = await packDeterministic(b, path.join(tmp, 'b.tar.gz'));
    expect(again).toEqual(first);
    expect(other).toEqual(first);
    expect(readFileSync(path.join(tmp, 'a1.tar.gz')).equals(readFileSync(path.join(tmp, 'b.tar.gz')))).toBe(true);
    expect(first.size).toBe(readFileSync(path.join(tmp, 'a1.tar.gz')).length);
  });

  it('writes sorted entries with fixed mtime, numeric root owner, normalized modes, symlinks kept', async () => {
    const root = path.join(tmp, 'tree');
    await makeTree(root, { file: 0o600, exec: 0o744 });
    await packDeterministic(root, path.join(tmp, 'out.tar.gz'));
    const headers = await listTar(path.join(tmp, 'out.tar.gz'));
    const names = headers.map((h) => h.name);
    expect(names).toEqual([...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(names).toContain('empty/');
    expect(names.indexOf('lib/')).toBeLessThan(names.indexOf('lib/a-b.txt'));
    for (const h of headers) {
      expect(h.mtime.getTime()).toBe(PACK_MTIME.getTime());
      expect([h.uid, h.gid, h.uname, h.gname]).toEqual([0, 0, '', '']);
    }
    const byName = new Map(headers.map((h) => [h.name, h]));
    expect(byName.get('bin/')?.mode).toBe(0o755);
    expect(byName.get('bin/tool')?.mode).toBe(0o755);
    expect(byName.get('pyvenv.cfg')?.mode).toBe(0o644);
    expect(byName.get('lib64')).toMatchObject({ type: 'symlink', linkname: 'lib' });
    expect(names.some((n) => n.endsWith(`${'c'.repeat(90)}.py`))).toBe(true);
    expect(names).toContain('lib/python3.11/site-packages/ünïcode.py');
  });

  it('writes a gzip header with no name, mtime 0 and the Unix OS byte', async () => {
    const root = path.join(tmp, 'tree');
    await fs.mkdir(root);
    await fs.writeFile(path.join(root, 'f'), 'x');
    await packDeterministic(root, path.join(tmp, 'o.tar.gz'));
    const head = readFileSync(path.join(tmp, 'o.tar.gz')).subarray(0, 10);
    // magic, deflate, no flags (no FNAME), mtime 0, XFL (set by zlib from the level), OS = Unix
    expect([...head.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(head[9]).toBe(3);
  });

  it('cuts the tar into gzip members of 4 MiB, each with the same fixed header, which read back as the one tar', async () => {
    const root = path.join(tmp, 'tree');
    await makeTree(root); // 17 MiB in one file: five members
    const file = path.join(tmp, 'o.tar.gz');
    await packDeterministic(root, file);
    const bytes = readFileSync(file);
    const members: Buffer[] = [];
    for (let at = 0; at < bytes.length; ) {
      expect([...bytes.subarray(at, at + 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
      expect(bytes[at + 9]).toBe(3);
      // The raw deflate data after the 10-byte header; what it consumed says where the 8-byte trailer is.
      const { buffer, engine } = zlib.inflateRawSync(bytes.subarray(at + 10), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      members.push(buffer);
      at += 10 + engine.bytesWritten + 8;
    }
    const tarBytes = zlib.gunzipSync(bytes);
    expect(members.length).toBe(Math.ceil(tarBytes.length / (4 << 20)));
    expect(members.slice(0, -1).every((m) => m.length === 4 << 20)).toBe(true);
    expect(Buffer.concat(members).equals(tarBytes)).toBe(true);
  });

  it('leaves no file behind when it fails, and refuses special files', async () => {
    const root = path.join(tmp, 'tree');
    await fs.mkdir(root);
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    await expect(packDeterministic(root, path.join(tmp, 'o.tar.gz'))).rejects.toBeInstanceOf(UnsupportedFileTypeError);
    expect(await fs.readdir(tmp)).toEqual(['tree']);
  });

  it('refuses to pack a tree that still names the build prefix, naming the files', async () => {
    const root = path.join(tmp, 'tree');
    await fs.mkdir(path.join(root, 'bin'), { recursive: true });
    await fs.writeFile(path.join(root, 'bin', 'tool'), '#!/build/venv/bin/python\n');
    await fs.writeFile(path.join(root, 'blob.so'), Buffer.concat([Buffer.alloc(3 << 20), Buffer.from('/build/venv/lib'), Buffer.alloc(10)]));
    await fs.writeFile(path.join(root, 'pyvenv.cfg'), 'command = python -m venv /build/venv\n');
    const err = await packDeterministic(root, path.join(tmp, 'o.tar.gz'), { buildPrefix: '/build/venv' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathLeakError);
    expect((err as PathLeakError).leaks).toEqual([
      { path: 'bin/tool', kind: 'content' },
      { path: 'blob.so', kind: 'content' },
    ]);
    expect((err as PathLeakError).message).toContain('bin/tool');
  });
});

describe('findPathLeaks', () => {
  it('finds a prefix split across read chunks of a large file, and in symlink targets', async () => {
    const big = Buffer.alloc((9 << 20) + 5);
    const at = (1 << 20) - 4; // across the first 1 MiB chunk boundary
    Buffer.from('/build/venv').copy(big, at);
    await fs.writeFile(path.join(tmp, 'big'), big);
    await fs.symlink('/build/venv/bin/python', path.join(tmp, 'link'));
    expect(await findPathLeaks(tmp, '/build/venv')).toEqual([
      { path: 'big', kind: 'content' },
      { path: 'link', kind: 'symlink' },
    ]);
  });
});

describe('extractSafely', () => {
  type Spec = tar.Header | (Partial<tar.Header> & { name: string; body?: string });

  async function makeTarball(entries: Spec[]): Promise<string> {
    const file = path.join(tmp, 'evil.tar.gz');
    const pack = tar.pack();
    const done = pipeline(pack, zlib.createGzip(), createWriteStream(file));
    for (const e of entries) {
      const { body, ...header } = e as Spec & { body?: string };
      await new Promise<void>((resolve, reject) => pack.entry(header, body ?? '', (err) => (err ? reject(err) : resolve())));
    }
    pack.finalize();
    await done;
    return file;
  }

  it.each<[string, Spec[], string]>([
    ['an absolute path', [{ name: '/etc/passwd', body: 'x' }], 'absolute path'],
    ['a .. path', [{ name: 'bin/../../escape', body: 'x' }], '".." in path'],
    ['an absolute symlink', [{ name: 'lib64', type: 'symlink', linkname: '/etc' }], 'absolute symlink target'],
    ['a symlink that climbs out', [{ name: 'bin/up', type: 'symlink', linkname: '../../etc' }], 'leaves the directory'],
    ['a hard link', [{ name: 'a', body: 'x' }, { name: 'b', type: 'link', linkname: 'a' }], 'hard links'],
    ['a device', [{ name: 'dev', type: 'character-device', devmajor: 1, devminor: 3 }], 'character-device'],
    ['a FIFO', [{ name: 'fifo', type: 'fifo' }], 'fifo'],
    ['a duplicate', [{ name: 'a', body: 'x' }, { name: 'a', body: 'y' }], 'duplicate'],
    [
      'a symlink escaping through another symlink',
      [
        { name: 'd/', type: 'directory' },
        { name: 'd/b', type: 'symlink', linkname: '..' },
        { name: 'x', type: 'symlink', linkname: 'd/b/../..' },
      ],
      'outside',
    ],
    ['a dangling symlink', [{ name: 'x', type: 'symlink', linkname: 'missing' }], 'does not resolve'],
  ])('refuses %s', async (_label, entries, reason) => {
    const file = await makeTarball(entries);
    const into = path.join(tmp, 'into');
    await fs.mkdir(into);
    const err = await extractSafely(file, into).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafeArchiveEntryError);
    expect((err as Error).message).toContain(reason);
  });

  it('gives files the modes of the archive whatever the umask', async () => {
    const root = path.join(tmp, 'tree');
    await makeTree(root);
    await packDeterministic(root, path.join(tmp, 'o.tar.gz'));
    const into = path.join(tmp, 'into');
    const previous = process.umask(0o077);
    try {
      await fs.mkdir(into);
      await extractSafely(path.join(tmp, 'o.tar.gz'), into);
    } finally {
      process.umask(previous);
    }
    expect((await fs.stat(path.join(into, 'bin', 'tool'))).mode & 0o777).toBe(0o755);
    expect((await fs.stat(path.join(into, 'pyvenv.cfg'))).mode & 0o777).toBe(0o644);
    expect((await fs.stat(path.join(into, 'big.bin'))).mode & 0o777).toBe(0o644);
  });

  it('extracts what a packed tree holds, symlinks included', async () => {
    const root = path.join(tmp, 'tree');
    await makeTree(root);
    await packDeterministic(root, path.join(tmp, 'o.tar.gz'));
    const into = path.join(tmp, 'into');
    await fs.mkdir(into);
    await extractSafely(path.join(tmp, 'o.tar.gz'), into);
    expect(await fs.readlink(path.join(into, 'lib64'))).toBe('lib');
    expect((await fs.stat(path.join(into, 'bin', 'tool'))).mode & 0o777).toBe(0o755);
    expect(await fs.readFile(path.join(into, 'lib64', 'a-b.txt'), 'utf8')).toContain('sorts between');
    expect((await fs.stat(path.join(into, 'big.bin'))).size).toBe(17 << 20);
  });

  it('extracts from a stream as it arrives, and a stream that breaks off fails the extraction', async () => {
    const root = path.join(tmp, 'tree');
    await makeTree(root);
    const file = path.join(tmp, 'o.tar.gz');
    await packDeterministic(root, file);
    const into = path.join(tmp, 'streamed');
    await fs.mkdir(into);
    await extractSafely(Readable.from(chunksOf(readFileSync(file), 1000)), into);
    expect((await fs.stat(path.join(into, 'big.bin'))).size).toBe(17 << 20);

    // Half of the bytes, then the connection fails.
    const bytes = readFileSync(file);
    async function* broken() {
      yield bytes.subarray(0, bytes.length >> 1);
      throw new Error('connection reset');
    }
    const cut = path.join(tmp, 'cut');
    await fs.mkdir(cut);
    await expect(extractSafely(Readable.from(broken()), cut)).rejects.toThrow('connection reset');
  });
});

/** `bytes` in pieces of `size` (a download's chunks). */
function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
