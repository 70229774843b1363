/**
 * The handler of queued `sync` jobs (`POST /v1/mirror/sync`): turns the stored request into a
 * {@link syncMirror} run that reports into the same job row, so `GET /v1/mirror/jobs/{id}`
 * shows the run's counters while it goes and its summary when it ends.
 */
import type { Pool } from 'pg';
import type { MirrorJob } from '../repositories/job.repository';
import { parseAllowList, ReleaseFilter } from '../sync/allow-list';
import { syncMirror } from '../sync/mirror-sync';
import { formatRetry } from '@venvfarm/upstream';
import { UpstreamClient } from '@venvfarm/upstream';
import type { JobHandler } from './job-runner';

/** The params of a queued sync job, as the API validated them. */
export interface SyncJobParams {
  readonly upstream: string;
  readonly incremental?: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** Where a job handler runs: the pool, plus a log line for each retried or skipped request. */
export interface SyncJobContext {
  readonly pool: Pool;
  readonly log?: (line: string) => void;
}

const list = (lines: readonly string[] | undefined) => (lines === undefined ? null : parseAllowList(lines.join('\n')));

/** Builds the handler a {@link JobRunner} of kind 'sync' calls. */
export function syncJobHandler(context: SyncJobContext): JobHandler {
  return async (job: MirrorJob) => {
    const params = job.params as unknown as SyncJobParams;
    const log = context.log ?? (() => undefined);
    const upstream = new UpstreamClient(params.upstream, {
      onRetry: (retry) => log(`sync job ${job.id}: ${formatRetry(retry)}`),
    });
    const summary = await syncMirror(context.pool, {
      upstream,
      filter: new ReleaseFilter(list(params.include), list(params.exclude)),
      incremental: params.incremental ?? false,
      jobId: job.id,
      onFailure: (failure) => log(`sync job ${job.id}: skipped ${failure.what} of ${failure.project}: ${failure.message}`),
    });
    const { failures, missingNames, ...counters } = summary;
    return { ...counters, failures: failures.slice(0, 50), missingNames: missingNames.slice(0, 50) };
  };
}
