/**
 * Which targets this deployment can build, and the one a request gets: a Python version with a
 * builder, on the builder's CPU architecture, for a manylinux platform whose glibc the builder
 * has (a wheel for manylinux_2_28 runs on glibc 2.36, not the other way round). A request no
 * builder can honour is refused with what is available, before anything is resolved or queued.
 */
import type { BuildExecutor, ExecutorTarget } from './executors/build-executor';

/** A build that failed, asked for by a client that waited for it. */
export class BuildFailedError extends Error {
  constructor(
    readonly buildId: number,
    readonly reason: string | null,
  ) {
    super(`build ${buildId} failed: ${reason ?? 'no reason recorded'}`);
    this.name = 'BuildFailedError';
  }
}

/** No builder for the requested target; `available` lists what there is. */
export class NoBuilderError extends Error {
  constructor(
    readonly python: string,
    readonly platform: string,
    readonly available: readonly string[],
  ) {
    super(`no builder for Python ${python} on ${platform}; available: ${available.length === 0 ? 'none (no builder image or interpreter found)' : available.join(', ')}`);
    this.name = 'NoBuilderError';
  }
}

const MANYLINUX = /^(x86_64|aarch64)-manylinux_(\d+)_(\d+)$/;

const glibcAtLeast = (have: string, need: [number, number]) => {
  const [major, minor] = have.split('.').map(Number);
  return major > need[0] || (major === need[0] && minor >= need[1]);
};

/** How long the list of targets is trusted (an image made meanwhile shows up after this). */
const TARGETS_TTL_MS = 10_000;

export class BuildTargets {
  private cached: { at: number; targets: Promise<readonly ExecutorTarget[]> } | null = null;

  constructor(private readonly executor: BuildExecutor) {}

  async all(): Promise<readonly ExecutorTarget[]> {
    if (this.cached === null || Date.now() - this.cached.at > TARGETS_TTL_MS) this.cached = { at: Date.now(), targets: this.executor.targets() };
    return this.cached.targets;
  }

  /** The builder for a request. @throws NoBuilderError */
  async choose(python: string, platform: string): Promise<ExecutorTarget> {
    const targets = await this.all();
    const m = MANYLINUX.exec(platform);
    const found = m === null ? undefined : targets.find((t) => t.python === python && t.arch === m[1] && glibcAtLeast(t.glibc, [Number(m[2]), Number(m[3])]));
    if (found === undefined) throw new NoBuilderError(python, platform, targets.map((t) => `Python ${t.python} on ${t.arch}-manylinux_${t.glibc.replace('.', '_')} and older manylinux`));
    return found;
  }

  /** The target a build was keyed with, if a builder still has it. */
  async byDigest(digest: string): Promise<ExecutorTarget | undefined> {
    return (await this.all()).find((t) => t.builderDigest === digest);
  }
}
