/** What `venvfarm pull` runs: download (building first when asked with -r), then unpack with envpack. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unpackEnv } from '@venvfarm/envpack';
import { BuildClient, buildRequestBody, Downloaded } from './build-client';
import { buildDisplay } from './build-display';
import type { PullCommandOptions } from './pull.command';

const KEY = /^[0-9a-f]{64}$/;

/** Refuses, before anything is downloaded, a target directory that exists and is not empty. */
async function ensureEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) throw new Error(`refusing to unpack into ${dir}: it exists and is not empty`);
}

export async function pull(key: string | undefined, options: PullCommandOptions): Promise<void> {
  const sources = [key, options.requirement, options.lock].filter((given) => given !== undefined).length;
  if (sources !== 1) throw new Error('pull takes a build key, -r <requirements file> or --lock <file>: one of them');
  if (key !== undefined && !KEY.test(key)) throw new Error(`not a build key (64 lower-case hex digits): ${key}`);
  const into = resolve(options.into);
  await ensureEmpty(into);
  const display = buildDisplay();
  const client = new BuildClient(options.server, display);
  const scratch = await mkdtemp(join(tmpdir(), 'venvfarm-pull-'));
  try {
    const tarball = join(scratch, 'env.tar.gz');
    let downloaded: Downloaded;
    if (key !== undefined) {
      downloaded = await client.downloadTarball(`/v1/envs/${key}.tar.gz`, tarball);
    } else {
      const answer = await client.requestEnv(buildRequestBody(options), options.wait, tarball);
      if ('build' in answer) {
        const done = await client.follow(answer.build);
        key = done.key;
        downloaded = await client.downloadTarball(done.download, tarball);
      } else {
        key = answer.key ?? undefined;
        downloaded = answer.downloaded;
      }
    }
    const unpacked = await unpackEnv(downloaded.path, into, { python: options.interpreter });
    display.finish(`unpacked ${unpacked.entries} entries into ${unpacked.dir} (Python ${unpacked.interpreter.version} at ${unpacked.interpreter.path})`);
    process.stdout.write(`${key ?? '-'} ${unpacked.dir}\n`);
  } catch (error) {
    display.stop();
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
