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
    });
  });

  it('reads flags in their usual spellings and names a bad one', () => {
    expect(loadConfig({ VENVFARM_OFFLINE: 'TRUE', VENVFARM_JOBS: 'off' })).toMatchObject({ offline: true, runJobs: false });
    expect(loadConfig({ VENVFARM_OFFLINE: '0', VENVFARM_JOBS: '1' })).toMatchObject({ offline: false, runJobs: true });
    expect(() => loadConfig({ VENVFARM_JOBS: 'maybe' })).toThrow(new ConfigError('VENVFARM_JOBS must be true or false (on/off, 1/0): maybe'));
  });

  it('rejects a URL that does not parse, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow('DATABASE_URL is not a URL: not a url');
  });

  it('lets options override the environment', () => {
    expect(loadConfig({ VENVFARM_UPSTREAM: 'http://127.0.0.1:1/simple/' }, { upstream: 'http://127.0.0.1:2/simple/' }).upstream).toBe('http://127.0.0.1:2/simple/');
  });
});
