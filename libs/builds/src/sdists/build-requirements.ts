/**
 * The build requirements of an sdist (PEP 518): `[build-system] requires` of the
 * `pyproject.toml` at the root of the archive, or, when it has none, what pip assumes for a
 * setuptools project (`setuptools>=40.8.0` and `wheel`). A setuptools backend is also given
 * `wheel`: before setuptools 70.1 its `get_requires_for_build_wheel` asks for it, and the build
 * runs with no index to fetch it from. Only the root's `pyproject.toml` counts (a vendored
 * project's deeper down does not).
 */
import { archiveFormatOf, readArchiveMember } from '@venvfarm/artifacts';
import { parseRequirement } from '@venvfarm/pep508';
import { parse as parseToml } from 'smol-toml';

/** What pip builds a project with that declares nothing (PEP 517's fallback). */
export const LEGACY_BUILD_REQUIREMENTS: readonly string[] = ['setuptools>=40.8.0', 'wheel'];

/** pyproject.toml files are small; a larger one is refused rather than read into memory. */
const LARGEST_PYPROJECT = 1 << 20;

/** An sdist whose build requirements cannot be read (its format, a broken archive or pyproject.toml). */
export class UnreadableSdistError extends Error {
  constructor(
    readonly filename: string,
    reason: string,
  ) {
    super(`${filename}: ${reason}`);
    this.name = 'UnreadableSdistError';
  }
}

/** The requirements of a parsed `pyproject.toml` (see the module comment). */
export function buildRequirementsOf(pyproject: Record<string, unknown> | null, filename = 'pyproject.toml'): string[] {
  const system = pyproject?.['build-system'];
  if (system === undefined || system === null) return [...LEGACY_BUILD_REQUIREMENTS];
  const requires = (system as Record<string, unknown>).requires;
  if (!Array.isArray(requires) || !requires.every((r) => typeof r === 'string')) throw new UnreadableSdistError(filename, '[build-system] requires is not a list of strings');
  const backend = (system as Record<string, unknown>)['build-backend'];
  const setuptools = backend === undefined || (typeof backend === 'string' && backend.startsWith('setuptools.'));
  let named: Set<string>;
  try {
    named = new Set(requires.map((text) => parseRequirement(text).name));
  } catch (error) {
    throw new UnreadableSdistError(filename, `[build-system] requires: ${(error as Error).message.split('\n')[0]}`);
  }
  return setuptools && named.has('setuptools') && !named.has('wheel') ? [...requires, 'wheel'] : [...requires];
}

/** Whether an archive member is the project's own `pyproject.toml`: `<base>/pyproject.toml`. */
function isRootPyproject(name: string): boolean {
  const parts = name.replace(/^\.\//, '').split('/');
  return parts.length === 2 && parts[1] === 'pyproject.toml';
}

/**
 * The build requirements of the sdist at `path` (its name: `filename`). Reads `.tar.gz`, `.tgz`
 * and `.tar` archives (PEP 625's format and its uncompressed form) and `.zip` (the legacy format
 * of many older releases, which pip builds too).
 * @throws UnreadableSdistError
 */
export async function readBuildRequirements(path: string, filename: string): Promise<string[]> {
  const format = filename.endsWith('.whl') ? null : archiveFormatOf(filename);
  if (format === null) throw new UnreadableSdistError(filename, 'only .tar.gz, .tar and .zip sdists can be built; this format is not read');
  let text: string | null;
  try {
    text = (await readArchiveMember(path, format, isRootPyproject, LARGEST_PYPROJECT))?.bytes.toString('utf8') ?? null;
  } catch (error) {
    throw new UnreadableSdistError(filename, `the archive cannot be read: ${(error as Error).message}`);
  }
  if (text === null) return [...LEGACY_BUILD_REQUIREMENTS];
  let pyproject: Record<string, unknown>;
  try {
    pyproject = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new UnreadableSdistError(filename, `pyproject.toml is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  return buildRequirementsOf(pyproject, filename);
}
