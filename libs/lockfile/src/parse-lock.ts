/**
 * A lock as a client sends it to be built as is: a PEP 751 `pylock.toml`, or a requirements.txt
 * whose every requirement is pinned (`name==version`) with its files' sha256 (`--hash`), as
 * `pip-compile --generate-hashes` or `uv pip compile --generate-hashes` write it. Only names,
 * versions, hashes and markers are read: a lock's URLs and indexes are the client's, and the
 * server fetches nothing a client chose (it finds the files by their hashes in its own mirror).
 */
import { Marker, normalizeName, parseMarker, parseRequirementsTxt } from '@venvfarm/pep508';
import { InputError, Version } from '@venvfarm/pep440';
import { parse as parseToml } from 'smol-toml';

/** One pinned release of a lock and the hashes of the files it allows. */
export interface LockedRequirement {
  /** PEP 503 normalized. */
  readonly name: string;
  /** Normalized PEP 440. */
  readonly version: string;
  /** Lower-case hex sha256 of each file the lock allows for it. */
  readonly sha256: readonly string[];
  /** Where the lock limits it to some environments; null for all. */
  readonly marker: Marker | null;
}

export interface ParsedLock {
  readonly format: 'pylock.toml' | 'requirements.txt';
  readonly requirements: readonly LockedRequirement[];
}

/** A lock that cannot be built as is; `line` (1-based) when the problem has one. */
export class InvalidLockError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = 'InvalidLockError';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

function checked(name: string, version: string, sha256: readonly string[], marker: Marker | null, line: number | null): LockedRequirement {
  if (sha256.length === 0) throw new InvalidLockError(`${name}==${version} has no sha256 hash: a lock names the files it allows by their hashes`, line);
  const bad = sha256.find((digest) => !SHA256.test(digest));
  if (bad !== undefined) throw new InvalidLockError(`${name}==${version}: '${bad}' is not a sha256 digest (64 hex digits)`, line);
  let normalized: string;
  try {
    normalized = Version.parse(version).toString();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InvalidLockError(`${name}: '${version}' is not a PEP 440 version`, line);
  }
  return { name: normalizeName(name), version: normalized, sha256: [...new Set(sha256)], marker };
}

function fromRequirementsTxt(text: string): LockedRequirement[] {
  let parsed;
  try {
    parsed = parseRequirementsTxt(text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InvalidLockError(error.reason, (error as InputError & { line?: number }).line ?? null);
  }
  return parsed.requirements.map(({ requirement, sha256, line }) => {
    const specifiers = requirement.specifier.toString().split(',').filter(Boolean);
    const pinned = specifiers.length === 1 ? /^===?\s*([^*\s]+)$/.exec(specifiers[0]) : null;
    if (requirement.url !== null || pinned === null) throw new InvalidLockError(`${requirement.name} is not pinned to one version (name==version): a lock is built as is, not resolved`, line);
    return checked(requirement.name, pinned[1], sha256, requirement.marker, line);
  });
}

/** The sha256 of a pylock file table, or null. */
function fileSha256(file: unknown): string | null {
  const hashes = (file as { hashes?: unknown } | null)?.hashes;
  const sha256 = (hashes as { sha256?: unknown } | undefined)?.sha256;
  return typeof sha256 === 'string' ? sha256.toLowerCase() : null;
}

function fromPylock(text: string): LockedRequirement[] {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const line = (error as { line?: number }).line ?? null;
    throw new InvalidLockError(`not valid TOML: ${(error as Error).message.split('\n')[0]}`, line);
  }
  const packages = document.packages;
  if (!Array.isArray(packages)) throw new InvalidLockError('a pylock.toml lists its packages in [[packages]]');
  return packages.map((entry: unknown, i) => {
    const pkg = entry as Record<string, unknown>;
    const where = `packages[${i}]`;
    if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string') throw new InvalidLockError(`${where} needs a name and a version (a lock is built as is)`);
    const files = [...(Array.isArray(pkg.wheels) ? pkg.wheels : []), ...(pkg.sdist === undefined ? [] : [pkg.sdist])];
    const sha256 = files.map(fileSha256).filter((digest): digest is string => digest !== null);
    let marker: Marker | null = null;
    if (typeof pkg.marker === 'string') {
      try {
        marker = parseMarker(pkg.marker);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InvalidLockError(`${where}.marker: ${error.reason}`);
      }
    }
    return checked(pkg.name, pkg.version, sha256, marker, null);
  });
}

/** Whether the text is a pylock.toml (it says its `lock-version`) rather than a requirements.txt. */
const isPylock = (text: string) => /^\s*lock-version\s*=/m.test(text);

/** Parses a lock. @throws InvalidLockError */
export function parseLock(text: string): ParsedLock {
  const pylock = isPylock(text);
  const requirements = pylock ? fromPylock(text) : fromRequirementsTxt(text);
  if (requirements.length === 0) throw new InvalidLockError('the lock pins nothing');
  const seen = new Map<string, string>();
  for (const r of requirements) {
    const other = seen.get(r.name);
    if (other !== undefined && other !== r.version && r.marker === null) throw new InvalidLockError(`${r.name} is pinned twice (${other} and ${r.version}) without markers to choose between them`);
    seen.set(r.name, r.version);
  }
  return { format: pylock ? 'pylock.toml' : 'requirements.txt', requirements };
}
