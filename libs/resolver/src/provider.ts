/**
 * The provider contract: what the resolver asks of a package index.
 *
 * Two questions, each asked at most once per project or release in one resolution:
 *
 * 1. {@link Provider.listCandidates}: every release of a project, with what decides whether a
 *    release is usable at all (its version, whether it was yanked (PEP 592), its Requires-Python
 *    (PEP 345 / core metadata), and its files). The resolver sorts and indexes them; from then on a
 *    version set is an exact set over that list.
 * 2. {@link Provider.getMetadata}: the core metadata of one release that matters for resolution,
 *    its `Requires-Dist` (PEP 508 strings) and `Provides-Extra`.
 *
 * Answers may be promises (a PostgreSQL-backed index) or plain values (the in-memory provider).
 * Failure comes in two kinds, as in uv's `resolver/provider.rs`: metadata that is *unavailable*
 * for one release (missing, unparsable) is an answer, `{ unavailable: reason }`, which the resolver
 * records as an incompatibility and words in the explanation; anything thrown is a real failure
 * (the index is down) and aborts the resolution.
 *
 * Markers, extras, the pre-release policy, yanks and Requires-Python are applied by the resolver,
 * not by the provider: the provider reports facts about the index, independent of the target.
 */
import type { SpecifierSet, Version } from '@venvfarm/pep440';
import type { MaybePromise } from './solver';

/** The files of one release, as far as resolution cares. */
export interface CandidateFiles {
  /** Wheel filenames (PEP 427), e.g. `a-1.0-py3-none-any.whl`; the resolver matches their tags. */
  readonly wheels: readonly string[];
  /** Whether the release has a source distribution. */
  readonly sdist: boolean;
}

/** One release of a project. */
export interface Candidate {
  readonly version: Version;
  /** PEP 592: `true` or the yank reason. Yanked releases are used only when pinned exactly. */
  readonly yanked?: boolean | string;
  /** The release's Requires-Python; null or absent when it declares none. */
  readonly requiresPython?: SpecifierSet | null;
  /** Its files; absent means "assume it can be installed" (no file check). */
  readonly files?: CandidateFiles;
}

/** The listing of a project. */
export type CandidateList =
  /** The project exists; its releases in any order (an empty list is a project with no releases). */
  | readonly Candidate[]
  /** The index does not know the project. */
  | null;

/** The resolution-relevant core metadata of one release. */
export interface ReleaseMetadata {
  /** `Requires-Dist` entries, PEP 508 strings (markers may test `extra`). */
  readonly requiresDist: readonly string[];
  /** `Provides-Extra` names; absent when unknown. Only used to warn about unknown extras. */
  readonly providesExtra?: readonly string[];
}

/** Metadata that cannot be had for one release, with the reason to show the user. */
export interface MetadataUnavailable {
  readonly unavailable: string;
}

/** A package index, as the resolver sees it. */
export interface Provider {
  /**
   * Every release of project `name` (PEP 503 normalized), or null when the index has no such
   * project. Called once per project per resolution.
   */
  listCandidates(name: string): MaybePromise<CandidateList>;
  /**
   * The metadata of release `version` of `name` (one of the versions listed). Called at most once
   * per release per resolution, only for releases the solver tries.
   */
  getMetadata(name: string, version: Version): MaybePromise<ReleaseMetadata | MetadataUnavailable>;
}
