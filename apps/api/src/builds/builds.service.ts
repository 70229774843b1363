/**
 * Builds as the API asks for them: a request is resolved (through the resolve cache), or a lock
 * taken as it is (locked-pins.ts), then planned (one hashed file per pin for the target) and keyed; a key whose tarball is stored is answered
 * at once, else one build of it is queued, which identical requests join, here or on any other
 * API process (the unfinished row of a key is unique, and the job id is the key).
 */
import { Injectable } from '@nestjs/common';
import { ArtifactStore } from '@venvfarm/artifacts';
import { BuildExecutor, buildKey, BuildRepository, BuildRow, BuildTargets, ENVS_NAMESPACE, planBuild, tarballName } from '@venvfarm/builds';
import { BuildProducer } from '@venvfarm/queue';
import { ResolveService } from '../resolve/resolve.service';
import type { BuildRequest } from './build-request';
import { LockedPins } from './locked-pins';

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
    const { row, created } = await this.builds.queue({ key, plan, requestedBy, builderDigest: target.builderDigest, executor: this.executor.kind });
    if (created) {
      try {
        await this.producer.enqueue({ key, buildId: row.id });
      } catch (error) {
        // A row nobody will build would hold the key: it fails, and the next request queues again.
        await this.builds.finished(row.id, { status: 'failed', timings: {}, error: `not queued: ${(error as Error).message}` });
        throw error;
      }
    }
    return { row, built: false };
  }

  find(id: number): Promise<BuildRow | null> {
    return this.builds.find(id);
  }
}
