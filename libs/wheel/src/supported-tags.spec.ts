import { Version } from '@venvfarm/pep440';
import oracle from '../fixtures/packaging-tags.json';
import { supportedTags, TagTarget } from './supported-tags';

interface OracleTarget {
  implementation: string;
  python: number[];
  os: string;
  arch: string;
  libc?: (string | number)[];
  macos?: number[];
}

/** The oracle's target description as the TagTarget a pep508 Target would be. */
function toTarget(t: OracleTarget): TagTarget {
  return {
    python: Version.parse(t.python.join('.')),
    implementation: t.implementation as TagTarget['implementation'],
    platform: {
      os: t.os as TagTarget['platform']['os'],
      arch: t.arch,
      libc: t.libc && {
        flavor: t.libc[0] as 'manylinux' | 'musllinux',
        major: t.libc[1] as number,
        minor: t.libc[2] as number,
      },
      macos: t.macos && { major: t.macos[0], minor: t.macos[1] },
    },
  };
}

const cases = Object.entries(oracle.targets).map(([name, c]) => [name, toTarget(c.target), c.tags] as const);

describe(`supportedTags against packaging ${oracle.packaging} (sys_tags order)`, () => {
  it.each(cases)('%s', (_name, target, expected) => {
    const got = supportedTags(target);
    // Compare the first difference rather than a 2000-line diff.
    const at = got.findIndex((tag, i) => tag !== expected[i]);
    expect({ at, got: got[at], expected: expected[at] }).toEqual({ at: -1, got: undefined, expected: undefined });
    expect(got).toHaveLength(expected.length);
  });
});

describe('supportedTags ordering landmarks', () => {
  const linux = (python: string, minor = 28): TagTarget => ({
    python: Version.parse(python),
    implementation: 'cpython',
    platform: { os: 'linux', arch: 'x86_64', libc: { flavor: 'manylinux', major: 2, minor } },
  });

  it('starts with the exact interpreter, ABI and newest glibc, aliases right after their glibc', () => {
    expect(supportedTags(linux('3.11')).slice(0, 13)).toEqual([
      'cp311-cp311-manylinux_2_28_x86_64',
      'cp311-cp311-manylinux_2_27_x86_64',
      'cp311-cp311-manylinux_2_26_x86_64',
      'cp311-cp311-manylinux_2_25_x86_64',
      'cp311-cp311-manylinux_2_24_x86_64',
      'cp311-cp311-manylinux_2_23_x86_64',
      'cp311-cp311-manylinux_2_22_x86_64',
      'cp311-cp311-manylinux_2_21_x86_64',
      'cp311-cp311-manylinux_2_20_x86_64',
      'cp311-cp311-manylinux_2_19_x86_64',
      'cp311-cp311-manylinux_2_18_x86_64',
      'cp311-cp311-manylinux_2_17_x86_64',
      'cp311-cp311-manylinux2014_x86_64',
    ]);
  });

  it('ranks abi3 of older CPythons after cp311-none, and py3-none-any near the end', () => {
    const tags = supportedTags(linux('3.11'));
    const index = (t: string) => tags.indexOf(t);
    expect(index('cp311-abi3-linux_x86_64')).toBeLessThan(index('cp311-none-manylinux_2_28_x86_64'));
    expect(index('cp311-none-linux_x86_64')).toBeLessThan(index('cp310-abi3-manylinux_2_28_x86_64'));
    expect(index('cp32-abi3-linux_x86_64')).toBeLessThan(index('py311-none-manylinux_2_28_x86_64'));
    expect(index('cp31-abi3-linux_x86_64')).toBe(-1);
    expect(tags.slice(-14, -10)).toEqual(['cp311-none-any', 'py311-none-any', 'py3-none-any', 'py310-none-any']);
  });

  it('uses major and minor only: 3.9.21 is 3.9', () => {
    expect(supportedTags(linux('3.9.21'))).toEqual(supportedTags(linux('3.9')));
  });

  it('falls back to manylinux_2_17 when a Linux target names no libc', () => {
    const bare: TagTarget = { ...linux('3.12'), platform: { os: 'linux', arch: 'amd64' } };
    expect(supportedTags(bare)).toEqual(supportedTags(linux('3.12', 17)));
  });

  it('reads the PyPy release from implementation_version', () => {
    const pypy: TagTarget = { ...linux('3.10'), implementation: 'pypy', markers: { implementation_version: '7.3.17' } };
    expect(supportedTags(pypy)[0]).toBe('pp310-pypy310_pp73-manylinux_2_28_x86_64');
    const asPython: TagTarget = { ...pypy, markers: { implementation_version: '3.10.14' } };
    expect(supportedTags(asPython)[0]).toBe('pp310-pypy310_pp73-manylinux_2_28_x86_64');
  });

  it('accepts arm64 and aarch64 spellings on macOS and Linux alike', () => {
    const mac = (arch: string): TagTarget => ({
      python: Version.parse('3.12'),
      implementation: 'cpython',
      platform: { os: 'macos', arch, macos: { major: 14, minor: 0 } },
    });
    expect(supportedTags(mac('aarch64'))).toEqual(supportedTags(mac('arm64')));
    expect(supportedTags(mac('arm64')).slice(0, 4)).toEqual([
      'cp312-cp312-macosx_14_0_arm64',
      'cp312-cp312-macosx_14_0_universal2',
      'cp312-cp312-macosx_13_0_arm64',
      'cp312-cp312-macosx_13_0_universal2',
    ]);
  });

  it('lists no duplicates', () => {
    for (const [, target] of cases) {
      const tags = supportedTags(target);
      expect(new Set(tags).size).toBe(tags.length);
    }
  });
});
