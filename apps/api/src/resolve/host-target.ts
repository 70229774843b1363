/**
 * The default target of a request (ARCHITECTURE.md: "the server's own Python and machine"):
 * the version of the `python3` on PATH and this machine's platform, in the shorthand requests
 * use (`x86_64-manylinux_2_36` for glibc 2.36). Worked out once per process.
 */
import { execFileSync } from 'node:child_process';

export interface HostTarget {
  readonly python: string;
  readonly platform: string;
}

let cached: HostTarget | null | undefined;

function hostPlatform(): string {
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? (process.platform === 'darwin' ? 'arm64' : 'aarch64') : process.arch;
  if (process.platform === 'darwin') return `${arch}-macos_14`;
  if (process.platform === 'win32') return `${arch}-windows`;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = header?.glibcVersionRuntime?.match(/^2\.(\d+)/);
  return glibc ? `${arch}-manylinux_2_${glibc[1]}` : `${arch}-musllinux_1_2`;
}

function detect(): HostTarget | null {
  try {
    const python = execFileSync('python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 10_000 }).trim();
    return { python, platform: hostPlatform() };
  } catch {
    return null;
  }
}

/** The host's target, or null when there is no python3 to default to. */
export function hostTarget(): HostTarget | null {
  if (cached === undefined) cached = detect();
  return cached;
}
