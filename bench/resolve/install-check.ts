/**
 * Checks that a pinned set is a valid installation, independently of the resolver and of the
 * mirror: each pin's requirements, markers and Requires-Python are read from the upstream's JSON
 * API (`/pypi/<name>/<version>/json`) and checked with libs/pep440 and libs/pep508 alone. A set
 * is valid when every root requirement and every requirement of a pin that applies on the
 * target (with the extras the set activates) is satisfied by a pin, every pin admits the
 * target's Python, no pin is yanked unless a root pins it exactly, and every pin has a file the
 * target can install.
 */
import { SpecifierSet, Version } from '@venvfarm/pep440';
import { parseRequirement, Requirement, Target } from '@venvfarm/pep508';
import { parseWheelFilename, TagPriority } from '@venvfarm/wheel';

interface ReleaseJson {
  info: { requires_dist: string[] | null; requires_python: string | null; yanked: boolean };
  urls: { filename: string; packagetype: string }[];
}

/** Requires-Python as pip reads it: unparsable text is ignored. */
function parseOrNull(text: string | null): SpecifierSet | null {
  if (text === null || text.trim() === '') return null;
  try {
    return SpecifierSet.parse(text);
  } catch {
    return null;
  }
}

export class InstallChecker {
  private readonly cache = new Map<string, Promise<ReleaseJson>>();
  private readonly priority: TagPriority;

  constructor(
    private readonly baseUrl: string,
    private readonly target: Target,
  ) {
    this.priority = new TagPriority(target);
  }

  private release(name: string, version: string): Promise<ReleaseJson> {
    const key = `${name}==${version}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      found = fetch(`${this.baseUrl}/pypi/${name}/${version}/json`).then((r) => {
        if (!r.ok) throw new Error(`${key}: JSON API answered ${r.status}`);
        return r.json() as Promise<ReleaseJson>;
      });
      this.cache.set(key, found);
    }
    return found;
  }

  /** The problems of a pinned set (empty when it is a valid installation). */
  async problems(roots: readonly Requirement[], pins: ReadonlyMap<string, { version: string; extras: readonly string[] }>): Promise<string[]> {
    const env = this.target.markers;
    const problems: string[] = [];
    const satisfied = (r: Requirement, by: string) => {
      const pin = pins.get(r.name);
      if (pin === undefined) return problems.push(`${by} requires ${r.toString()}, which is not pinned`);
      if (!r.specifier.contains(Version.parse(pin.version), { prereleases: true })) problems.push(`${by} requires ${r.toString()}, but ${r.name}==${pin.version} is pinned`);
      for (const extra of r.extras) if (!pin.extras.includes(extra)) problems.push(`${by} requires ${r.name}[${extra}], which the set does not activate`);
      return 0;
    };
    const exact = new Set<string>(roots.filter((r) => r.specifier.specifiers.some((c) => c.operator === '==' || c.operator === '===')).map((r) => r.name));
    for (const root of roots) if (root.marker === null || root.marker.evaluate(env)) satisfied(root, 'the request');
    await Promise.all(
      [...pins].map(async ([name, pin]) => {
        const json = await this.release(name, pin.version);
        const requiresPython = parseOrNull(json.info.requires_python);
        if (requiresPython !== null && !requiresPython.contains(this.target.pythonFull, { prereleases: true })) {
          problems.push(`${name}==${pin.version} requires Python ${requiresPython.toString()}`);
        }
        if (json.info.yanked && !exact.has(name)) problems.push(`${name}==${pin.version} is yanked`);
        const installable = json.urls.some((f) => f.packagetype === 'sdist' || (f.filename.endsWith('.whl') && this.priority.bestRank(parseWheelFilename(f.filename).tags) !== null));
        if (!installable) problems.push(`${name}==${pin.version} has no file for the target`);
        for (const text of json.info.requires_dist ?? []) {
          let requirement: Requirement;
          try {
            requirement = parseRequirement(text);
          } catch {
            continue; // legacy syntax (`pytz (>dev)`) that no current installer reads
          }
          const applies = requirement.marker === null || requirement.marker.evaluate(env) || pin.extras.some((e) => requirement.marker!.evaluate(env, e));
          if (applies) satisfied(requirement, `${name}==${pin.version}`);
        }
      }),
    );
    return problems;
  }
}
