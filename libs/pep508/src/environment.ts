/**
 * The marker environment (PEP 508 "Environment Markers"): the values a marker is evaluated
 * against, named and spelled as CPython's `platform`, `os` and `sys` modules report them.
 * `extra` is not part of it; it is passed separately to {@link Marker.evaluate}.
 */

/** Values of the PEP 508 marker variables for one interpreter on one platform. */
export interface MarkerEnvironment {
  /** `sys.implementation.name`: `cpython`, `pypy`. */
  readonly implementation_name: string;
  /** `sys.implementation.version` formatted: `3.12.1`, `3.13.0c1` for a release candidate. */
  readonly implementation_version: string;
  /** `os.name`: `posix`, `nt`. */
  readonly os_name: string;
  /** `platform.machine()`: `x86_64`, `aarch64` (Linux), `arm64` (macOS), `AMD64` (Windows). */
  readonly platform_machine: string;
  /** `platform.python_implementation()`: `CPython`, `PyPy`. */
  readonly platform_python_implementation: string;
  /** `platform.release()`: the kernel or OS release, e.g. `23.1.0` on macOS 14.1. */
  readonly platform_release: string;
  /** `platform.system()`: `Linux`, `Darwin`, `Windows`. */
  readonly platform_system: string;
  /** `platform.version()`: the kernel build string. */
  readonly platform_version: string;
  /** `platform.python_version()`: `3.11.4`, `3.13.0rc1`. */
  readonly python_full_version: string;
  /** `major.minor` of the language version: `3.11`. */
  readonly python_version: string;
  /** `sys.platform`: `linux`, `darwin`, `win32`. */
  readonly sys_platform: string;
}

/** The names of the environment's variables, in PEP 508's order. */
export const MARKER_ENVIRONMENT_KEYS: readonly (keyof MarkerEnvironment)[] = [
  'implementation_name',
  'implementation_version',
  'os_name',
  'platform_machine',
  'platform_python_implementation',
  'platform_release',
  'platform_system',
  'platform_version',
  'python_full_version',
  'python_version',
  'sys_platform',
];
