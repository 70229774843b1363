import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidStoreSpecError } from './artifact-errors';
import { artifactStoreContract, bytes, chunked, sha256Of } from './artifact-store.contract';
import { openArtifactStore, parseStoreSpec } from './open-artifact-store';
import { S3ArtifactStore, s3ClientFromEnv } from './s3-artifact-store';
import { S3TestServer, startS3TestServer } from './testing';

/** Every key under `prefix`. */
async function keys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (answer.Contents ?? []).map((object) => object.Key!).sort();
}

describe('S3ArtifactStore (s3rver on loopback)', () => {
  let server: S3TestServer;
  let admin: S3Client;
  let run = 0;
  beforeAll(async () => {
    server = await startS3TestServer();
    admin = s3ClientFromEnv(server.env);
  });
  afterAll(async () => {
    admin.destroy();
    await server.stop();
  });

  artifactStoreContract(async () => {
    const prefix = `contract/${++run}`;
    const spoolDir = await mkdtemp(join(tmpdir(), 'venvfarm-s3-spool-'));
    const store = await openArtifactStore(`s3://${server.bucket}/${prefix}`, { env: server.env, spoolDir });
    return {
      store,
      published: () => keys(admin, server.bucket, `${prefix}/`),
      leftovers: () => readdir(spoolDir),
      dispose: async () => {
        await store.close();
        await rm(spoolDir, { recursive: true, force: true });
      },
    };
  });

  it('keeps blobs at <prefix>/blobs/sha256/ab/cdef… and named objects at <prefix>/named/<ns>/<key>', async () => {
    const store = await openArtifactStore(`s3://${server.bucket}/layout/`, { env: server.env });
    expect(store).toBeInstanceOf(S3ArtifactStore);
    expect(store.location).toBe(`s3://${server.bucket}/layout/`);
    expect(store.localPath(sha256Of('x'))).toBeNull();
    const data = bytes(500);
    const digest = sha256Of(data);
    await store.put(chunked(data), digest);
    await store.putNamed('envs', 'key.tar.gz', chunked(data));
    expect(await keys(admin, server.bucket, 'layout/')).toEqual([`layout/blobs/sha256/${digest.slice(0, 2)}/${digest.slice(2)}`, 'layout/named/envs/key.tar.gz']);
    await store.close();
  });

  it('works at the root of a bucket', async () => {
    const store = await openArtifactStore(`s3://${server.bucket}`, { env: server.env });
    const data = bytes(10, 77);
    await store.put(chunked(data), null);
    expect(await keys(admin, server.bucket, 'blobs/')).toContain(`blobs/sha256/${sha256Of(data).slice(0, 2)}/${sha256Of(data).slice(2)}`);
    await store.close();
  });
});

describe('parseStoreSpec', () => {
  it.each([
    ['s3://bucket/some/prefix/', { kind: 's3', bucket: 'bucket', prefix: 'some/prefix' }],
    ['s3://my.bucket-1', { kind: 's3', bucket: 'my.bucket-1', prefix: '' }],
    ['file:///var/lib/venvfarm/store', { kind: 'file', root: '/var/lib/venvfarm/store' }],
    ['file:///tmp/with%20space', { kind: 'file', root: '/tmp/with space' }],
    ['/srv/store', { kind: 'file', root: '/srv/store' }],
  ])('%s', (spec, location) => {
    expect(parseStoreSpec(spec)).toEqual(location);
  });

  it.each(['', 'http://example.com/store', 's3://', 's3://B/x', 's3://ab', 'file://remote-host/path'])('refuses %j', (spec) => {
    expect(() => parseStoreSpec(spec)).toThrow(InvalidStoreSpecError);
  });
});
