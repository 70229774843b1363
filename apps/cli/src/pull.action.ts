/** What `venvfarm pull` runs: download (building first when asked with -r), then unpack with envpack. */
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { unpackEnv } from '@venvfarm/envpack';
import { BuildClient, buildRequestBody } from './build-client';
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
  try {
    // Unpacked as it arrives: no copy of the tarball on disk (for a large environment, writing
    // and flushing it cost about as much as the download); a broken or short download fails the
    // unpack, which then leaves nothing behind.
    let tarball: Readable;
    if (key !== undefined) {
      tarball = await client.openTarball(`/v1/envs/${key}.tar.gz`, `${key}.tar.gz`);
    } else {
      const answer = await client.requestEnv(buildRequestBody(options), options.wait, 'the environment');
      if ('build' in answer) {
        const done = await client.follow(answer.build);
        key = done.key;
        tarball = await client.openTarball(done.download, `${done.key}.tar.gz`);
      } else {
        key = answer.key ?? undefined;
        tarball = answer.tarball;
      }
    }
    const unpacked = await unpackEnv(tarball, into, { python: options.interpreter });
    display.finish(`unpacked ${unpacked.entries} entries into ${unpacked.dir} (Python ${unpacked.interpreter.version} at ${unpacked.interpreter.path})`);
    process.stdout.write(`${key ?? '-'} ${unpacked.dir}\n`);
  } catch (error) {
    display.stop();
    throw error;
  }
}
