/**
 * Walking a directory tree without following symlinks, in a stable order.
 *
 * Order is bytewise on the UTF-8 relative path (not locale order, not readdir order), which is
 * what makes packing deterministic: `a/b` sorts after `a` and after `a-b`, so a directory always
 * comes before what it contains.
 */
import { promises as fs, Stats } from 'node:fs';
import * as path from 'node:path';

/** One entry of a tree: its `/`-separated path relative to the root, and its `lstat`. */
export interface TreeEntry {
  readonly rel: string;
  readonly abs: string;
  readonly stats: Stats;
}

/** Compares two relative paths bytewise on their UTF-8 encoding. */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Every entry under `root` (the root itself excluded), sorted bytewise by relative path. */
export async function walkTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    const names = await fs.readdir(absDir);
    for (const name of names) {
      const abs = path.join(absDir, name);
      const rel = relDir ? `${relDir}/${name}` : name;
      const stats = await fs.lstat(abs);
      out.push({ rel, abs, stats });
      if (stats.isDirectory()) await visit(abs, rel);
    }
  };
  await visit(root, '');
  return out.sort((x, y) => compareBytewise(x.rel, y.rel));
}
