import type { JobView } from '@venvfarm/queue';
import { describeJob } from './mirror-jobs.command';

const job = (over: Partial<JobView>): JobView => ({
  id: '42',
  queue: 'mirror-sync',
  state: 'queued',
  progress: {},
  error: null,
  attempts: 0,
  created_at: '2026-01-01T00:00:00.000Z',
  started_at: null,
  finished_at: null,
  params: { upstream: 'https://pypi.org/simple/', incremental: false },
  ...over,
});

describe('venvfarm mirror jobs', () => {
  it.each([
    [job({}), 'job 42 queued (waiting for a worker)'],
    [job({ attempts: 1 }), 'job 42 queued (attempt 1 interrupted; waiting for a worker)'],
    [job({ state: 'running', attempts: 1, progress: { phase: 'fetching', planned: 20, done: 7, files: 300, failed: 1, retries: 4 } }), 'job 42 running (attempt 1): fetching, 7/20 projects, 300 files, 1 failed, 4 retries'],
    [job({ state: 'running', attempts: 2 }), 'job 42 running (attempt 2)'],
    [job({ state: 'retrying', attempts: 1, error: 'upstream answered 503' }), 'job 42 retrying (attempt 1 failed: upstream answered 503)'],
    [job({ state: 'done', attempts: 1, progress: { phase: 'done', planned: 20, done: 20, files: 900, serialAfter: 3700000 } }), 'job 42 done: 20/20 projects, 900 files, serial 3700000'],
    [job({ state: 'failed', attempts: 3, error: 'no route to host' }), 'job 42 failed after 3 attempts: no route to host'],
  ])('describes %j', (view, line) => {
    expect(describeJob(view)).toBe(line);
  });
});
