/**
 * Platform tags a target accepts, best first, as pypa/packaging's `platform_tags()` would
 * yield them on that machine (`_manylinux.platform_tags`, `_musllinux.platform_tags`,
 * `mac_platforms`, the generic Windows tag). PEP 600 (manylinux_x_y), PEP 656 (musllinux),
 * PEP 425 (Windows, macOS).
 *
 * Surprises worth knowing:
 * - manylinux goes down to glibc 2.5 on x86_64/i686 but only to 2.17 elsewhere, and each of
 *   2.17, 2.12 and 2.5 is followed by its legacy alias (manylinux2014, 2010, 1) — packaging
 *   emits the aliases for every arch, even where no such wheel was ever built.
 * - A musl target accepts no manylinux wheel and vice versa; both accept `linux_<arch>` last.
 * - On macOS 11+ only `X.0` versions are generated (packaging ignores the minor), then the
 *   10.x range again: every format on x86_64, but only `universal2` on arm64.
 * - A target without libc (or macOS version) details gets a documented default, see below.
 */

/** The platform part of a target, structurally the `platform` of pep508's `Target`. */
export interface TagPlatform {
  readonly os: 'linux' | 'macos' | 'windows';
  readonly arch: string;
  readonly libc?: { readonly flavor: 'manylinux' | 'musllinux'; readonly major: number; readonly minor: number };
  readonly macos?: { readonly major: number; readonly minor: number };
}

/**
 * glibc assumed for a Linux target that names none: what pep508's `linux` shorthand means (and
 * uv's `*-unknown-linux-gnu`). parseTarget always fills it; hand-built targets may not.
 */
export const DEFAULT_GLIBC = { flavor: 'manylinux', major: 2, minor: 17 } as const;

/** macOS assumed for a target that names no version: what pep508's `macos` shorthand means. */
export const DEFAULT_MACOS = { major: 14, minor: 0 } as const;

/** glibc majors other than the target's are listed from their last minor (packaging: 50). */
const LAST_GLIBC_MINOR = 50;

const LEGACY_MANYLINUX: Record<string, string> = {
  '2_17': 'manylinux2014',
  '2_12': 'manylinux2010',
  '2_5': 'manylinux1',
};

/** The spelling `sysconfig.get_platform()` uses on Linux for each machine name. */
function linuxArch(arch: string): string {
  const a = arch.toLowerCase();
  switch (a) {
    case 'amd64':
    case 'x64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    case 'x86':
    case 'i386':
    case 'i586':
      return 'i686';
    case 'powerpc64le':
      return 'ppc64le';
    case 'powerpc64':
      return 'ppc64';
    case 'armv7':
      return 'armv7l';
    default:
      return a.replace(/[.-]/g, '_');
  }
}

/** The binary-format name macOS tags use for each machine name. */
function macArch(arch: string): string {
  const a = arch.toLowerCase();
  if (a === 'aarch64') return 'arm64';
  if (a === 'amd64') return 'x86_64';
  if (a === 'i686' || a === 'x86') return 'i386';
  return a;
}

/** manylinux tags for one arch from glibc `major.minor` down, with legacy aliases. */
export function manylinuxPlatforms(arch: string, major: number, minor: number): string[] {
  // The oldest glibc with a manylinux policy: 2.5 on x86, 2.17 anywhere else (PEP 599).
  const tooOld = arch === 'x86_64' || arch === 'i686' ? { major: 2, minor: 4 } : { major: 2, minor: 16 };
  const maxima = [{ major, minor }];
  for (let m = major - 1; m > 1; m--) maxima.push({ major: m, minor: LAST_GLIBC_MINOR });
  const tags: string[] = [];
  for (const max of maxima) {
    const minMinor = max.major === tooOld.major ? tooOld.minor : -1;
    for (let n = max.minor; n > minMinor; n--) {
      tags.push(`manylinux_${max.major}_${n}_${arch}`);
      const legacy = LEGACY_MANYLINUX[`${max.major}_${n}`];
      if (legacy) tags.push(`${legacy}_${arch}`);
    }
  }
  return tags;
}

/** musllinux tags for one arch from musl `major.minor` down to `major.0`. */
export function musllinuxPlatforms(arch: string, major: number, minor: number): string[] {
  const tags: string[] = [];
  for (let n = minor; n >= 0; n--) tags.push(`musllinux_${major}_${n}_${arch}`);
  return tags;
}

/** Binary formats a macOS version runs for a CPU, as packaging's `_mac_binary_formats`. */
function macBinaryFormats(major: number, minor: number, arch: string): string[] {
  const formats = [arch];
  const before = (ma: number, mi: number) => major < ma || (major === ma && minor < mi);
  const after = (ma: number, mi: number) => major > ma || (major === ma && minor > mi);
  if (arch === 'x86_64') {
    if (before(10, 4)) return [];
    formats.push('intel', 'fat64', 'fat32');
  } else if (arch === 'i386') {
    if (before(10, 4)) return [];
    formats.push('intel', 'fat32', 'fat');
  } else if (arch === 'ppc64') {
    if (after(10, 5) || before(10, 4)) return [];
    formats.push('fat64');
  } else if (arch === 'ppc') {
    if (after(10, 6)) return [];
    formats.push('fat32', 'fat');
  }
  if (arch === 'arm64' || arch === 'x86_64') formats.push('universal2');
  if (['x86_64', 'i386', 'ppc64', 'ppc', 'intel'].includes(arch)) formats.push('universal');
  return formats;
}

/** macOS tags for `version` and CPU `arch`, in packaging's `mac_platforms` order. */
export function macPlatforms(major: number, minor: number, arch: string): string[] {
  const tags: string[] = [];
  const emit = (ma: number, mi: number, formats: string[]) => {
    for (const format of formats) tags.push(`macosx_${ma}_${mi}_${format}`);
  };
  if (major === 10) {
    // Before macOS 11 each yearly release bumped the minor number.
    for (let mi = minor; mi >= 0; mi--) emit(10, mi, macBinaryFormats(10, mi, arch));
  }
  if (major >= 11) {
    // From macOS 11 the major is the yearly release; minors are mid-year updates.
    for (let ma = major; ma > 10; ma--) emit(ma, 0, macBinaryFormats(ma, 0, arch));
    // Binaries for 10.x keep running; arm64 exists only inside universal2 fat binaries there.
    for (let mi = 16; mi > 3; mi--) {
      emit(10, mi, arch === 'x86_64' ? macBinaryFormats(10, mi, arch) : ['universal2']);
    }
  }
  return tags;
}

/** The single Windows platform tag of a machine name. */
export function windowsPlatforms(arch: string): string[] {
  const a = arch.toLowerCase();
  if (a === 'x86_64' || a === 'amd64' || a === 'x64') return ['win_amd64'];
  if (a === 'aarch64' || a === 'arm64') return ['win_arm64'];
  if (a === 'x86' || a === 'i386' || a === 'i686' || a === 'win32') return ['win32'];
  return [`win_${a.replace(/[.-]/g, '_')}`];
}

/** Linux tags as packaging's `_linux_platforms`: manylinux or musllinux, then `linux_<arch>`. */
export function linuxPlatforms(arch: string, libc: TagPlatform['libc'] = DEFAULT_GLIBC): string[] {
  const normalized = linuxArch(arch);
  // A 32-bit ARMv8 userland also runs ARMv7 binaries.
  const archs = normalized === 'armv8l' ? ['armv8l', 'armv7l'] : [normalized];
  const tags: string[] = [];
  for (const a of archs) {
    if (libc.flavor === 'manylinux') tags.push(...manylinuxPlatforms(a, libc.major, libc.minor));
    else tags.push(...musllinuxPlatforms(a, libc.major, libc.minor));
  }
  for (const a of archs) tags.push(`linux_${a}`);
  return tags;
}

/** Every platform tag `platform` accepts, best first. */
export function platformTags(platform: TagPlatform): string[] {
  switch (platform.os) {
    case 'linux':
      return linuxPlatforms(platform.arch, platform.libc);
    case 'macos': {
      const version = platform.macos ?? DEFAULT_MACOS;
      return macPlatforms(version.major, version.minor, macArch(platform.arch));
    }
    case 'windows':
      return windowsPlatforms(platform.arch);
  }
}
