import { BuildView } from './build-client';
import { liveProgress, restoreSummary } from './ci-restore-summary';

const KEY = 'ab'.repeat(32);
const BUILD: BuildView = {
  id: 12,
  key: KEY,
  status: 'done',
  python: '3.11',
  platform: 'x86_64-manylinux_2_28',
  pins: [],
  timings: { total: 31_040 },
  size: null,
  error: null,
  download: `/v1/envs/${KEY}.tar.gz`,
};

describe('restoreSummary', () => {
  const base = { dir: '/work/.venv', key: KEY, packages: 12, seconds: 0.8412, wait: 0, build: null };

  it.each<[string, Parameters<typeof restoreSummary>[0], string]>([
    ['a cache hit', { ...base, route: 'answered' }, `restored 12 packages into /work/.venv in 0.84 s: cache hit (key ${KEY})`],
    ['a build followed', { ...base, seconds: 42.37, route: 'followed', build: BUILD }, `restored 12 packages into /work/.venv in 42.4 s: built by build 12 in 31.0 s (key ${KEY})`],
    ['a tarball answered within a wait', { ...base, wait: 30, route: 'answered' }, `restored 12 packages into /work/.venv in 0.84 s: ready within --wait 30 (built already, or built meanwhile) (key ${KEY})`],
    ['one package, no key, no count', { ...base, packages: 1, key: null, route: 'answered' }, 'restored 1 package into /work/.venv in 0.84 s: cache hit'],
    ['no manifest', { ...base, packages: null, route: 'answered' }, `restored the environment into /work/.venv in 0.84 s: cache hit (key ${KEY})`],
  ])('%s', (_case, outcome, expected) => {
    expect(restoreSummary(outcome)).toBe(expected);
  });
});

describe('liveProgress', () => {
  it.each<[boolean | undefined, boolean | undefined, NodeJS.ProcessEnv, boolean]>([
    [true, true, {}, true],
    [true, true, { CI: 'false' }, true],
    [true, true, { CI: '0' }, true],
    [true, true, { CI: 'true' }, false],
    [true, true, { CI: '1' }, false],
    [true, undefined, {}, false],
    [undefined, true, {}, false],
    [undefined, undefined, {}, false],
  ])('stdout TTY %s, stderr TTY %s, env %j: %s', (stdout, stderr, env, live) => {
    expect(liveProgress(stdout, stderr, env)).toBe(live);
  });
});
