/**
 * The allow-list and deny-list of a sync (`--include FILE`, `--exclude FILE`), in
 * requirements.txt syntax as Pulp's whitelist sync reads it: one requirement a line, `#`
 * comments, blank lines, `\` continuations. A name alone takes every release; a name with
 * specifiers takes only the releases they admit (pre-releases included: a mirror keeps what a
 * client might ask for). Several lines for one name add up. Markers and extras are ignored (the
 * mirror serves every platform); options (`-r`, `--index-url`, ...), URL requirements and lines
 * that do not parse are reported with their line number and left out.
 */
import { SpecifierSet, Version } from '@venvfarm/pep440';
import { logicalLines, parseRequirement } from '@venvfarm/pep508';

/** A line that was left out, and why. */
export interface AllowListProblem {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/** Parsed list: normalized name → the specifier sets of its lines (an empty set admits all). */
export interface AllowList {
  readonly entries: ReadonlyMap<string, readonly SpecifierSet[]>;
  readonly problems: readonly AllowListProblem[];
}

/** Parses requirements.txt text. Never throws: bad lines become problems. */
export function parseAllowList(text: string): AllowList {
  const entries = new Map<string, SpecifierSet[]>();
  const problems: AllowListProblem[] = [];
  for (const { line: lineNumber, text: stripped } of logicalLines(text)) {
    if (stripped.startsWith('-')) {
      problems.push({ line: lineNumber, text: stripped, reason: 'options are not supported in an allow-list' });
      continue;
    }
    try {
      const requirement = parseRequirement(stripped);
      if (requirement.url !== null) {
        problems.push({ line: lineNumber, text: stripped, reason: 'URL requirements name no index releases' });
        continue;
      }
      const sets = entries.get(requirement.name) ?? [];
      sets.push(requirement.specifier);
      entries.set(requirement.name, sets);
    } catch (error) {
      problems.push({ line: lineNumber, text: stripped, reason: (error as Error).message.split('\n')[0] });
    }
  }
  return { entries, problems };
}

/** Whether `version` matches one of the sets (an empty set matches everything, invalid versions included). */
function matchesAny(sets: readonly SpecifierSet[], version: string): boolean {
  if (sets.some((s) => s.isEmpty)) return true;
  const parsed = Version.tryParse(version);
  if (parsed === null) return false;
  return sets.some((s) => s.contains(parsed, { prereleases: true }));
}

/** What a sync may mirror: the include list (or everything) minus the exclude list. */
export class ReleaseFilter {
  constructor(
    private readonly include: AllowList | null,
    private readonly exclude: AllowList | null,
  ) {}

  /** Whether anything of the project may be mirrored. */
  allowsProject(name: string): boolean {
    if (this.include !== null && !this.include.entries.has(name)) return false;
    const denied = this.exclude?.entries.get(name);
    return !(denied !== undefined && denied.some((s) => s.isEmpty));
  }

  /** Whether this release of an allowed project may be mirrored. */
  allowsRelease(name: string, version: string): boolean {
    const allowed = this.include?.entries.get(name);
    if (this.include !== null && (allowed === undefined || !matchesAny(allowed, version))) return false;
    const denied = this.exclude?.entries.get(name);
    return denied === undefined || !matchesAny(denied, version);
  }

  /** The projects the include list names, or null when it names none (everything). */
  get includedNames(): readonly string[] | null {
    return this.include === null ? null : [...this.include.entries.keys()];
  }

  /** Lets every release of every project through. */
  static readonly ALL = new ReleaseFilter(null, null);
}
