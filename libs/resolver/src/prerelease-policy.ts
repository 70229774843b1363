/**
 * Pre-release policy: which pre-releases (PEP 440 "Handling of pre-releases": `a`, `b`, `rc` and
 * `.dev` versions) a requirement may select.
 *
 * - `disallow`: never.
 * - `allow`: whenever the specifier matches them (uv `--prerelease=allow`, pip `--pre`).
 * - `if-necessary`: PEP 440's literal rule (packaging 26's `SpecifierSet.filter`), per
 *   requirement: when its specifier names a pre-release explicitly (`>=2.0b1`), or when no usable
 *   final release satisfies it (`a>0.1` with only `1.0a1` above 0.1).
 * - `if-necessary-or-explicit` (the default, and uv's): per project, when the project has no
 *   final release at all, or when a first-party requirement (the user's requirements and
 *   constraints) names a pre-release of it explicitly; then every requirement on the project may
 *   select them.
 *
 * Why the default is uv's: it is also what pip 23 does in practice. pip merges every specifier on
 * a project into one set and filters with packaging 21's rule, so it refuses `a>0.1` when only
 * `1.0a1` is above 0.1 (PEP 440's literal rule would take it), and an explicit pre-release in one
 * requirement lets the others select it too. packse's `prereleases/` scenarios pin this down.
 */
import type { SpecifierSet } from '@venvfarm/pep440';
import { VersionSet } from './version-set';

/** The pre-release policies the resolver knows. */
export type PrereleasePolicy = 'disallow' | 'allow' | 'if-necessary' | 'if-necessary-or-explicit';

/** The policy used when none is asked for (see the module comment for why). */
export const DEFAULT_PRERELEASE_POLICY: PrereleasePolicy = 'if-necessary-or-explicit';

/** The pre-release policies, for validation of user input. */
export const PRERELEASE_POLICIES: readonly PrereleasePolicy[] = ['disallow', 'allow', 'if-necessary', 'if-necessary-or-explicit'];

/** What the policy needs to know about the project a requirement names. */
export interface PrereleaseFacts {
  /** Candidates that are pre-releases. */
  readonly prereleases: VersionSet;
  /** Candidates that can be used at all (Requires-Python, files, yanks). */
  readonly usable: VersionSet;
  /** Whether the project has any final (non-pre) release, usable or not. */
  readonly hasFinal: boolean;
  /** Whether a first-party requirement names a pre-release of the project explicitly. */
  readonly explicitFirstParty: boolean;
}

/**
 * Restricts `raw`, the candidates `specifier` matches by PEP 440 alone (pre-releases included),
 * to those the policy lets this requirement select.
 */
export function applyPrereleasePolicy(
  policy: PrereleasePolicy,
  specifier: SpecifierSet,
  raw: VersionSet,
  facts: PrereleaseFacts,
): VersionSet {
  switch (policy) {
    case 'allow':
      return raw;
    case 'disallow':
      return raw.minus(facts.prereleases);
    case 'if-necessary': {
      if (specifier.prereleases) return raw;
      const finals = raw.minus(facts.prereleases);
      return finals.isDisjointFrom(facts.usable) ? raw : finals;
    }
    case 'if-necessary-or-explicit':
      return !facts.hasFinal || facts.explicitFirstParty ? raw : raw.minus(facts.prereleases);
  }
}

