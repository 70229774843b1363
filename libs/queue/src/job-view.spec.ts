import { jobView, stateName } from './job-view';

describe('job views', () => {
  it.each([
    ['waiting', 'queued'],
    ['prioritized', 'queued'],
    ['waiting-children', 'queued'],
    ['active', 'running'],
    ['delayed', 'retrying'],
    ['completed', 'done'],
    ['failed', 'failed'],
    ['unknown', null],
  ])('BullMQ state %s is %s', (backend, name) => {
    expect(stateName(backend)).toBe(name);
  });

  it('shows timestamps as ISO strings, the error only while retrying or failed, and {} for a progress that is no object', () => {
    const stored = { id: '7', data: { upstream: 'u', incremental: true }, progress: 0, failedReason: 'boom', attemptsStarted: 2, timestamp: 0, processedOn: 1000, finishedOn: 2000 };
    expect(jobView('mirror-sync', stored, 'retrying')).toEqual({
      id: '7',
      queue: 'mirror-sync',
      state: 'retrying',
      progress: {},
      error: 'boom',
      attempts: 2,
      created_at: '1970-01-01T00:00:00.000Z',
      started_at: '1970-01-01T00:00:01.000Z',
      finished_at: null,
      params: { upstream: 'u', incremental: true },
    });
    expect(jobView('mirror-sync', { ...stored, progress: { done: 3 } }, 'done')).toMatchObject({ error: null, progress: { done: 3 }, finished_at: '1970-01-01T00:00:02.000Z' });
    expect(jobView('mirror-sync', { ...stored, processedOn: undefined }, 'queued')).toMatchObject({ started_at: null, error: null });
  });
});
