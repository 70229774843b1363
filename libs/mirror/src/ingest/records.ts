/**
 * What the mirror ingests, whatever the source (a dump of ../shared/data/pypi-2023-09, an
 * upstream PEP 691 index, an upload): one project with its releases and files, as published.
 * Writers turn these into rows (sortable keys, shared metadata, parsed requirements).
 */

/** One distribution file. */
export interface FileRecord {
  readonly filename: string;
  /** Hex sha256 of the file, when known (dumps have none). */
  readonly sha256?: string | null;
  readonly size?: number | null;
  readonly url?: string | null;
  readonly requiresPython: string | null;
  /** false, or the yank reason ('' when none was given). */
  readonly yanked: false | string;
  /** Requires-Dist as published; null when the file's metadata is not known (yet). */
  readonly requiresDist: readonly string[] | null;
  readonly providesExtras: readonly string[];
  /** Hex sha256 of the PEP 658 `.metadata` file, when the index advertises one. */
  readonly metadataSha256?: string | null;
  readonly synthetic?: boolean;
  readonly uploadTime?: string | null;
}

/** One release (version) of a project. */
export interface ReleaseRecord {
  /** The version as published (may be invalid PEP 440; kept and flagged). */
  readonly version: string;
  readonly serial: number;
  readonly uploadTime: string | null;
  readonly files: readonly FileRecord[];
  /**
   * false, or the yank reason, when the source yanks releases as a whole (PEP 592). When
   * absent, a release counts as yanked when it has files and every one of them is.
   */
  readonly yanked?: false | string;
}

/** One project and everything known of it. */
export interface ProjectRecord {
  /** PEP 503 normalized name. */
  readonly name: string;
  /** The project's last serial upstream, or {@link PENDING_SERIAL}. */
  readonly serial: number;
  readonly releases: readonly ReleaseRecord[];
}

/**
 * The serial of a project whose files are listed while their metadata is still being fetched
 * (sync/ensure-project.ts): the resolver's queries take such a project as not mirrored yet.
 */
export const PENDING_SERIAL = -1;
