import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database, lazy upstream fetches and in-process jobs', () => {
    const config = loadConfig({}, { dataDir: '/tmp/x' });
    expect(config).toEqual({
      databaseUrl: null,
      redisUrl: null,
      upstream: expect.stringMatching(/^https:\/\/.+\/simple\/$/),
      offline: false,
      runJobs: true,
      resolveTimeoutMs: 30000,
      dataDir: '/tmp/x',
      logLevel: 'info',
      adminToken: null,
      readToken: null,
      queueNamespace: 'venvfarm_queue',
      queueLockMs: 30000,
      queueStalledIntervalMs: 30000,
      queueMaxStalls: 2,
      queueTimeoutMs: 5000,
      store: '/tmp/x/store',
      uploadMaxBytes: 100 * 1024 * 1024,
      executor: 'auto',
      buildConcurrency: 2,
      buildMemoryMb: 2048,
      buildTimeoutMs: 900000,
      buildDir: '/tmp/x/builds',
    });
  });

  it('reads the build settings and names a bad one', () => {
    expect(
      loadConfig({ VENVFARM_STORE: 's3://bucket/envs', VENVFARM_EXECUTOR: 'local', VENVFARM_BUILD_CONCURRENCY: '4', VENVFARM_BUILD_MEMORY_MB: '512', VENVFARM_BUILD_TIMEOUT_MS: '60000', VENVFARM_BUILD_DIR: '/var/tmp/b' }),
    ).toMatchObject({ store: 's3://bucket/envs', executor: 'local', buildConcurrency: 4, buildMemoryMb: 512, buildTimeoutMs: 60000, buildDir: '/var/tmp/b' });
    expect(() => loadConfig({ VENVFARM_EXECUTOR: 'kubernetes' })).toThrow(new ConfigError('VENVFARM_EXECUTOR must be auto, docker or local: kubernetes'));
    expect(() => loadConfig({ VENVFARM_BUILD_CONCURRENCY: '0' })).toThrow(new ConfigError('VENVFARM_BUILD_CONCURRENCY must be a positive whole number: 0'));
  });

  it('reads the queue settings and refuses a namespace that is no PostgreSQL schema name', () => {
    expect(loadConfig({ VENVFARM_QUEUE_NAMESPACE: 'vf_q1', VENVFARM_QUEUE_LOCK_MS: '2000', VENVFARM_QUEUE_STALLED_INTERVAL_MS: '500', VENVFARM_QUEUE_MAX_STALLS: '0', VENVFARM_QUEUE_TIMEOUT_MS: '750' })).toMatchObject({
      queueNamespace: 'vf_q1',
      queueLockMs: 2000,
      queueStalledIntervalMs: 500,
      queueMaxStalls: 0,
      queueTimeoutMs: 750,
    });
    expect(() => loadConfig({ VENVFARM_QUEUE_NAMESPACE: 'a-b' })).toThrow(ConfigError);
    expect(() => loadConfig({ VENVFARM_QUEUE_LOCK_MS: '0' })).toThrow('VENVFARM_QUEUE_LOCK_MS must be a positive number of milliseconds: 0');
    expect(() => loadConfig({ VENVFARM_QUEUE_MAX_STALLS: '-1' })).toThrow('VENVFARM_QUEUE_MAX_STALLS must be a whole number (0 or more): -1');
  });

  it('reads flags in their usual spellings and names a bad one', () => {
    expect(loadConfig({ VENVFARM_OFFLINE: 'TRUE', VENVFARM_JOBS: 'off' })).toMatchObject({ offline: true, runJobs: false });
    expect(loadConfig({ VENVFARM_OFFLINE: '0', VENVFARM_JOBS: '1' })).toMatchObject({ offline: false, runJobs: true });
    expect(() => loadConfig({ VENVFARM_JOBS: 'maybe' })).toThrow(new ConfigError('VENVFARM_JOBS must be true or false (on/off, 1/0): maybe'));
  });

  it('reads the log level in any case and names a bad one', () => {
    expect(loadConfig({ VENVFARM_LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({ VENVFARM_LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
    expect(() => loadConfig({ VENVFARM_LOG_LEVEL: 'loud' })).toThrow('VENVFARM_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent: loud');
  });

  it('rejects a URL that does not parse, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow('DATABASE_URL is not a URL: not a url');
  });

  it('lets options override the environment', () => {
    expect(loadConfig({ VENVFARM_UPSTREAM: 'http://127.0.0.1:1/simple/' }, { upstream: 'http://127.0.0.1:2/simple/' }).upstream).toBe('http://127.0.0.1:2/simple/');
  });

  it('reads the admin and read tokens, refusing short or unsendable ones without echoing them', () => {
    const admin = 'a'.repeat(32);
    expect(loadConfig({ VENVFARM_ADMIN_TOKEN: admin, VENVFARM_READ_TOKEN: 'r3ad-T0ken_value~+/=' })).toMatchObject({ adminToken: admin, readToken: 'r3ad-T0ken_value~+/=' });
    expect(() => loadConfig({ VENVFARM_ADMIN_TOKEN: 'secret12' })).toThrow('VENVFARM_ADMIN_TOKEN must have at least 16 characters (it has 8)');
    const spaced = 'my secret token with spaces';
    expect(() => loadConfig({ VENVFARM_READ_TOKEN: spaced })).toThrow(/VENVFARM_READ_TOKEN may only contain/);
    expect(() => loadConfig({ VENVFARM_READ_TOKEN: spaced })).not.toThrow(/secret/);
  });
});
