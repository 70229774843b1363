/**
 * The queries of the resolve use case (sql/queries/resolve/): release listings of the candidate
 * projects, the files of pinned releases, release metadata, and the serials that decide whether
 * a cached answer is still valid. Prepared statements by name, as they run on every resolve.
 */
import { query } from '@venvfarm/db';
import type { Pool } from 'pg';

/** One release of a listed project (version null: a project without releases). */
export interface ListingRow {
  project: string;
  project_serial: string;
  version: string | null;
  yanked: boolean;
  yanked_reason: string | null;
  requires_python: string | null;
  wheel: string | null;
  sdist: boolean | null;
}

/** One installable file of a pinned release. */
export interface PinnedFileRow {
  project: string;
  version: string;
  filename: string;
  file_kind: 'wheel' | 'sdist';
  tags: string[] | null;
  sha256: string | null;
  url: string | null;
  file_yanked: boolean;
}

/** The metadata of one file of a release. */
export interface ReleaseMetadataRow {
  version: string;
  filename: string;
  file_kind: string;
  tags: string[] | null;
  requires_python: string | null;
  provides_extras: string[];
  requirements: string[];
}

export class ResolveRepository {
  constructor(private readonly pool: Pool) {}

  /** The releases of `names` with one compatible wheel (best tag for `tags`) and an sdist flag each. */
  async listReleases(names: readonly string[], indexes: readonly string[], tags: readonly string[], excludeNewer: Date | null): Promise<ListingRow[]> {
    const { rows } = await this.pool.query<ListingRow>({ name: 'venvfarm-list-releases', text: query('resolve/list-releases'), values: [names, indexes, tags, excludeNewer] });
    return rows;
  }

  /** Every file of the pinned releases (`names[i]` at `versions[i]`, as published) the target may install. */
  async pinnedFiles(names: readonly string[], versions: readonly string[], indexes: readonly string[], tags: readonly string[], excludeNewer: Date | null): Promise<PinnedFileRow[]> {
    const { rows } = await this.pool.query<PinnedFileRow>({ name: 'venvfarm-pinned-files', text: query('resolve/pinned-files'), values: [names, versions, indexes, tags, excludeNewer] });
    return rows;
  }

  /** The metadata of every file of the project's releases at `versions` (as published). */
  async releaseMetadata(name: string, versions: readonly string[], indexes: readonly string[]): Promise<ReleaseMetadataRow[]> {
    const { rows } = await this.pool.query<ReleaseMetadataRow>({ name: 'venvfarm-release-metadata', text: query('resolve/release-metadata'), values: [name, versions, indexes] });
    return rows;
  }

  /** The current serial of each named project the mirror has (absent ones are missing from the map). */
  async projectSerials(names: readonly string[], indexes: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ name: string; serial: string }>({ name: 'venvfarm-project-serials', text: query('resolve/project-serials'), values: [names, indexes] });
    return new Map(rows.map((r) => [r.name, Number(r.serial)]));
  }
}
