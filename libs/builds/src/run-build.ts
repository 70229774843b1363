/**
 * One build, start to end, as a worker runs it: stage the pins' files from the artifact store
 * (downloading and verifying what it lacks), install them with an executor, make the venv
 * relocatable, pack it deterministically and store the tarball under the build key. The store
 * makes the tarball visible only once it is complete and its hash verified, so a worker killed
 * at any point leaves no partial tarball; running the build again (another worker) starts over
 * in a fresh directory, and a build whose tarball is already stored is not run again.
 */
import { createReadStream } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactFetcher, ArtifactStore, StageFile, stageFiles } from '@venvfarm/artifacts';
import { makeRelocatable, packDeterministic } from '@venvfarm/envpack';
import type { BuildPlan } from './build-plan';
import type { BuildTimings } from './build.entity';
import { BuildExecutor, BuildLimits, ExecutorTarget } from './executors/build-executor';
import { processAlive } from './process-alive';
import type { BuildRequirementResolver } from './sdists/build-requirement-resolver';
import { wheelsForSdists } from './sdists/sdist-wheels';

/** Where tarballs live in the store: `envs/<key>.tar.gz`. */
export const ENVS_NAMESPACE = 'envs';
export const tarballName = (key: string) => `${key}.tar.gz`;

/** The uid the builder images run as (docker/builder/). */
const BUILDER_UID = 1000;

export interface RunBuildOptions {
  readonly key: string;
  readonly plan: BuildPlan;
  readonly target: ExecutorTarget;
  readonly executor: BuildExecutor;
  readonly store: ArtifactStore;
  /** Streams a file the store lacks from the configured upstream. */
  readonly fetch: ArtifactFetcher;
  /** Resolves the build requirements of sdist pins (their wheels are built in the builder). */
  readonly buildRequirements?: BuildRequirementResolver;
  readonly limits: BuildLimits;
  /** A directory for build directories (one per build, removed at the end). */
  readonly workRoot: string;
  readonly onLog: (line: string) => void;
  readonly onPhase?: (phase: keyof BuildTimings) => void;
  readonly signal?: AbortSignal;
}

export interface BuiltEnv {
  readonly timings: BuildTimings;
  readonly size: number;
  readonly sha256: string;
  /** Files downloaded from the upstream for this build. */
  readonly downloadedFiles: number;
}

/** Runs the build; see the module comment. @throws what the phases throw (typed: hash mismatch, limits, pip's failure) */
export async function runBuild(options: RunBuildOptions): Promise<BuiltEnv> {
  const { key, plan, store } = options;
  const timings: Record<string, number> = {};
  const started = performance.now();
  let mark = started;
  const phase = (name: keyof BuildTimings) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  await mkdir(options.workRoot, { recursive: true, mode: 0o700 });
  // The pid in the name: a worker that dies leaves its directory, and the next one on this host removes it (reapWorkDirs).
  const workDir = await mkdtemp(join(options.workRoot, `${key.slice(0, 12)}-${process.pid}-`));
  try {
    const filesDir = join(workDir, 'files');
    await mkdir(filesDir);
    options.onPhase?.('stage');
    const files: StageFile[] = plan.pins.map((pin) => ({ filename: pin.filename, sha256: pin.sha256, url: pin.url }));
    const staged = await stageFiles(files, store, options.fetch, filesDir, { signal: options.signal });
    options.onLog(`staged ${plan.pins.length} files (${staged.downloadedFiles} downloaded)`);
    phase('stage');

    // The builder's user writes into the build directory (wheels, the venv): it is given the
    // directory (as root), or may write into it (else; the build root above it stays the worker's own).
    if (options.executor.kind === 'docker') {
      if (process.getuid?.() === 0) await chown(workDir, BUILDER_UID, BUILDER_UID);
      else await chmod(workDir, 0o777);
    }
    // What pip installs for each pin: its file, or for an sdist the wheel built from it.
    const installed = new Map(plan.pins.map((pin) => [pin, { filename: pin.filename, sha256: pin.sha256 }]));
    const sdists = plan.pins.filter((pin) => pin.kind === 'sdist');
    if (sdists.length > 0) {
      options.onPhase?.('wheels');
      const context = { key, plan, target: options.target, executor: options.executor, store, fetch: options.fetch, requirements: options.buildRequirements, limits: options.limits, workDir, filesDir, onLog: options.onLog, signal: options.signal };
      for (const [pin, wheel] of await wheelsForSdists(sdists, context)) installed.set(pin, wheel);
      phase('wheels');
    }
    await writeFile(join(filesDir, 'requirements.txt'), plan.pins.map((pin) => `${pin.name}==${pin.version} --hash=sha256:${installed.get(pin)!.sha256}\n`).join(''));

    options.onPhase?.('install');
    const result = await options.executor.run({ key, target: options.target, workDir, limits: options.limits, onLog: options.onLog, signal: options.signal });
    phase('install');

    options.onPhase?.('pack');
    await makeRelocatable(result.venvDir, {
      buildPrefix: result.buildPrefix,
      manifest: {
        key,
        target: { python: plan.python, platform: plan.platform },
        python: options.target.pythonVersion,
        builderDigest: options.target.builderDigest,
        pins: plan.pins.map((pin) => ({ name: pin.name, version: pin.version, filename: pin.filename, sha256: pin.sha256 })),
      },
    });
    const tarball = join(workDir, 'env.tar.gz');
    const packed = await packDeterministic(result.venvDir, tarball, { buildPrefix: result.buildPrefix });
    phase('pack');

    options.onPhase?.('store');
    await store.putNamed(ENVS_NAMESPACE, tarballName(key), createReadStream(tarball), packed.sha256);
    phase('store');
    timings.total = Math.round(performance.now() - started);
    return { timings, size: packed.size, sha256: packed.sha256, downloadedFiles: staged.downloadedFiles };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Removes the build directories in `workRoot` of processes that no longer run; answers how many. */
export async function reapWorkDirs(workRoot: string): Promise<number> {
  const names = await readdir(workRoot).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^[0-9a-f]{12}-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    await rm(join(workRoot, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
