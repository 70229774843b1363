/**
 * A {@link Provider} over data held in memory: tests, the packse conformance runner, benchmarks.
 *
 * Releases are described the way an index would serve them, with one convenience: `extras` maps an
 * extra to its requirements, which become `Requires-Dist` entries guarded by `extra == "…"` (and
 * `Provides-Extra`), exactly as a wheel's METADATA spells them. Answers are synchronous.
 */
import { SpecifierSet, Version } from '@venvfarm/pep440';
import { normalizeName } from '@venvfarm/pep508';
import type { Candidate, CandidateFiles, CandidateList, MetadataUnavailable, Provider, ReleaseMetadata } from './provider';

/** One release in memory. */
export interface InMemoryRelease {
  /** `Requires-Dist` (PEP 508 strings). */
  readonly requires?: readonly string[];
  /** Extra name → its requirements (markers allowed; `extra == "name"` is added). */
  readonly extras?: Readonly<Record<string, readonly string[]>>;
  /** Requires-Python, e.g. `>=3.9`. */
  readonly requiresPython?: string | null;
  /** PEP 592: `true` or the reason. */
  readonly yanked?: boolean | string;
  /** Files; absent means installable anywhere. */
  readonly files?: CandidateFiles;
  /** Make the metadata unavailable, with this reason. */
  readonly metadataUnavailable?: string;
}

/** Project name → version string → release. */
export type InMemoryIndex = Readonly<Record<string, Readonly<Record<string, InMemoryRelease>>>>;

interface StoredRelease {
  readonly candidate: Candidate;
  readonly metadata: ReleaseMetadata | MetadataUnavailable;
}

/** A provider over an {@link InMemoryIndex}; counts calls for tests. */
export class InMemoryProvider implements Provider {
  private readonly projects = new Map<string, Map<string, StoredRelease>>();
  /** How many times each method was called. */
  readonly calls = { listCandidates: 0, getMetadata: 0 };

  constructor(index: InMemoryIndex) {
    for (const [rawName, releases] of Object.entries(index)) {
      const name = normalizeName(rawName);
      const stored = this.projects.get(name) ?? new Map<string, StoredRelease>();
      for (const [versionText, release] of Object.entries(releases)) {
        const version = Version.parse(versionText);
        stored.set(version.toString(), { candidate: toCandidate(version, release), metadata: toMetadata(release) });
      }
      this.projects.set(name, stored);
    }
  }

  listCandidates(name: string): CandidateList {
    this.calls.listCandidates++;
    const releases = this.projects.get(normalizeName(name));
    return releases === undefined ? null : [...releases.values()].map((r) => r.candidate);
  }

  getMetadata(name: string, version: Version): ReleaseMetadata | MetadataUnavailable {
    this.calls.getMetadata++;
    const release = this.projects.get(normalizeName(name))?.get(version.toString());
    if (release === undefined) return { unavailable: `${name}==${version.toString()} is not in the index` };
    return release.metadata;
  }
}

function toCandidate(version: Version, release: InMemoryRelease): Candidate {
  return {
    version,
    yanked: release.yanked ?? false,
    requiresPython: release.requiresPython ? SpecifierSet.parse(release.requiresPython) : null,
    ...(release.files ? { files: release.files } : {}),
  };
}

function toMetadata(release: InMemoryRelease): ReleaseMetadata | MetadataUnavailable {
  if (release.metadataUnavailable !== undefined) return { unavailable: release.metadataUnavailable };
  const requiresDist = [...(release.requires ?? [])];
  for (const [extra, requirements] of Object.entries(release.extras ?? {})) {
    for (const requirement of requirements) requiresDist.push(guardWithExtra(requirement, extra));
  }
  return { requiresDist, providesExtra: Object.keys(release.extras ?? {}) };
}

/** `b>=1; python_version < "3.12"` for extra `x` → `b>=1; (python_version < "3.12") and extra == "x"`. */
export function guardWithExtra(requirement: string, extra: string): string {
  const semicolon = requirement.indexOf(';');
  const guard = `extra == "${extra}"`;
  if (semicolon < 0) return `${requirement}; ${guard}`;
  return `${requirement.slice(0, semicolon).trimEnd()}; (${requirement.slice(semicolon + 1).trim()}) and ${guard}`;
}
