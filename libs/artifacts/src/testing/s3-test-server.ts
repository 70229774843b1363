/**
 * An S3-compatible server (s3rver) on 127.0.0.1 for tests: a random port, its data in a fresh
 * temporary folder, one bucket made. `env` is what `openArtifactStore('s3://…', { env })` needs
 * to reach it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly bucket: string;
  /** AWS variables plus `VENVFARM_S3_ENDPOINT`, for this server. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts s3rver with `bucket` made. */
export async function startS3TestServer(bucket = 'venvfarm-test'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'venvfarm-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    // s3rver accepts its own well-known key pair.
    env: { VENVFARM_S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
