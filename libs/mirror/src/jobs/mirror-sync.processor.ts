/**
 * The processor of the `mirror-sync` queue (`POST /v1/mirror/sync`): runs {@link syncMirror}
 * with the request's lists, reports its counters as the job's progress, and ends with its
 * summary. A sync is idempotent (batches commit with the serials they reflect), so a job run
 * again after a lost worker or a shutdown finishes the work rather than doing it twice; the
 * job's abort signal reaches the upstream client, so a shutdown stops it within moments.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { JobProcessor, JobProgress, QueueName, QueueProcessor, RunningJob } from '@venvfarm/queue';
import { formatRetry, UpstreamClient, UpstreamObserver } from '@venvfarm/upstream';
import { parseAllowList, ReleaseFilter } from '../sync/allow-list';
import { syncMirror } from '../sync/mirror-sync';
import type { SyncFailure } from '../sync/project-fetcher';

/** How many skipped pages or files a job shows (the log has them all). */
const SHOWN_FAILURES = 50;

const list = (lines: readonly string[] | undefined) => (lines === undefined ? null : parseAllowList(lines.join('\n')));

/** Runs queued mirror syncs. */
@QueueProcessor(QueueName.MirrorSync)
@Injectable()
export class MirrorSyncProcessor implements JobProcessor<typeof QueueName.MirrorSync> {
  private readonly logger = new Logger('mirror-sync');

  constructor(
    private readonly db: Database,
    @Optional() private readonly observer?: UpstreamObserver,
  ) {}

  async process(job: RunningJob<typeof QueueName.MirrorSync>): Promise<JobProgress> {
    const { payload } = job;
    const upstream = new UpstreamClient(payload.upstream, {
      signal: job.signal,
      observer: this.observer,
      onRetry: (retry) => this.logger.warn(`sync job ${job.id}: ${formatRetry(retry)}`),
    });
    const failures: SyncFailure[] = [];
    const summary = await syncMirror(this.db.pool, {
      upstream,
      filter: new ReleaseFilter(list(payload.include), list(payload.exclude)),
      incremental: payload.incremental,
      signal: job.signal,
      // A copy: the sync keeps counting into its object while the report waits to be written.
      onProgress: (progress) => job.reportProgress({ ...progress, failures: failures.slice(0, SHOWN_FAILURES) }),
      onFailure: (failure) => {
        failures.push(failure);
        this.logger.warn(`sync job ${job.id}: skipped ${failure.what} of ${failure.project}: ${failure.message}`);
      },
    });
    const { failures: all, missingNames, ...counters } = summary;
    return { ...counters, failures: all.slice(0, SHOWN_FAILURES), missingNames: missingNames.slice(0, SHOWN_FAILURES) };
  }
}
