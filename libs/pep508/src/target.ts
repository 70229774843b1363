/**
 * A target: the interpreter and platform an environment is resolved for, with the full PEP 508
 * marker environment that interpreter would report there (see environment.ts).
 *
 * Marker values are those CPython (or PyPy) reports on the platform: `sys_platform` is `linux`,
 * `darwin` or `win32`; `platform_system` `Linux`, `Darwin` or `Windows`; `platform_machine`
 * `x86_64`/`aarch64` on Linux, `arm64`/`x86_64` on macOS and `AMD64`/`ARM64`/`x86` on Windows
 * (uv reports `x86_64` on Windows; CPython does not). `implementation_version` of a CPython
 * release candidate reads `3.13.0c1` (`sys.implementation.version` says "candidate"), while
 * `python_full_version` reads `3.13.0rc1`.
 *
 * What a target cannot know is left empty, as uv does: `platform_version` (a kernel build
 * string) and, on Linux, `platform_release`. On macOS `platform_release` is the Darwin release
 * of that macOS (14.1 → `23.1.0`); on Windows it is `10`, which CPython reports on 10 and 11.
 */
import { Version } from '@venvfarm/pep440';
import type { MarkerEnvironment } from './environment';
import { InvalidTargetError } from './errors';
import { parsePlatform, Platform } from './platform';

/** The Python implementations a target may name. */
export type Implementation = 'cpython' | 'pypy';

/** What {@link parseTarget} reads. */
export interface TargetSpec {
  /** `3.11`, `3.9.21`, `3.13.0rc1`. */
  readonly python: string;
  /** A platform shorthand (see platform.ts); defaults to `linux` (x86_64, manylinux_2_17). */
  readonly platform?: string;
  /** Defaults to `cpython`. */
  readonly implementation?: Implementation;
}

/** An interpreter on a platform. Immutable. */
export interface Target {
  /** The Python version as asked: `3.11` → 3.11, `3.9.21` → 3.9.21. */
  readonly python: Version;
  /** With the micro version filled in: 3.11 → 3.11.0. */
  readonly pythonFull: Version;
  readonly implementation: Implementation;
  readonly platform: Platform;
  /** The marker environment of this interpreter on this platform. */
  readonly markers: MarkerEnvironment;
  /** The canonical platform shorthand, e.g. `x86_64-manylinux_2_17` for `linux`. */
  readonly name: string;
}

/** The last PyPy release for each Python line it implements (its `implementation_version`). */
const PYPY_RELEASES: Readonly<Record<string, string>> = {
  '2.7': '7.3.20',
  '3.6': '7.3.3',
  '3.7': '7.3.9',
  '3.8': '7.3.11',
  '3.9': '7.3.16',
  '3.10': '7.3.19',
  '3.11': '7.3.20',
};

const CANDIDATE_LETTER = { a: 'a', b: 'b', rc: 'c' } as const;
const WINDOWS_MACHINE: Readonly<Record<string, string>> = { x86_64: 'AMD64', aarch64: 'ARM64', i686: 'x86' };

/**
 * Builds a target from a Python version, a platform shorthand and an implementation.
 * @throws InvalidTargetError when a part cannot be understood (its `input` is that part).
 */
export function parseTarget(spec: TargetSpec): Target {
  const implementation = spec.implementation ?? 'cpython';
  if (implementation !== 'cpython' && implementation !== 'pypy') {
    throw new InvalidTargetError(`Unknown Python implementation '${implementation}'; expected cpython or pypy`, String(implementation), {
      start: 0,
      end: String(implementation).length,
    });
  }
  const python = parsePython(spec.python);
  const [major, minor, micro = 0] = python.release.map(Number);
  const pythonFull = new Version(0, [major, minor, micro], python.pre);
  const { name, platform } = parsePlatform(spec.platform ?? 'linux');

  let implementationVersion = `${major}.${minor}.${micro}`;
  if (python.pre !== null) implementationVersion += `${CANDIDATE_LETTER[python.pre.kind]}${python.pre.number}`;
  if (implementation === 'pypy') {
    const release = PYPY_RELEASES[`${major}.${minor}`];
    if (release === undefined) {
      throw new InvalidTargetError(`PyPy has no release for Python ${major}.${minor}`, spec.python, { start: 0, end: spec.python.length });
    }
    implementationVersion = release;
  }

  const markers: MarkerEnvironment = Object.freeze({
    implementation_name: implementation,
    implementation_version: implementationVersion,
    os_name: platform.os === 'windows' ? 'nt' : 'posix',
    platform_machine: platform.os === 'windows' ? WINDOWS_MACHINE[platform.arch] : platform.arch,
    platform_python_implementation: implementation === 'pypy' ? 'PyPy' : 'CPython',
    platform_release: platformRelease(platform),
    platform_system: platform.os === 'linux' ? 'Linux' : platform.os === 'macos' ? 'Darwin' : 'Windows',
    platform_version: '',
    python_full_version: pythonFull.toString(),
    python_version: `${major}.${minor}`,
    sys_platform: platform.os === 'linux' ? 'linux' : platform.os === 'macos' ? 'darwin' : 'win32',
  });
  return Object.freeze({ python, pythonFull, implementation, platform: deepFreeze(platform), markers, name });
}

/** A Python language version: two or three release numbers, perhaps a pre-release. */
function parsePython(text: string): Version {
  const fail = (reason: string): never => {
    throw new InvalidTargetError(reason, text, { start: 0, end: text.length });
  };
  const version = Version.tryParse(text.trim());
  if (version === null) return fail(`Invalid Python version '${text}'; expected e.g. 3.11 or 3.9.21`);
  if (version.release.length < 2 || version.release.length > 3) fail(`A Python version names major and minor (3.11) or also micro (3.11.4), not '${text}'`);
  if (version.epoch != 0 || version.post !== null || version.dev !== null || version.local !== null) {
    fail(`Python versions have no epoch, post, dev or local part: '${text}'`);
  }
  if (version.release.some((n) => typeof n === 'bigint' || n > 999)) fail(`Python version numbers are small: '${text}'`);
  return version;
}

/** `platform.release()`: the Darwin release on macOS, `10` on Windows, unknown on Linux. */
function platformRelease(platform: Platform): string {
  if (platform.os === 'windows') return '10';
  if (platform.os !== 'macos' || platform.macos === undefined) return '';
  const { major, minor } = platform.macos;
  // 10.x → Darwin x+4; 11–15 → Darwin major+9; from 26 (after 15) → Darwin major-1.
  if (major === 10) return `${minor + 4}.0.0`;
  return `${major <= 15 ? major + 9 : major - 1}.${minor}.0`;
}

function deepFreeze(platform: Platform): Platform {
  if (platform.libc) Object.freeze(platform.libc);
  if (platform.macos) Object.freeze(platform.macos);
  return Object.freeze(platform);
}
