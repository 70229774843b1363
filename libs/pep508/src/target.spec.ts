import type { MarkerEnvironment } from './environment';
import { InvalidTargetError } from './errors';
import { parseMarker } from './marker';
import type { Platform } from './platform';
import { parseTarget } from './target';

type PlatformMarkers = Pick<MarkerEnvironment, 'os_name' | 'sys_platform' | 'platform_system' | 'platform_machine' | 'platform_release'>;

const LINUX_X86: PlatformMarkers = { os_name: 'posix', sys_platform: 'linux', platform_system: 'Linux', platform_machine: 'x86_64', platform_release: '' };
const LINUX_ARM: PlatformMarkers = { ...LINUX_X86, platform_machine: 'aarch64' };
const MAC_ARM: PlatformMarkers = { os_name: 'posix', sys_platform: 'darwin', platform_system: 'Darwin', platform_machine: 'arm64', platform_release: '23.0.0' };
const WINDOWS: PlatformMarkers = { os_name: 'nt', sys_platform: 'win32', platform_system: 'Windows', platform_machine: 'AMD64', platform_release: '10' };

const manylinux = (arch: string, major: number, minor: number): Platform => ({ os: 'linux', arch, libc: { flavor: 'manylinux', major, minor } });

describe('parseTarget: named platforms', () => {
  it.each<[string, string, Platform, PlatformMarkers]>([
    ['x86_64-manylinux_2_28', 'x86_64-manylinux_2_28', manylinux('x86_64', 2, 28), LINUX_X86],
    ['aarch64-manylinux_2_28', 'aarch64-manylinux_2_28', manylinux('aarch64', 2, 28), LINUX_ARM],
    ['x86_64-musllinux_1_2', 'x86_64-musllinux_1_2', { os: 'linux', arch: 'x86_64', libc: { flavor: 'musllinux', major: 1, minor: 2 } }, LINUX_X86],
    ['x86_64-unknown-linux-musl', 'x86_64-musllinux_1_2', { os: 'linux', arch: 'x86_64', libc: { flavor: 'musllinux', major: 1, minor: 2 } }, LINUX_X86],
    ['arm64-macos_14', 'arm64-macos_14', { os: 'macos', arch: 'arm64', macos: { major: 14, minor: 0 } }, MAC_ARM],
    ['aarch64-apple-darwin', 'arm64-macos_14', { os: 'macos', arch: 'arm64', macos: { major: 14, minor: 0 } }, MAC_ARM],
    ['macos', 'arm64-macos_14', { os: 'macos', arch: 'arm64', macos: { major: 14, minor: 0 } }, MAC_ARM],
    ['arm64-macos_15_2', 'arm64-macos_15_2', { os: 'macos', arch: 'arm64', macos: { major: 15, minor: 2 } }, { ...MAC_ARM, platform_release: '24.2.0' }],
    ['x86_64-macos_10_15', 'x86_64-macos_10_15', { os: 'macos', arch: 'x86_64', macos: { major: 10, minor: 15 } }, { ...MAC_ARM, platform_machine: 'x86_64', platform_release: '19.0.0' }],
    ['x86_64-apple-darwin', 'x86_64-macos_14', { os: 'macos', arch: 'x86_64', macos: { major: 14, minor: 0 } }, { ...MAC_ARM, platform_machine: 'x86_64' }],
    ['x86_64-windows', 'x86_64-windows', { os: 'windows', arch: 'x86_64' }, WINDOWS],
    ['x86_64-pc-windows-msvc', 'x86_64-windows', { os: 'windows', arch: 'x86_64' }, WINDOWS],
    ['windows', 'x86_64-windows', { os: 'windows', arch: 'x86_64' }, WINDOWS],
    ['aarch64-pc-windows-msvc', 'aarch64-windows', { os: 'windows', arch: 'aarch64' }, { ...WINDOWS, platform_machine: 'ARM64' }],
    ['i686-windows', 'i686-windows', { os: 'windows', arch: 'i686' }, { ...WINDOWS, platform_machine: 'x86' }],
    ['x86_64-manylinux2014', 'x86_64-manylinux_2_17', manylinux('x86_64', 2, 17), LINUX_X86],
    ['x86_64-manylinux_2_17', 'x86_64-manylinux_2_17', manylinux('x86_64', 2, 17), LINUX_X86],
    ['x86_64-unknown-linux-gnu', 'x86_64-manylinux_2_17', manylinux('x86_64', 2, 17), LINUX_X86],
    ['aarch64-unknown-linux-gnu', 'aarch64-manylinux_2_17', manylinux('aarch64', 2, 17), LINUX_ARM],
    ['linux', 'x86_64-manylinux_2_17', manylinux('x86_64', 2, 17), LINUX_X86],
    ['x86_64-manylinux1', 'x86_64-manylinux_2_5', manylinux('x86_64', 2, 5), LINUX_X86],
    ['i686-manylinux2010', 'i686-manylinux_2_12', manylinux('i686', 2, 12), { ...LINUX_X86, platform_machine: 'i686' }],
    ['ppc64le-manylinux_2_31', 'ppc64le-manylinux_2_31', manylinux('ppc64le', 2, 31), { ...LINUX_X86, platform_machine: 'ppc64le' }],
    [' X86_64-Manylinux_2_28 ', 'x86_64-manylinux_2_28', manylinux('x86_64', 2, 28), LINUX_X86],
  ])('%j is %s', (shorthand, name, platform, markers) => {
    const target = parseTarget({ python: '3.12', platform: shorthand });
    expect(target.name).toBe(name);
    expect(target.platform).toEqual(platform);
    expect(target.markers).toEqual({
      ...markers,
      implementation_name: 'cpython',
      implementation_version: '3.12.0',
      platform_python_implementation: 'CPython',
      platform_version: '',
      python_full_version: '3.12.0',
      python_version: '3.12',
    });
  });

  it('defaults to linux (x86_64, manylinux_2_17) and CPython', () => {
    const target = parseTarget({ python: '3.11' });
    expect(target.name).toBe('x86_64-manylinux_2_17');
    expect(target.implementation).toBe('cpython');
  });

  it('is immutable', () => {
    const target = parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' });
    expect(Object.isFrozen(target)).toBe(true);
    expect(Object.isFrozen(target.markers)).toBe(true);
    expect(Object.isFrozen(target.platform.libc)).toBe(true);
  });
});

describe('parseTarget: Python versions and implementations', () => {
  it.each<[string, string, string, Partial<MarkerEnvironment>]>([
    ['3.11', '3.11', '3.11.0', { python_version: '3.11', python_full_version: '3.11.0', implementation_version: '3.11.0' }],
    ['3.9.21', '3.9.21', '3.9.21', { python_version: '3.9', python_full_version: '3.9.21', implementation_version: '3.9.21' }],
    ['3.13.0rc1', '3.13.0rc1', '3.13.0rc1', { python_version: '3.13', python_full_version: '3.13.0rc1', implementation_version: '3.13.0c1' }],
    ['3.14b2', '3.14b2', '3.14.0b2', { python_version: '3.14', python_full_version: '3.14.0b2', implementation_version: '3.14.0b2' }],
    [' 3.10 ', '3.10', '3.10.0', { python_version: '3.10' }],
    ['2.7', '2.7', '2.7.0', { python_version: '2.7' }],
  ])('python %j', (python, asked, full, markers) => {
    const target = parseTarget({ python });
    expect(String(target.python)).toBe(asked);
    expect(String(target.pythonFull)).toBe(full);
    expect(target.markers).toMatchObject(markers);
  });

  it('describes PyPy with its own implementation version', () => {
    const target = parseTarget({ python: '3.10', platform: 'x86_64-windows', implementation: 'pypy' });
    expect(target.markers).toMatchObject({
      implementation_name: 'pypy',
      implementation_version: '7.3.19',
      platform_python_implementation: 'PyPy',
      python_version: '3.10',
      platform_machine: 'AMD64',
    });
  });

  it.each<[{ python: string; platform?: string; implementation?: 'cpython' | 'pypy' }, string, number]>([
    [{ python: '3' }, 'A Python version names major and minor', 1],
    [{ python: '3.11.4.1' }, 'A Python version names major and minor', 8],
    [{ python: 'three' }, 'Invalid Python version', 5],
    [{ python: '3.11+local' }, 'no epoch, post, dev or local part', 10],
    [{ python: '3.11.dev0' }, 'no epoch, post, dev or local part', 9],
    [{ python: '3.13', implementation: 'pypy' }, 'PyPy has no release for Python 3.13', 4],
    [{ python: '3.11', implementation: 'jython' as 'pypy' }, 'Unknown Python implementation', 6],
    [{ python: '3.11', platform: 'solaris' }, 'Unknown platform', 7],
    [{ python: '3.11', platform: 'x86_64-freebsd' }, "Unknown operating system 'freebsd'", 14],
    [{ python: '3.11', platform: 'sparc-manylinux_2_17' }, "Unsupported architecture 'sparc' for Linux", 5],
    [{ python: '3.11', platform: 'arm64-macos_10_15' }, 'macOS on arm64 starts at 11.0', 17],
    [{ python: '3.11', platform: 'x86_64-manylinux_3_1' }, 'manylinux names a glibc 2.x version', 20],
    [{ python: '3.11', platform: 'x86_64-musllinux_2_1' }, 'musllinux names a musl 1.x version', 20],
    [{ python: '3.11', platform: 'riscv64-windows' }, "Unsupported architecture 'riscv64' for Windows", 7],
  ])('rejects %j', (spec, message, position) => {
    try {
      parseTarget(spec);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTargetError);
      expect((e as InvalidTargetError).message).toContain(message);
      expect((e as InvalidTargetError).position).toBe(position);
    }
  });
});

describe('markers evaluated for each named target', () => {
  const targets = {
    linux: parseTarget({ python: '3.11', platform: 'x86_64-manylinux_2_28' }),
    linuxArm: parseTarget({ python: '3.12', platform: 'aarch64-manylinux_2_28' }),
    musl: parseTarget({ python: '3.9', platform: 'x86_64-musllinux_1_2' }),
    mac: parseTarget({ python: '3.13', platform: 'arm64-macos_14' }),
    windows: parseTarget({ python: '3.10', platform: 'x86_64-windows' }),
    old: parseTarget({ python: '3.7', platform: 'x86_64-manylinux2014' }),
    pypy: parseTarget({ python: '3.10', platform: 'linux', implementation: 'pypy' }),
  };
  const order = Object.keys(targets) as (keyof typeof targets)[];

  // One row per marker: the answer for linux, linuxArm, musl, mac, windows, old, pypy.
  it.each<[string, string]>([
    ['sys_platform == "linux"', '1110011'],
    ['sys_platform == "darwin"', '0001000'],
    ['sys_platform == "win32"', '0000100'],
    ['platform_system == "Windows"', '0000100'],
    ['platform_system != "Windows"', '1111011'],
    ['os_name == "nt"', '0000100'],
    ['platform_machine == "x86_64"', '1010011'],
    ['platform_machine == "aarch64" or platform_machine == "arm64"', '0101000'],
    ['platform_machine == "AMD64"', '0000100'],
    ['"arm" in platform_machine', '0001000'],
    ['python_version >= "3.10"', '1101101'],
    ['python_version < "3.8"', '0000010'],
    ['python_full_version >= "3.9.0"', '1111101'],
    ['"3.8" <= python_version', '1111101'],
    ['platform_python_implementation == "CPython"', '1111110'],
    ['implementation_name == "pypy"', '0000001'],
    ['implementation_version >= "7"', '0000001'],
    ['sys_platform == "darwin" and platform_release >= "22"', '0001000'],
    ['platform_system == "Linux" and platform_machine == "x86_64" and python_version >= "3.10"', '1000001'],
    ['sys_platform != "win32" and (python_version < "3.8" or platform_machine == "arm64")', '0001010'],
    ['extra == "test"', '0000000'],
  ])('%s', (text, expected) => {
    const marker = parseMarker(text);
    expect(order.map((key) => (marker.evaluate(targets[key].markers) ? '1' : '0')).join('')).toBe(expected);
  });

  it('applies extras alongside the target', () => {
    const marker = parseMarker('sys_platform == "win32" and extra == "Windows_Support"');
    expect(marker.evaluate(targets.windows.markers, 'windows-support')).toBe(true);
    expect(marker.evaluate(targets.windows.markers)).toBe(false);
    expect(marker.evaluate(targets.linux.markers, 'windows-support')).toBe(false);
  });
});
