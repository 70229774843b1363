import { FileArtifactStore, HashMismatchError } from '@venvfarm/artifacts';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { FileProxy, ProxiedFile } from './file-proxy';

const BYTES = Buffer.alloc(300_000, 7);
const SHA = createHash('sha256').update(BYTES).digest('hex');

/** An upstream that serves `bytes` in chunks, counting downloads. */
function upstream(bytes: Buffer) {
  const calls: string[] = [];
  const download = async (url: string) => {
    calls.push(url);
    return Readable.from((function* () {
      for (let i = 0; i < bytes.length; i += 16_384) yield bytes.subarray(i, i + 16_384);
    })());
  };
  return { calls, download };
}

describe('FileProxy', () => {
  let dir: string;
  let store: FileArtifactStore;
  const file: ProxiedFile = { sha256: SHA, filename: 'demo-1.0-py3-none-any.whl', url: 'http://127.0.0.1:1/files/demo-1.0-py3-none-any.whl', size: BYTES.length };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venvfarm-proxy-'));
    store = await FileArtifactStore.open(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a first download to its client while storing it, and shares it with concurrent requests', async () => {
    const { calls, download } = upstream(BYTES);
    const proxy = new FileProxy(store, download);
    const first = await proxy.open(file, { stream: true });
    const others = Promise.all([proxy.open(file, { stream: true }), proxy.open(file, { stream: false })]);
    expect(first.kind).toBe('streaming');
    if (first.kind !== 'streaming') return;
    expect((await buffer(first.stream)).equals(BYTES)).toBe(true);
    expect((await others).map((o) => o.kind)).toEqual(['stored', 'stored']);
    expect(calls).toHaveLength(1);
    expect(await store.has(SHA)).toBe(true);
    expect((await proxy.open(file, { stream: true })).kind).toBe('stored');
  });

  it('never stores, nor hands over whole, bytes that do not match the hash', async () => {
    const bad = Buffer.from(BYTES);
    bad[bad.length - 1] = 8;
    const mismatches: string[] = [];
    const proxy = new FileProxy(store, upstream(bad).download, { onMismatch: (f) => mismatches.push(f.filename) });
    const opened = await proxy.open(file, { stream: true });
    if (opened.kind !== 'streaming') throw new Error('expected a download');
    const received: Buffer[] = [];
    opened.stream.on('data', (chunk: Buffer) => received.push(chunk));
    await expect(new Promise((resolve, reject) => opened.stream.once('end', resolve).once('error', reject))).rejects.toBeInstanceOf(HashMismatchError);
    expect(Buffer.concat(received).length).toBeLessThan(bad.length);
    expect(await store.has(SHA)).toBe(false);
    expect(mismatches).toEqual([file.filename]);
    await expect(proxy.open(file, { stream: false })).rejects.toBeInstanceOf(HashMismatchError);
  });

  it('answers a file with no upstream URL from the store only', async () => {
    const proxy = new FileProxy(store, upstream(BYTES).download);
    await expect(proxy.open({ ...file, url: null }, { stream: true })).rejects.toThrow(/not in the artifact store/);
  });
});
