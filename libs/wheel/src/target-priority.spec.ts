import { Version } from '@venvfarm/pep440';
import { parseTarget } from '@venvfarm/pep508';
import oracle from '../fixtures/packaging-tags.json';
import { parseWheelFilename } from './filename';
import { supportedTags, TagTarget } from './supported-tags';
import { TagPriority } from './target-priority';

/** A tiny stand-in for pep508's parseTarget: only what tag generation reads. */
function target(python: string, platform: TagTarget['platform']): TagTarget {
  return { python: Version.parse(python), implementation: 'cpython', platform };
}

const linux = target('3.11', { os: 'linux', arch: 'x86_64', libc: { flavor: 'manylinux', major: 2, minor: 28 } });
const musl = target('3.11', { os: 'linux', arch: 'x86_64', libc: { flavor: 'musllinux', major: 1, minor: 2 } });
const mac = target('3.12', { os: 'macos', arch: 'arm64', macos: { major: 14, minor: 0 } });
const windows = target('3.11', { os: 'windows', arch: 'x86_64' });

const wheels = {
  exact: 'numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  newerGlibc: 'numpy-1.26.4-cp311-cp311-manylinux_2_28_x86_64.whl',
  tooNewGlibc: 'numpy-1.26.4-cp311-cp311-manylinux_2_34_x86_64.whl',
  abi3: 'cryptography-42.0.5-cp39-abi3-manylinux_2_28_x86_64.whl',
  musl: 'numpy-1.26.4-cp311-cp311-musllinux_1_1_x86_64.whl',
  otherPython: 'numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl',
  pure: 'six-1.16.0-py2.py3-none-any.whl',
  pure3: 'attrs-23.2.0-py3-none-any.whl',
  macUniversal: 'x-1-cp312-cp312-macosx_10_9_universal2.whl',
  macArm: 'x-1-cp312-cp312-macosx_11_0_arm64.whl',
  macTooNew: 'x-1-cp312-cp312-macosx_15_0_arm64.whl',
  macIntel: 'x-1-cp312-cp312-macosx_10_9_x86_64.whl',
  win: 'x-1-cp311-cp311-win_amd64.whl',
  win32: 'x-1-cp311-cp311-win32.whl',
};
type WheelKey = keyof typeof wheels;

const rankOf = (priority: TagPriority, key: WheelKey) => priority.bestRank(parseWheelFilename(wheels[key]).tags);

describe('TagPriority', () => {
  it.each<[string, TagTarget, WheelKey[], WheelKey[]]>([
    [
      'manylinux_2_28',
      linux,
      ['newerGlibc', 'exact', 'abi3', 'pure3'],
      ['tooNewGlibc', 'musl', 'otherPython', 'win', 'macArm'],
    ],
    ['musllinux_1_2', musl, ['musl', 'pure3'], ['exact', 'newerGlibc', 'win']],
    ['macOS 14 arm64', mac, ['macArm', 'macUniversal', 'pure3'], ['macTooNew', 'macIntel', 'exact']],
    ['windows', windows, ['win', 'pure'], ['win32', 'exact']],
  ])('orders wheels for %s best first and rejects the rest', (_name, t, ordered, rejected) => {
    const priority = new TagPriority(t);
    const ranks = ordered.map((key) => rankOf(priority, key));
    expect(ranks.every((r) => r !== null)).toBe(true);
    expect([...ranks].sort((a, b) => (a as number) - (b as number))).toEqual(ranks);
    for (const key of rejected) expect({ key, rank: rankOf(priority, key) }).toEqual({ key, rank: null });
  });

  it('ranks the best tag 0 and a compressed set as its best member', () => {
    const priority = new TagPriority(linux);
    expect(priority.rank('cp311-cp311-manylinux_2_28_x86_64')).toBe(0);
    expect(priority.rank('CP311-CP311-MANYLINUX_2_28_X86_64')).toBe(0);
    expect(priority.rank('py2.py3-none-any')).toBe(priority.rank('py3-none-any'));
    expect(priority.rank('py2-none-any')).toBeNull();
    expect(priority.rank('not a tag')).toBeNull();
    expect(priority.rank('a..b-none-any')).toBeNull();
    expect(priority.bestRank([])).toBeNull();
    expect(priority.isCompatible(['py2-none-any', 'py3-none-any'])).toBe(true);
    expect(priority.tags[priority.tags.length - 1]).toBe('py30-none-any');
  });

  it('prefers a pure wheel for the exact minor over a generic py3 one', () => {
    const priority = new TagPriority(linux);
    expect(priority.rank('py311-none-any')!).toBeLessThan(priority.rank('py3-none-any')!);
    expect(priority.rank('cp311-none-any')!).toBeLessThan(priority.rank('py311-none-any')!);
  });
});

describe('with targets from pep508 parseTarget', () => {
  it.each([
    ['3.11', 'x86_64-manylinux_2_28', 'cpython', 'cp311-x86_64-manylinux_2_28'],
    ['3.12', 'aarch64-unknown-linux-gnu', 'cpython', 'cp312-aarch64-manylinux_2_17'],
    ['3.9.21', 'x86_64-musllinux_1_2', 'cpython', 'cp39-x86_64-musllinux_1_2'],
    ['3.12', 'arm64-macos_14', 'cpython', 'cp312-arm64-macos_14'],
    ['3.12', 'macos', 'cpython', 'cp312-arm64-macos_14'],
    ['3.11', 'x86_64-windows', 'cpython', 'cp311-x86_64-windows'],
    ['3.10', 'i686-pc-windows-msvc', 'cpython', 'cp310-x86-windows'],
    ['3.12', 'aarch64-windows', 'cpython', 'cp312-arm64-windows'],
    ['3.10', 'x86_64-manylinux_2_28', 'pypy', 'pp310-x86_64-manylinux_2_28'],
  ] as const)('python %s on %s (%s) matches packaging for %s', (python, platform, implementation, expected) => {
    const target = parseTarget({ python, platform, implementation });
    expect(supportedTags(target)).toEqual(oracle.targets[expected].tags);
    expect(new TagPriority(target).rank(oracle.targets[expected].tags[0])).toBe(0);
  });
});

describe('TagPriority.forTarget', () => {
  it('shares one ranking per target and keeps only the most recently used few', () => {
    const linux = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });
    const first = TagPriority.forTarget(linux);
    expect(TagPriority.forTarget(parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' }))).toBe(first);
    expect(TagPriority.forTarget(parseTarget({ python: '3.12', platform: 'x86_64-manylinux_2_28' }))).not.toBe(first);
    for (let minor = 0; minor < 20; minor++) TagPriority.forTarget(parseTarget({ python: '3.11', platform: `x86_64-manylinux_2_${minor}` }));
    const again = TagPriority.forTarget(linux);
    expect(again).not.toBe(first); // pushed out by twenty other targets, built anew
    expect(again.tags).toEqual(first.tags);
  });
});
