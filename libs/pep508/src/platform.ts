/**
 * Named platforms, spelled like uv's `--python-platform`: `x86_64-manylinux_2_28`,
 * `aarch64-musllinux_1_2`, `arm64-macos_14`, `x86_64-windows`, Rust-style triples
 * (`x86_64-unknown-linux-gnu`, `aarch64-apple-darwin`, `x86_64-pc-windows-msvc`) and the
 * shorthands `linux`, `macos`, `windows`.
 *
 * Defaults, as uv's: `linux` and the `*-unknown-linux-gnu` triples mean manylinux_2_17 (the
 * glibc of manylinux2014), `*-unknown-linux-musl` means musllinux_1_2, `windows` means x86_64.
 * `macos` and the `*-apple-darwin` triples mean macOS 14.0 (uv picks 13.0).
 *
 * The architecture is spelled as in the canonical name: `x86_64`, `aarch64`, `i686`, … on Linux
 * and Windows, `arm64` or `x86_64` on macOS (so `aarch64-macos_14` reads as `arm64-macos_14`).
 */
import { InvalidTargetError } from './errors';

/** Where a target runs. */
export interface Platform {
  readonly os: 'linux' | 'macos' | 'windows';
  /** `x86_64`, `aarch64`, `i686`, `armv7l`, `ppc64le`, `s390x`, `riscv64` (Linux); `arm64`, `x86_64` (macOS); `x86_64`, `aarch64`, `i686` (Windows). */
  readonly arch: string;
  /** The C library wheels may link against (Linux only): glibc (`manylinux`) or musl. */
  readonly libc?: { readonly flavor: 'manylinux' | 'musllinux'; readonly major: number; readonly minor: number };
  /** The oldest macOS version to support (macOS only). */
  readonly macos?: { readonly major: number; readonly minor: number };
}

const ALIASES: Readonly<Record<string, string>> = {
  linux: 'x86_64-manylinux_2_17',
  macos: 'arm64-macos_14',
  windows: 'x86_64-windows',
  'x86_64-unknown-linux-gnu': 'x86_64-manylinux_2_17',
  'aarch64-unknown-linux-gnu': 'aarch64-manylinux_2_17',
  'x86_64-unknown-linux-musl': 'x86_64-musllinux_1_2',
  'aarch64-unknown-linux-musl': 'aarch64-musllinux_1_2',
  'x86_64-apple-darwin': 'x86_64-macos_14',
  'aarch64-apple-darwin': 'arm64-macos_14',
  'x86_64-pc-windows-msvc': 'x86_64-windows',
  'aarch64-pc-windows-msvc': 'aarch64-windows',
  'i686-pc-windows-msvc': 'i686-windows',
};

/** Legacy manylinux names and the glibc they stand for (PEP 600). */
const LEGACY_MANYLINUX: Readonly<Record<string, [number, number]>> = {
  manylinux1: [2, 5],
  manylinux2010: [2, 12],
  manylinux2014: [2, 17],
  linux: [2, 17],
};

const LINUX_ARCHES: Readonly<Record<string, string>> = {
  x86_64: 'x86_64',
  amd64: 'x86_64',
  aarch64: 'aarch64',
  arm64: 'aarch64',
  i686: 'i686',
  x86: 'i686',
  armv7l: 'armv7l',
  ppc64le: 'ppc64le',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
};
const MACOS_ARCHES: Readonly<Record<string, string>> = { arm64: 'arm64', aarch64: 'arm64', x86_64: 'x86_64', amd64: 'x86_64' };
const WINDOWS_ARCHES: Readonly<Record<string, string>> = {
  x86_64: 'x86_64',
  amd64: 'x86_64',
  aarch64: 'aarch64',
  arm64: 'aarch64',
  i686: 'i686',
  x86: 'i686',
};

/** A few names worth listing in help texts. */
export const PLATFORM_EXAMPLES: readonly string[] = [
  'x86_64-manylinux_2_28',
  'aarch64-manylinux_2_28',
  'x86_64-manylinux2014',
  'x86_64-musllinux_1_2',
  'arm64-macos_14',
  'x86_64-windows',
  'linux',
  'macos',
  'windows',
];

/** A platform and its canonical shorthand. */
export interface NamedPlatform {
  readonly name: string;
  readonly platform: Platform;
}

/**
 * Parses a platform shorthand (case-insensitive).
 * @throws InvalidTargetError naming what was not understood.
 */
export function parsePlatform(text: string): NamedPlatform {
  const fail = (reason: string, start = 0, end = text.length): never => {
    throw new InvalidTargetError(reason, text, { start, end });
  };
  const lower = text.trim().toLowerCase();
  const offset = text.indexOf(text.trim());
  const spelled = ALIASES[lower] ?? lower;
  const dash = spelled.indexOf('-');
  if (dash <= 0) return fail(`Unknown platform '${text}'; expected <arch>-<os>, e.g. ${PLATFORM_EXAMPLES.slice(0, 6).join(', ')}`);
  const arch = spelled.slice(0, dash);
  const os = spelled.slice(dash + 1);
  // Positions point into the input only when no alias was expanded.
  const osAt = spelled === lower ? offset + dash + 1 : 0;
  const archFor = (table: Readonly<Record<string, string>>, family: string): string =>
    Object.hasOwn(table, arch) ? table[arch] : fail(`Unsupported architecture '${arch}' for ${family}`, offset, offset + dash);

  let m = /^(manylinux|musllinux)_(\d{1,3})_(\d{1,3})$/.exec(os);
  if (m !== null || Object.hasOwn(LEGACY_MANYLINUX, os)) {
    const flavor = m === null ? 'manylinux' : (m[1] as 'manylinux' | 'musllinux');
    const [major, minor] = m === null ? LEGACY_MANYLINUX[os] : [Number(m[2]), Number(m[3])];
    if (flavor === 'manylinux' && major !== 2) fail(`manylinux names a glibc 2.x version, e.g. manylinux_2_28`, osAt, osAt + os.length);
    if (flavor === 'musllinux' && major !== 1) fail(`musllinux names a musl 1.x version, e.g. musllinux_1_2`, osAt, osAt + os.length);
    const linuxArch = archFor(LINUX_ARCHES, 'Linux');
    return {
      name: `${linuxArch}-${flavor}_${major}_${minor}`,
      platform: { os: 'linux', arch: linuxArch, libc: { flavor, major, minor } },
    };
  }
  m = /^macos(?:_(\d{1,2})(?:_(\d{1,2}))?)?$/.exec(os);
  if (m !== null) {
    const major = m[1] === undefined ? 14 : Number(m[1]);
    const minor = m[2] === undefined ? 0 : Number(m[2]);
    const macArch = archFor(MACOS_ARCHES, 'macOS');
    if (major < 10 || (major === 10 && minor > 16)) fail(`No such macOS version ${major}.${minor}`, osAt, osAt + os.length);
    if (macArch === 'arm64' && major < 11) fail(`macOS on arm64 starts at 11.0`, osAt, osAt + os.length);
    return {
      name: `${macArch}-macos_${major}${minor === 0 ? '' : `_${minor}`}`,
      platform: { os: 'macos', arch: macArch, macos: { major, minor } },
    };
  }
  if (os === 'windows') {
    const winArch = archFor(WINDOWS_ARCHES, 'Windows');
    return { name: `${winArch}-windows`, platform: { os: 'windows', arch: winArch } };
  }
  return fail(`Unknown operating system '${os}'; expected manylinux_X_Y, musllinux_X_Y, macos_X or windows`, osAt, osAt + os.length);
}
