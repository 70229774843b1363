/**
 * Real inputs for the core benchmarks: version strings and requires-python specifier sets from
 * the PyPI metadata snapshot in ../shared/data/pypi-2023-09 (read shard by shard until enough).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const DATA_DIR = resolve(__dirname, '../../../shared/data/pypi-2023-09');

interface ProjectLine {
  name: string;
  versions: { version: string; invalid?: boolean; files: { requires_python: string | null }[] }[];
}

/** Up to `limit` valid version strings (in file order) and the distinct requires-python strings seen. */
export function loadCorpus(limit: number): { versions: string[]; requiresPython: string[] } {
  const versions: string[] = [];
  const requiresPython = new Set<string>();
  const shards = readdirSync(join(DATA_DIR, 'projects')).filter((f) => f.endsWith('.jsonl.gz')).sort();
  for (const shard of shards) {
    const text = gunzipSync(readFileSync(join(DATA_DIR, 'projects', shard))).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const project = JSON.parse(line) as ProjectLine;
      for (const v of project.versions) {
        if (v.invalid) continue;
        versions.push(v.version);
        for (const f of v.files) if (f.requires_python) requiresPython.add(f.requires_python);
        if (versions.length >= limit) return { versions, requiresPython: [...requiresPython] };
      }
    }
  }
  return { versions, requiresPython: [...requiresPython] };
}
