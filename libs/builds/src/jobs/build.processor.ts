/**
 * The processor of the `builds` queue: runs one build (run-build.ts) for a queued row of
 * `builds` and records how it went. The job id is the build key, so identical requests are one
 * job. A worker that dies mid-build leaves a stalled job that another worker takes up again,
 * from the start, in a fresh directory; the store only ever shows a complete tarball, and a
 * build whose tarball is stored already is not run again (never completed twice). A build that
 * fails on its own (pip's error, a limit, a hash mismatch, a pin it cannot build, an sdist whose
 * build requirements cannot be read or resolved) fails for good, with the reason recorded; only
 * lost workers and upstream trouble are retried.
 */
import { Injectable, Logger } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { ArtifactError, ArtifactStore, StageFetchError } from '@venvfarm/artifacts';
import { JobProcessor, JobProgress, QUEUE_DEFINITIONS, QueueName, QueueProcessor, RunningJob, UnretryableJobError } from '@venvfarm/queue';
import { UpstreamClient } from '@venvfarm/upstream';
import { BuildRepository } from '../build.repository';
import { BuildTargets } from '../build-targets';
import { BuildExecutor, BuildLimitError, InstallFailedError } from '../executors/build-executor';
import { ENVS_NAMESPACE, runBuild, tarballName } from '../run-build';
import { BuildRequirementResolver, BuildRequirementsError } from '../sdists/build-requirement-resolver';
import { UnreadableSdistError } from '../sdists/build-requirements';
import { WheelMissingError } from '../sdists/sdist-wheels';
import { BuildLog } from './build-log';

/** Failures that a new attempt cannot change. */
const FINAL = (error: unknown) =>
  error instanceof BuildLimitError ||
  error instanceof InstallFailedError ||
  error instanceof BuildRequirementsError ||
  error instanceof UnreadableSdistError ||
  error instanceof WheelMissingError ||
  (error instanceof ArtifactError && !(error instanceof StageFetchError));

@QueueProcessor(QueueName.Builds)
@Injectable()
export class BuildProcessor implements JobProcessor<typeof QueueName.Builds> {
  readonly concurrency: number;
  private readonly logger = new Logger('builds');

  constructor(
    private readonly builds: BuildRepository,
    private readonly store: ArtifactStore,
    private readonly executor: BuildExecutor,
    private readonly targets: BuildTargets,
    private readonly upstream: UpstreamClient,
    private readonly config: VenvfarmConfig,
    private readonly buildRequirements: BuildRequirementResolver,
  ) {
    this.concurrency = config.buildConcurrency;
  }

  async process(job: RunningJob<typeof QueueName.Builds>): Promise<JobProgress> {
    const { buildId, key } = job.payload;
    const row = await this.builds.get(buildId);
    const stored = await this.store.statNamed(ENVS_NAMESPACE, tarballName(key));
    if (stored !== null) {
      // Built already (by an attempt that died after storing, or another row of the key).
      if (row.status !== 'done') await this.builds.finished(buildId, { status: 'done', timings: row.timings, sizeBytes: stored });
      return { status: 'done', size: stored };
    }
    const target = await this.targets.byDigest(row.builderDigest);
    if (target === undefined) return this.fail(buildId, `the builder ${row.builderDigest} this build was keyed with is gone; request the build again`);
    await this.builds.started(buildId);
    const log = new BuildLog(this.builds, buildId);
    log.line(`build ${buildId} (key ${key}) attempt ${job.attempt}: ${row.pins.length} pins for Python ${row.python} on ${row.platform}, ${this.executor.kind} executor`);
    try {
      const built = await runBuild({
        key,
        plan: { python: row.python, platform: row.platform, pins: row.pins },
        target,
        executor: this.executor,
        store: this.store,
        fetch: (file, signal) => this.upstream.downloadFile(file.url, { signal }),
        buildRequirements: this.buildRequirements,
        limits: { memoryBytes: this.config.buildMemoryMb * 2 ** 20, cpus: 2, pids: 1024, timeoutMs: this.config.buildTimeoutMs },
        workRoot: this.config.buildDir,
        onLog: (line) => log.line(line),
        onPhase: (phase) => job.reportProgress({ phase }),
        signal: job.signal,
      });
      log.line(`done: ${built.size} bytes, sha256 ${built.sha256}; ms per phase ${JSON.stringify(built.timings)}`);
      await log.flush();
      await this.builds.finished(buildId, { status: 'done', timings: built.timings, sizeBytes: built.size, tarballSha256: built.sha256 });
      return { status: 'done', size: built.size, timings: built.timings };
    } catch (error) {
      log.line(`failed: ${(error as Error).message}`);
      await log.flush();
      if (job.signal.aborted) throw error;
      if (FINAL(error) || job.attempt >= QUEUE_DEFINITIONS.builds.retry.attempts) return this.fail(buildId, (error as Error).message);
      this.logger.warn(`build ${buildId} attempt ${job.attempt} failed: ${(error as Error).message}`);
      throw error;
    }
  }

  private async fail(buildId: number, reason: string): Promise<never> {
    await this.builds.finished(buildId, { status: 'failed', timings: {}, error: reason });
    throw new UnretryableJobError(reason);
  }
}
