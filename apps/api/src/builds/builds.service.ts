/**
 * Builds as the API asks for them: a request is resolved (through the resolve cache), or a lock
 * taken as it is (locked-pins.ts), then planned (one hashed file per pin for the target) and
 * keyed; a key whose tarball is stored is answered at once, else one build of it is queued, which
 * identical requests join, here or on any other API process (the unfinished row of a key is
 * unique, and its job is de-duplicated by the key).
 *
 * A build is read through its job as long as it is unfinished: a job can fail for good without
 * its processor recording it (its workers were lost more often than the stall limit allows: the
 * queue's stalled-job check fails it, in whichever process runs the check), or vanish, and such a
 * row would otherwise say `building` forever and hold its key against every later request.
 * A row that names no job (from before rows named them, or whose server stopped between the
 * insert and the enqueue) is not judged; the next request for its key gives it its job.
 */
import { Injectable } from '@nestjs/common';
import { ArtifactStore } from '@venvfarm/artifacts';
import { BuildExecutor, buildKey, BuildRepository, BuildRow, type BuildStatus, BuildTargets, ENVS_NAMESPACE, planBuild, tarballName } from '@venvfarm/builds';
import { BuildProducer } from '@venvfarm/queue';
import { ResolveService } from '../resolve/resolve.service';
import type { BuildRequest } from './build-request';
import { LockedPins } from './locked-pins';

/** BullMQ's reason for a job failed by the stalled-job check. */
const STALL_LIMIT = /stalled more than allowable limit/;

/** A request's build: done already (`built`), or queued or joined. */
export interface RequestedBuild {
  readonly row: BuildRow;
  readonly built: boolean;
}

@Injectable()
export class BuildsService {
  constructor(
    private readonly resolver: ResolveService,
    private readonly targets: BuildTargets,
    private readonly builds: BuildRepository,
    private readonly store: ArtifactStore,
    private readonly executor: BuildExecutor,
    private readonly producer: BuildProducer,
    private readonly locked: LockedPins,
  ) {}

  /**
   * @throws NoBuilderError before anything is resolved when no builder has the target;
   *   UnbuildablePinError; what resolving throws; QueueUnavailableError
   */
  async request(request: BuildRequest, requestedBy: string): Promise<RequestedBuild> {
    const { python, platform } = request.lock ?? request.resolve!;
    const target = await this.targets.choose(python, platform);
    const plan =
      request.lock !== null
        ? planBuild(python, platform, await this.locked.of(request.lock.lock, request.lock.target))
        : await this.resolver.resolve(request.resolve!, { noCache: false }).then(({ answer }) => planBuild(answer.python, answer.platform, answer.pins));
    const key = buildKey(plan, { builderDigest: target.builderDigest });
    if ((await this.store.statNamed(ENVS_NAMESPACE, tarballName(key))) !== null) {
      const done = await this.builds.lastDone(key);
      if (done !== null) return { row: done, built: true };
    }
    const build = { key, plan, requestedBy, builderDigest: target.builderDigest, executor: this.executor.kind };
    let { row, created } = await this.builds.queue(build);
    // A lost build no longer holds its key once it is recorded as failed: this request queues anew.
    if (!created && (await this.current(row)).status === 'failed') ({ row, created } = await this.builds.queue(build));
    // A row that names no job (its server stopped between the two steps, or it predates job ids)
    // gets one: the queue's de-duplication by key returns the job already under way, if any.
    if (created || row.jobId === null) {
      try {
        const job = await this.producer.enqueue({ key, buildId: row.id });
        await this.builds.enqueued(row.id, job.id);
      } catch (error) {
        // A row nobody will build would hold the key: it fails, and the next request queues again
        // (a row this request only joined may have a job another request gave it: left as it is).
        if (created) await this.builds.finished(row.id, { status: 'failed', timings: {}, error: `not queued: ${(error as Error).message}` });
        throw error;
      }
    }
    return { row, built: false };
  }

  /** A build as it is now (see the module comment), or null when there is none. */
  async find(id: number): Promise<BuildRow | null> {
    const row = await this.builds.find(id);
    return row === null ? null : this.current(row);
  }

  /** The newest builds, with `status` if given. */
  async list(status: BuildStatus | undefined, limit: number): Promise<BuildRow[]> {
    return Promise.all((await this.builds.list(status, limit)).map((row) => this.current(row)));
  }

  /** `row`, or the row again once recorded as failed when its job failed for good or is gone. */
  private async current(row: BuildRow): Promise<BuildRow> {
    if (row.status !== 'queued' && row.status !== 'building') return row;
    const lost = await this.whyLost(row);
    if (lost === null) return row;
    await this.builds.failUnfinished(row.id, lost);
    return (await this.builds.find(row.id)) ?? row;
  }

  /** Why nobody will finish the unfinished `row`, or null when its job is queued, running or retrying. */
  private async whyLost(row: BuildRow): Promise<string | null> {
    // Not judged without a job: the next request for the key gives it one (request()).
    if (row.jobId === null) return null;
    const job = await this.producer.get(row.jobId);
    if (job === null) return `its job ${row.jobId} is gone from the queue`;
    if (job.state !== 'failed') return null;
    if (STALL_LIMIT.test(job.error ?? '')) return 'its workers were lost (killed or gone) more often than the queue allows (VENVFARM_QUEUE_MAX_STALLS); the build is not tried again';
    return `its job failed: ${job.error ?? 'no reason recorded'}`;
  }
}
