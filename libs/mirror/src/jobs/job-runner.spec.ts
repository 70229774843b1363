import { JobRepository } from '../repositories/job.repository';
import { createTestDatabase } from '@venvfarm/db/testing';
import { JobRunner } from './job-runner';

describe('JobRunner on a real database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());

  it('runs queued jobs in order, records progress and outcomes, and survives a failing handler', async () => {
    const jobs = new JobRepository(db.pool);
    const a = await jobs.enqueue('sync', { n: 1 });
    const b = await jobs.enqueue('sync', { n: 2 });
    const seen: number[] = [];
    const runner = new JobRunner(jobs, 'sync', async (job, report) => {
      seen.push(job.params.n as number);
      await report({ step: 'half' });
      if (job.params.n === 2) throw new Error('upstream answered 503 five times');
      return { projects: 3 };
    });
    expect(await runner.drain()).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(await jobs.get(a.id)).toMatchObject({ state: 'done', progress: { projects: 3 }, error: null });
    expect(await jobs.get(b.id)).toMatchObject({ state: 'failed', progress: { step: 'half' }, error: 'upstream answered 503 five times' });
  });

  it('lets two runners share the queue without running a job twice', async () => {
    const jobs = new JobRepository(db.pool);
    for (let n = 0; n < 6; n++) await jobs.enqueue('export', { n });
    const ran: number[] = [];
    const handler = async (job: { params: Record<string, unknown> }) => {
      ran.push(job.params.n as number);
      await new Promise((r) => setTimeout(r, 5));
    };
    const [x, y] = await Promise.all([new JobRunner(jobs, 'export', handler).drain(), new JobRunner(jobs, 'export', handler).drain()]);
    expect(x + y).toBe(6);
    expect([...ran].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
