/**
 * Hand-made mirror contents for repository specs: a few projects described tersely, written
 * through the real ingest writer (sortable keys, requirement key ranges, expanded wheel tags,
 * metadata stored once), so the queries are tested on rows as an import or a sync makes them.
 */
import { createHash } from 'node:crypto';
import { SpecifierSet } from '@venvfarm/pep440';
import type { Pool } from 'pg';
import { writeProjects } from '../ingest/ingest-writer';
import type { ProjectRecord } from '../ingest/records';

/** A file: a filename, or one with its own metadata. */
export type FixtureFile = string | { filename: string; requiresPython?: string | null; deps?: string[]; extras?: string[]; yanked?: string };

/** A release: metadata shared by its files unless a file says otherwise; default file: a py3-none-any wheel. */
export interface FixtureRelease {
  requiresPython?: string | null;
  deps?: string[];
  extras?: string[];
  files?: FixtureFile[];
  yanked?: string;
}

/** project name → version → release. */
export type Fixture = Record<string, Record<string, FixtureRelease>>;

/** Writes the fixture into an empty, migrated database of the 'pypi' index, through the ingest writer. */
export async function loadFixture(pool: Pool, fixture: Fixture): Promise<void> {
  const records: ProjectRecord[] = Object.entries(fixture).map(([name, releases]) => ({
    name,
    serial: 1,
    releases: Object.entries(releases).map(([version, release]) => ({
      version,
      serial: 1,
      uploadTime: null,
      yanked: release.yanked ?? false,
      files: (release.files ?? [`${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`]).map((entry) => {
        const file = typeof entry === 'string' ? { filename: entry } : entry;
        return {
          filename: file.filename,
          sha256: createHash('sha256').update(file.filename).digest('hex'),
          url: `https://files.example/${file.filename}`,
          requiresPython: file.requiresPython === undefined ? (release.requiresPython ?? null) : file.requiresPython,
          yanked: file.yanked ?? false,
          requiresDist: file.deps ?? release.deps ?? [],
          providesExtras: file.extras ?? release.extras ?? [],
        };
      }),
    })),
  }));
  await writeProjects(pool, 1, records);
}

/** A SpecifierSet from text, for terse specs. */
export const spec = (text: string): SpecifierSet => SpecifierSet.parse(text);
