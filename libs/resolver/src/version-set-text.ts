/**
 * Renders a version set of one project as PEP 440-looking text for explanations.
 *
 * A set that came straight from a specifier shows that specifier (`b>=2`). Otherwise runs of
 * consecutive candidates are compressed into ranges bounded by real candidates: `a==1.0`,
 * `a<1.2`, `a>=1.0,<2.0`, `a!=1.5`, several runs joined by ` | `. Bounds are exact over the
 * known candidates (the set is), which is all a reader needs: `a<2.0` means "every listed release
 * below 2.0". The whole list of a multi-release project reads as the bare name.
 */
import type { Version } from '@venvfarm/pep440';
import { VersionSet } from './version-set';

/** At most this many `!=` clauses before falling back to ranges. */
const MAX_EXCLUSIONS = 3;

/** `name` restricted to `set`, over the project's sorted `versions`. */
export function describeVersionSet(name: string, versions: readonly Version[], set: VersionSet): string {
  if (set.label !== undefined) return `${name}${set.label}`;
  const n = versions.length;
  if (n === 0) return name;
  if (set.isEmpty) return `${name} (no version)`;
  if (set.isFull) return n === 1 ? `${name}==${versions[0].toString()}` : name;
  const runs = runsOf(set);
  if (runs.length === 1) return `${name}${runText(runs[0], versions)}`;
  const gaps = runsOf(set.complement());
  if (gaps.length <= MAX_EXCLUSIONS && gaps.every(([lo, hi]) => lo === hi)) {
    return `${name}${gaps.map(([lo]) => `!=${versions[lo].toString()}`).join(',')}`;
  }
  return `${name}${runs.map((run) => runText(run, versions)).join(' | ')}`;
}

/** Maximal runs of consecutive indexes, as inclusive `[first, last]` pairs. */
export function runsOf(set: VersionSet): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const i of set.indexes()) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

function runText([lo, hi]: [number, number], versions: readonly Version[]): string {
  if (lo === hi) return `==${versions[lo].toString()}`;
  const lower = lo === 0 ? null : `>=${versions[lo].toString()}`;
  const upper = hi === versions.length - 1 ? null : `<${versions[hi + 1].toString()}`;
  return [lower, upper].filter((x) => x !== null).join(',');
}
