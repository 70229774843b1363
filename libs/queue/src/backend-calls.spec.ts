import { BackendCalls, describeBackend, isConnectionFailure, QueueUnavailableError } from './backend-calls';

const redis = { kind: 'redis', url: 'redis://user:secret@127.0.0.1:6390/2', prefix: 'p' } as const;

describe('BackendCalls', () => {
  it('passes on what settles within the deadline, and errors that are not about the connection as they are', async () => {
    const calls = new BackendCalls(redis, 1000);
    await expect(calls.run('count jobs', async () => 42)).resolves.toBe(42);
    const bug = new TypeError('x is not a function');
    await expect(calls.run('count jobs', () => Promise.reject(bug))).rejects.toBe(bug);
    await expect(
      calls.run('count jobs', () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
  });

  it('rejects a call that does not settle in time with QueueUnavailableError naming REDIS_URL (without its password)', async () => {
    const calls = new BackendCalls(redis, 50);
    const started = Date.now();
    const error = await calls.run('add a mirror-sync job', () => new Promise<never>(() => undefined)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as Error).message).toBe('cannot add a mirror-sync job: the queue backend (Redis at REDIS_URL redis://user:***@127.0.0.1:6390/2) did not answer within 50 ms');
  });

  it('ignores a call that fails after its deadline (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const calls = new BackendCalls(redis, 20);
      let fail!: (error: Error) => void;
      const late = new Promise<never>((_, reject) => (fail = reject));
      await expect(calls.run('count jobs', () => late)).rejects.toBeInstanceOf(QueueUnavailableError);
      fail(new Error('Connection is closed.'));
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('turns connection failures into QueueUnavailableError, with the failure as its cause', async () => {
    const calls = new BackendCalls({ kind: 'postgres', url: 'postgres://vf:pw@db:5432/mirror', schema: 's' }, 1000);
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const error = await calls.run('read mirror-sync job 7', () => Promise.reject(refused)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as Error).message).toBe('cannot read mirror-sync job 7: the queue backend (PostgreSQL at postgres://vf:***@db:5432/mirror) is unreachable: connect ECONNREFUSED 10.0.0.1:5432');
    expect((error as Error).cause).toBe(refused);
  });

  it('after close, rejects every call without making it', async () => {
    const calls = new BackendCalls(redis, 1000);
    calls.close();
    let made = false;
    await expect(
      calls.run('count jobs', async () => {
        made = true;
      }),
    ).rejects.toThrow('cannot count jobs: this process has closed its queues (it is shutting down)');
    expect(made).toBe(false);
  });
});

describe('isConnectionFailure', () => {
  it.each([
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), true],
    [Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), true],
    [Object.assign(new Error('connection failure'), { code: '08006' }), true],
    [Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }), true],
    [new Error('Connection is closed.'), true],
    [new Error('Connection terminated unexpectedly'), true],
    [Object.assign(new Error('relation does not exist'), { code: '42P01' }), false],
    [new Error('Missing lock for job 1'), false],
    ['Connection is closed.', false],
  ])('%p → %p', (error, expected) => {
    expect(isConnectionFailure(error)).toBe(expected);
  });
});

describe('describeBackend', () => {
  it('names the variable of a Redis backend and keeps a URL without password as it is', () => {
    expect(describeBackend({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'p' })).toBe('Redis at REDIS_URL redis://127.0.0.1:6379');
  });
});
