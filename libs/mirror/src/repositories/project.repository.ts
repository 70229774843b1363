/**
 * Reads one project of the mirror with its releases, files and parsed dependencies, for
 * `GET /v1/projects/{name}`. Dependencies of a release are those of its first file with known
 * metadata (wheels first), which is what an installer reads.
 */
import type { Pool } from 'pg';
import { query } from '@venvfarm/db';

/** A file of a release. */
export interface ProjectFileView {
  filename: string;
  kind: string;
  sha256: string | null;
  size: number | null;
  url: string | null;
  requires_python: string | null;
  yanked: false | string;
}

/** One parsed Requires-Dist entry. */
export interface DependencyView {
  requirement: string;
  name: string | null;
  specifier: string | null;
  marker: string | null;
  url: string | null;
  invalid: string | null;
}

/** A release with its files and dependencies. */
export interface ReleaseView {
  version: string;
  invalid: boolean;
  yanked: false | string;
  requires_python: string | null;
  upload_time: string | null;
  serial: number;
  files: ProjectFileView[];
  provides_extras: string[];
  dependencies: DependencyView[];
}

/** A project as the API shows it. */
export interface ProjectView {
  name: string;
  serial: number;
  releases: ReleaseView[];
}

interface FileRow {
  release_id: string;
  version: string;
  invalid: boolean;
  yanked: boolean;
  yanked_reason: string | null;
  requires_python: string | null;
  upload_time: Date | null;
  serial: string;
  filename: string | null;
  kind: string | null;
  sha256: string | null;
  size: string | null;
  url: string | null;
  file_requires_python: string | null;
  file_yanked: boolean | null;
  file_yanked_reason: string | null;
  metadata_id: number | null;
}

interface RequirementRow {
  metadata_id: number;
  provides_extras: string[];
  text: string;
  target: string | null;
  specifier: string | null;
  marker: string | null;
  url: string | null;
  invalid: string | null;
}

const yank = (yanked: boolean | null, reason: string | null): false | string => (yanked ? (reason ?? '') : false);

/** Reads projects of one index. */
export class ProjectRepository {
  constructor(
    private readonly pool: Pool,
    private readonly indexName = 'pypi',
  ) {}

  /** The project, or null when the mirror does not have it. `name` must be normalized. */
  async find(name: string): Promise<ProjectView | null> {
    const project = await this.pool.query<{ id: number; name: string; serial: string }>(query('projects/find-project'), [this.indexName, name]);
    if (project.rowCount === 0) return null;
    const { id, serial } = project.rows[0];
    const rows = (await this.pool.query<FileRow>(query('projects/project-files'), [id])).rows;

    const releases = new Map<string, ReleaseView & { metadataId: number | null }>();
    for (const row of rows) {
      let release = releases.get(row.release_id);
      if (release === undefined) {
        release = {
          version: row.version,
          invalid: row.invalid,
          yanked: yank(row.yanked, row.yanked_reason),
          requires_python: row.requires_python,
          upload_time: row.upload_time?.toISOString() ?? null,
          serial: Number(row.serial),
          files: [],
          provides_extras: [],
          dependencies: [],
          metadataId: null,
        };
        releases.set(row.release_id, release);
      }
      if (row.filename === null) continue;
      release.files.push({
        filename: row.filename,
        kind: row.kind!,
        sha256: row.sha256,
        size: row.size === null ? null : Number(row.size),
        url: row.url,
        requires_python: row.file_requires_python,
        yanked: yank(row.file_yanked, row.file_yanked_reason),
      });
      release.metadataId ??= row.metadata_id;
    }

    const metadataIds = [...new Set([...releases.values()].map((r) => r.metadataId).filter((m): m is number => m !== null))];
    const requirements = new Map<number, { extras: string[]; deps: DependencyView[] }>();
    if (metadataIds.length > 0) {
      for (const row of (await this.pool.query<RequirementRow>(query('projects/metadata-requirements'), [metadataIds])).rows) {
        let entry = requirements.get(row.metadata_id);
        if (entry === undefined) requirements.set(row.metadata_id, (entry = { extras: row.provides_extras, deps: [] }));
        entry.deps.push({ requirement: row.text, name: row.target, specifier: row.specifier, marker: row.marker, url: row.url, invalid: row.invalid });
      }
    }
    return {
      name: project.rows[0].name,
      serial: Number(serial),
      releases: [...releases.values()].map(({ metadataId, ...release }) => {
        const meta = metadataId === null ? undefined : requirements.get(metadataId);
        return { ...release, provides_extras: meta?.extras ?? [], dependencies: meta?.deps ?? [] };
      }),
    };
  }
}
