/**
 * What `venvfarm pull` runs: download (building first when asked with -r or --lock), then unpack
 * with envpack. {@link pullEnvironment} is the whole of it but the output, which `ci restore`
 * shares.
 */
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { TargetNotEmptyError, unpackEnv, UnpackResult } from '@venvfarm/envpack';
import { BuildClient, buildRequestBody, BuildRequestOptions, BuildView } from './build-client';
import { buildDisplay, BuildDisplay } from './build-display';
import type { PullCommandOptions } from './pull.command';

const KEY = /^[0-9a-f]{64}$/;

/** Where an environment comes from: a build key, or a request the server builds when it must. */
export type EnvSource = { key: string } | { request: BuildRequestOptions; wait: number };

/** How the environment came. */
export type PullRoute =
  /** Downloaded by its key. */
  | 'key'
  /** The server answered the request with the tarball: built already, or within the wait. */
  | 'answered'
  /** The server queued a build, which the CLI followed to its end before downloading. */
  | 'followed';

/** An environment pulled and unpacked. */
export interface PulledEnvironment {
  /** The build key (null when a tarball answer did not name it). */
  key: string | null;
  unpacked: UnpackResult;
  route: PullRoute;
  /** The build the CLI followed (route `followed`). */
  build: BuildView | null;
}

/** Refuses, before anything is downloaded, a target directory that exists and is not empty. */
async function ensureEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) throw new TargetNotEmptyError(dir);
}

/**
 * Gets the environment of `source` from `server` and unpacks it into `into` (absent or empty),
 * showing the build and the download on `display` (finished with the unpacked line, or stopped
 * on an error).
 */
export async function pullEnvironment(
  source: EnvSource,
  into: string,
  options: { server: string; interpreter?: string },
  display: BuildDisplay,
): Promise<PulledEnvironment> {
  const dir = resolve(into);
  const client = new BuildClient(options.server, display);
  try {
    await ensureEmpty(dir);
    // Unpacked as it arrives: no copy of the tarball on disk (for a large environment, writing
    // and flushing it cost about as much as the download); a broken or short download fails the
    // unpack, which then leaves nothing behind.
    let tarball: Readable;
    let key: string | null;
    let route: PullRoute;
    let build: BuildView | null = null;
    if ('key' in source) {
      key = source.key;
      route = 'key';
      tarball = await client.openTarball(`/v1/envs/${key}.tar.gz`, `${key}.tar.gz`);
    } else {
      const answer = await client.requestEnv(buildRequestBody(source.request), source.wait, 'the environment');
      if ('build' in answer) {
        build = await client.follow(answer.build);
        key = build.key;
        route = 'followed';
        tarball = await client.openTarball(build.download, `${build.key}.tar.gz`);
      } else {
        key = answer.key;
        route = 'answered';
        tarball = answer.tarball;
      }
    }
    const unpacked = await unpackEnv(tarball, dir, { python: options.interpreter });
    display.finish(`unpacked ${unpacked.entries} entries into ${unpacked.dir} (Python ${unpacked.interpreter.version} at ${unpacked.interpreter.path})`);
    return { key, unpacked, route, build };
  } catch (error) {
    display.stop();
    throw error;
  }
}

export async function pull(key: string | undefined, options: PullCommandOptions): Promise<void> {
  const sources = [key, options.requirement, options.lock].filter((given) => given !== undefined).length;
  if (sources !== 1) throw new Error('pull takes a build key, -r <requirements file> or --lock <file>: one of them');
  if (key !== undefined && !KEY.test(key)) throw new Error(`not a build key (64 lower-case hex digits): ${key}`);
  const source: EnvSource = key !== undefined ? { key } : { request: options, wait: options.wait };
  const pulled = await pullEnvironment(source, options.into, options, buildDisplay());
  process.stdout.write(`${pulled.key ?? '-'} ${pulled.unpacked.dir}\n`);
}
