/**
 * SQL lives in `sql/` as .sql files (migrations and one query per file). This finds the folder
 * from the running code, whether it runs from sources (tests, tsx) or from a webpack bundle in
 * dist/, and caches each file's text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The repository's `sql/` folder. */
export function sqlDir(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'sql', 'migrations'))) return (root = join(dir, 'sql'));
    if (dirname(dir) === dir) throw new Error(`cannot find the sql/ folder above ${__dirname}`);
  }
}

const cache = new Map<string, string>();

/** The text of `sql/queries/<name>.sql`, e.g. `query('mirror/candidate-closure')`. */
export function query(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(sqlDir(), 'queries', `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}
