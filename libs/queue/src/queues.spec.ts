import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createTestDatabase } from '@venvfarm/db/testing';
import type { MirrorSyncPayload } from './job-payloads';
import { QueueUnavailableError } from './backend-calls';
import { JobProcessor, MissingProcessorError, RunningJob, UnretryableJobError } from './job-processor';
import type { JobView } from './job-view';
import { queueSettings, QueueSettings } from './queue-settings';
import { Queues } from './queues';
import { dropTestQueues, QUEUE_BACKENDS, QueueBackendKind, testQueueConfig } from './testing';

const payload = (upstream = 'http://127.0.0.1:1/simple/', include?: string[]): MirrorSyncPayload =>
  include === undefined ? { upstream, incremental: false } : { upstream, incremental: false, include };

/** Polls until `check` returns a value (the suite's timeout bounds the wait). */
async function until<T>(check: () => Promise<T | null | undefined | false>, everyMs = 50): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A processor driven by the test: each job waits for `release()` and can report progress. */
function gatedProcessor() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started: RunningJob<'mirror-sync'>[] = [];
  const processor: JobProcessor<'mirror-sync'> = {
    async process(job) {
      started.push(job);
      job.reportProgress({ projects: 1 });
      await gate;
      return { projects: 2, upstream: job.payload.upstream };
    },
  };
  return { processor, started, release: () => release() };
}

/** Waits until the job is aborted (the way a sync stops at its signal). */
const untilAborted = (job: RunningJob<'mirror-sync'>) =>
  new Promise<never>((_, reject) => {
    if (job.signal.aborted) reject(job.signal.reason);
    job.signal.addEventListener('abort', () => reject(job.signal.reason), { once: true });
  });

describe.each(QUEUE_BACKENDS)('queues on %s', (kind: QueueBackendKind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const opened: Queues[] = [];
  const configs: ReturnType<typeof testQueueConfig>[] = [];
  let config: ReturnType<typeof testQueueConfig>;
  const logs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  beforeEach(() => {
    config = testQueueConfig(kind);
    configs.push(config);
    logs.length = 0;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.close()));
    for (const c of configs.splice(0)) await dropTestQueues(c);
  });

  /** The queues of one "process" in the test's namespace. */
  function open(overrides: Partial<QueueSettings> = {}): Queues {
    const settings: QueueSettings = {
      ...queueSettings(config, database.url, (level, message) => logs.push(`${level}: ${message}`)),
      ...overrides,
    };
    const queues = new Queues(settings);
    opened.push(queues);
    return queues;
  }

  test('20 concurrent identical syncs are one job; another payload is another job; once finished, the same payload queues a new one', async () => {
    const producer = open().producer('mirror-sync');
    const views = await Promise.all(Array.from({ length: 20 }, () => producer.enqueue(payload())));
    const ids = new Set(views.map((v) => v.id));
    expect(ids.size).toBe(1);
    expect(views[0]).toMatchObject({ queue: 'mirror-sync', state: 'queued', params: payload(), attempts: 0, error: null, started_at: null, finished_at: null });
    // Allow-list order does not make another sync; another list does.
    const a = await producer.enqueue(payload(undefined, ['django', 'flask']));
    expect((await producer.enqueue(payload(undefined, ['flask', 'django']))).id).toBe(a.id);
    expect((await producer.enqueue(payload(undefined, ['flask']))).id).not.toBe(a.id);
    expect((await producer.counts()).queued).toBe(3);

    const worker = open();
    const gated = gatedProcessor();
    worker.workers.start({ 'mirror-sync': gated.processor }, ['mirror-sync']);
    await until(async () => (await producer.get(views[0].id))?.state === 'running');
    // While it runs, the same request is still that job.
    expect((await producer.enqueue(payload())).id).toBe(views[0].id);
    gated.release();
    await until(async () => (await producer.counts()).done === 3);
    await worker.workers.stop();
    const again = await producer.enqueue(payload());
    expect(again.id).not.toBe(views[0].id);
    expect(again.state).toBe('queued');
  });

  test('a job shows its progress while it runs and its summary when done; unknown ids are null', async () => {
    const queues = open();
    const producer = queues.producer('mirror-sync');
    const queued = await producer.enqueue(payload('http://127.0.0.1:2/simple/'));
    const gated = gatedProcessor();
    queues.workers.start({ 'mirror-sync': gated.processor }, ['mirror-sync']);
    const running = await until(async () => {
      const view = await producer.get(queued.id);
      return view?.state === 'running' && view.progress.projects === 1 ? view : null;
    });
    expect(running.started_at).not.toBeNull();
    expect(running.attempts).toBe(1);
    expect(gated.started[0]).toMatchObject({ id: queued.id, queue: 'mirror-sync', attempt: 1, payload: queued.params });
    expect((await producer.counts()).running).toBe(1);
    gated.release();
    const done = await until(async () => {
      const view = await producer.get(queued.id);
      return view?.state === 'done' ? view : null;
    });
    expect(done.progress).toEqual({ projects: 2, upstream: 'http://127.0.0.1:2/simple/' });
    expect(done.error).toBeNull();
    expect(Date.parse(done.finished_at!)).toBeGreaterThanOrEqual(Date.parse(done.started_at!));
    expect(Date.parse(done.started_at!)).toBeGreaterThanOrEqual(Date.parse(done.created_at));
    for (const id of ['999999', '0', 'abc', '1; DROP TABLE x', '', '1'.repeat(40)]) expect(await producer.get(id)).toBeNull();
  });

  test('a failing job is retried with exponential backoff, shown as retrying with its error, and then done', async () => {
    const queues = open({ retry: { attempts: 3, backoffMs: 300 } });
    const producer = queues.producer('mirror-sync');
    const job = await producer.enqueue(payload());
    const startedAt: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    queues.workers.start(
      {
        'mirror-sync': {
          async process(running) {
            startedAt.push(Date.now());
            if (running.attempt < 3) throw new Error('upstream answered 503');
            await gate;
            return { attempt: running.attempt };
          },
        },
      },
      ['mirror-sync'],
    );
    const retrying = await until(async () => {
      const view = await producer.get(job.id);
      return view?.state === 'retrying' ? view : null;
    });
    expect(retrying.error).toBe('upstream answered 503');
    expect(retrying.finished_at).toBeNull();
    // Waiting for a retry, it is still the same job for an identical request.
    expect((await producer.enqueue(payload())).id).toBe(job.id);
    release();
    const done = await until(async () => {
      const view = await producer.get(job.id);
      return view?.state === 'done' ? view : null;
    });
    expect(done).toMatchObject({ attempts: 3, error: null, progress: { attempt: 3 } });
    // The backoff is a lower bound (a busy machine only adds to it): 300 ms, then 600 ms.
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(300);
    expect(startedAt[2] - startedAt[1]).toBeGreaterThanOrEqual(600);
  });

  test('a job failing every attempt ends failed and frees its key; an unretryable error fails at once', async () => {
    const queues = open({ retry: { attempts: 2, backoffMs: 50 } });
    const producer = queues.producer('mirror-sync');
    const always = await producer.enqueue(payload('http://127.0.0.1:3/simple/'));
    const once = await producer.enqueue(payload('http://127.0.0.1:4/simple/'));
    queues.workers.start(
      {
        'mirror-sync': {
          async process(running) {
            if (running.payload.upstream.includes(':4/')) throw new UnretryableJobError('no such upstream');
            throw new Error(`attempt ${running.attempt} failed`);
          },
        },
      },
      ['mirror-sync'],
    );
    const failed = await until(async () => {
      const view = await producer.get(always.id);
      return view?.state === 'failed' ? view : null;
    });
    expect(failed).toMatchObject({ attempts: 2, error: 'attempt 2 failed' });
    expect(failed.finished_at).not.toBeNull();
    const unretryable = await until(async () => {
      const view = await producer.get(once.id);
      return view?.state === 'failed' ? view : null;
    });
    expect(unretryable).toMatchObject({ attempts: 1, error: 'no such upstream' });
    expect((await producer.enqueue(payload('http://127.0.0.1:3/simple/'))).id).not.toBe(always.id);
    expect(await producer.counts()).toMatchObject({ failed: 2 });
  });

  test('a queue expected without a processor is a start-up error, and no worker starts', async () => {
    const queues = open();
    expect(() => queues.workers.start({}, ['mirror-sync'])).toThrow(MissingProcessorError);
    expect(() => queues.workers.start({}, ['mirror-sync'])).toThrow('no processor registered for queue mirror-sync');
    const job = await queues.producer('mirror-sync').enqueue(payload());
    // Nothing takes the job: still queued after a full stalled-check round of another process.
    const watcher = open({ stalledIntervalMs: 100 });
    watcher.workers.watchStalled(['mirror-sync']);
    await new Promise((r) => setTimeout(r, 300));
    expect((await queues.producer('mirror-sync').get(job.id))?.state).toBe('queued');
  });

  test('shutdown aborts a running job and gives it back unfinished, without using an attempt; the next worker completes it', async () => {
    const first = open();
    const producer = first.producer('mirror-sync');
    const job = await producer.enqueue(payload());
    const seen: RunningJob<'mirror-sync'>[] = [];
    first.workers.start(
      {
        'mirror-sync': {
          async process(running) {
            seen.push(running);
            running.reportProgress({ projects: 5 });
            return untilAborted(running);
          },
        },
      },
      ['mirror-sync'],
    );
    await until(async () => (await producer.get(job.id))?.progress.projects === 5);
    await first.workers.stop();
    expect(seen[0].signal.aborted).toBe(true);
    const givenBack = await producer.get(job.id);
    expect(givenBack).toMatchObject({ state: 'queued', error: null, attempts: 1, progress: { projects: 5 } });
    expect(logs.some((l) => l.includes(`job ${job.id} given back to the queue at shutdown`))).toBe(true);

    const second = open();
    second.workers.start({ 'mirror-sync': { process: async (running) => ({ resumedFrom: running.attempt }) } }, ['mirror-sync']);
    const done = await until(async () => {
      const view = await producer.get(job.id);
      return view?.state === 'done' ? view : null;
    });
    expect(done).toMatchObject({ attempts: 2, progress: { resumedFrom: 2 } });
  });

  test('shutdown does not wait past its grace for a processor that ignores the abort', async () => {
    const queues = open({ shutdownGraceMs: 200 });
    const producer = queues.producer('mirror-sync');
    const job = await producer.enqueue(payload());
    const gated = gatedProcessor();
    queues.workers.start({ 'mirror-sync': gated.processor }, ['mirror-sync']);
    await until(async () => (await producer.get(job.id))?.state === 'running');
    await queues.workers.stop();
    expect(logs.some((l) => l.startsWith('warn: mirror-sync: a job did not stop within 200 ms'))).toBe(true);
    gated.release();
  });

  test('closed queues answer QueueUnavailableError and never reopen a connection', async () => {
    const queues = open();
    const producer = queues.producer('mirror-sync');
    await producer.enqueue(payload());
    await queues.close();
    await expect(producer.enqueue(payload())).rejects.toThrow(QueueUnavailableError);
    await expect(producer.get('1')).rejects.toThrow('cannot read mirror-sync job 1: this process has closed its queues (it is shutting down)');
    await expect(queues.counts()).rejects.toThrow(QueueUnavailableError);
    await expect(queues.ping()).rejects.toThrow(QueueUnavailableError);
    // A producer not asked for before the close is not made now (its connection would stay open).
    const fresh = new Queues(queues.settings);
    await fresh.close();
    expect(() => fresh.producer('mirror-sync')).toThrow(QueueUnavailableError);
  });

  test('a worker killed with SIGKILL mid-job: the job is given back after the lock expires, not shown running, and another worker completes it', async () => {
    const settings: QueueSettings = { ...queueSettings(config, database.url), lockDurationMs: 2000, stalledIntervalMs: 500 };
    const producer = open().producer('mirror-sync');
    const job = await producer.enqueue(payload());
    // `node --import tsx`, not the tsx launcher: the signal must reach the process that holds the job.
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'testing/crash-worker.ts'), JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise((r) => createInterface({ input: child.stdout! }).once('line', r));
    const progressed = await until(async () => {
      const view = await producer.get(job.id);
      return view?.state === 'running' && Number(view.progress.step) >= 3 ? view : null;
    });
    expect(progressed.progress.pid).toBe(child.pid);
    child.kill('SIGKILL');
    await exited;

    // Another process only watching for stalled jobs gives it back.
    const watcher = open({ lockDurationMs: 2000, stalledIntervalMs: 500 });
    watcher.workers.watchStalled(['mirror-sync']);
    const queued = await until(async () => {
      const view = await producer.get(job.id);
      return view?.state !== 'running' ? view : null;
    });
    expect(queued).toMatchObject({ state: 'queued', attempts: 1, error: null });
    expect(Number(queued.progress.step)).toBeGreaterThanOrEqual(3);

    const next = open({ lockDurationMs: 2000, stalledIntervalMs: 500 });
    next.workers.start({ 'mirror-sync': { process: async (running) => ({ finishedBy: process.pid, attempt: running.attempt }) } }, ['mirror-sync']);
    const done = await until(async () => {
      const view: JobView | null = await producer.get(job.id);
      return view?.state === 'done' ? view : null;
    });
    expect(done).toMatchObject({ attempts: 2, progress: { finishedBy: process.pid, attempt: 2 } });
  });
});
