import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { artifactStoreContract, bytes, chunked, sha256Of } from './artifact-store.contract';
import { FileArtifactStore } from './file-artifact-store';
import { openArtifactStore } from './open-artifact-store';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out.sort();
}

describe('FileArtifactStore', () => {
  artifactStoreContract(async () => {
    const root = await mkdtemp(join(tmpdir(), 'venvfarm-artifacts-'));
    const store = await FileArtifactStore.open(root);
    return {
      store,
      published: async () => [...(await walk(join(root, 'blobs'))), ...(await walk(join(root, 'named')))].map((p) => relative(root, p)),
      leftovers: async () => walk(join(root, 'tmp')),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  });

  describe('on disk', () => {
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'venvfarm-artifacts-'));
    });
    afterEach(() => rm(root, { recursive: true, force: true }));

    it('lays blobs out as blobs/sha256/ab/cdef…, read-only', async () => {
      const store = await FileArtifactStore.open(root);
      const data = bytes(1234);
      const digest = sha256Of(data);
      await store.put(chunked(data), digest);
      const path = join(root, 'blobs', 'sha256', digest.slice(0, 2), digest.slice(2));
      expect(store.localPath(digest)).toBe(path);
      expect(store.location).toBe(pathToFileURL(root).toString());
      const info = await stat(path);
      expect(info.size).toBe(1234);
      expect(info.mode & 0o777).toBe(0o444);
    });

    it('removes temporary files older than an hour when opened, and keeps fresh ones', async () => {
      await mkdir(join(root, 'tmp'), { recursive: true });
      const stale = join(root, 'tmp', 'crashed.part');
      const fresh = join(root, 'tmp', 'writing.part');
      await writeFile(stale, 'half a wheel');
      await writeFile(fresh, 'a wheel being written');
      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
      await utimes(stale, twoHoursAgo, twoHoursAgo);
      await FileArtifactStore.open(root);
      expect(await readdir(join(root, 'tmp'))).toEqual(['writing.part']);
    });

    it('is what openArtifactStore opens for file:// URLs and plain paths', async () => {
      const byUrl = await openArtifactStore(pathToFileURL(join(root, 'a b')).toString());
      expect(byUrl).toBeInstanceOf(FileArtifactStore);
      expect((byUrl as FileArtifactStore).root).toBe(join(root, 'a b'));
      const byPath = await openArtifactStore(join(root, 'plain'));
      expect((byPath as FileArtifactStore).root).toBe(join(root, 'plain'));
      expect((await stat(join(root, 'plain', 'tmp'))).isDirectory()).toBe(true);
    });
  });
});
