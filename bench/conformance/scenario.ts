/**
 * packse scenarios: the TOML files of ../shared/conformance/packse (see its README), read into
 * typed objects with the format's defaults applied, and turned into what the resolver takes: an
 * in-memory index, requirements and resolve options.
 *
 * Defaults (README "Format, in short"): a release has no requirements, no extras,
 * `requires_python = ">=3.12"`, an sdist and one `py3-none-any` wheel, and is not yanked; the
 * running Python is 3.12; `resolver_options.python` replaces it as the target.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'smol-toml';
import type { InMemoryIndex, InMemoryRelease } from '@venvfarm/resolver';

/** Where the suite lives. */
export const PACKSE_DIR = process.env.PACKSE_DIR ?? resolve(__dirname, '../../../shared/conformance/packse');

/** The platform resolved for when a scenario names none (pep508's `linux`: x86_64, manylinux_2_17). */
export const DEFAULT_PLATFORM = 'linux';

/** One release of a scenario package, defaults applied. */
export interface ScenarioRelease {
  readonly requires: readonly string[];
  readonly extras: Readonly<Record<string, readonly string[]>>;
  readonly requiresPython: string;
  readonly sdist: boolean;
  readonly wheel: boolean;
  readonly yanked: boolean;
  readonly wheelTags: readonly string[];
}

/** One scenario, defaults applied. */
export interface Scenario {
  /** Path relative to the suite, e.g. `extras/extra-required.toml`. */
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly root: { readonly requires: readonly string[]; readonly requiresPython: string | null };
  readonly packages: Readonly<Record<string, Readonly<Record<string, ScenarioRelease>>>>;
  readonly environment: { readonly python: string; readonly additionalPython: readonly string[] };
  readonly resolverOptions: {
    readonly python: string | null;
    readonly prereleases: boolean;
    readonly noBuild: readonly string[];
    readonly noBinary: readonly string[];
    readonly universal: boolean;
    readonly pythonPlatform: string | null;
    readonly requiredEnvironments: readonly string[];
  };
  readonly expected: {
    readonly satisfiable: boolean;
    readonly packages: Readonly<Record<string, string>> | null;
    readonly explanation: string | null;
  };
}

/** Every `*.toml` scenario under `dir`, sorted by path. */
export function loadScenarios(dir: string = PACKSE_DIR): Scenario[] {
  return tomlFiles(dir)
    .sort()
    .map((path) => parseScenario(readFileSync(path, 'utf8'), relative(dir, path)));
}

function tomlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...tomlFiles(path));
    else if (entry.endsWith('.toml')) out.push(path);
  }
  return out;
}

type Table = Record<string, unknown>;

/** Reads one scenario's TOML text. */
export function parseScenario(text: string, file: string): Scenario {
  const doc = parse(text) as Table;
  const root = table(doc.root);
  const environment = table(doc.environment);
  const options = table(doc.resolver_options);
  const expected = table(doc.expected);
  const packages: Record<string, Record<string, ScenarioRelease>> = {};
  for (const [name, pkg] of Object.entries(table(doc.packages))) {
    const releases: Record<string, ScenarioRelease> = {};
    for (const [version, release] of Object.entries(table(table(pkg).versions))) releases[version] = toRelease(table(release));
    packages[name] = releases;
  }
  return {
    file,
    name: String(doc.name ?? file),
    description: String(doc.description ?? ''),
    root: { requires: strings(root.requires), requiresPython: optionalString(root.requires_python) },
    packages,
    environment: { python: optionalString(environment.python) ?? '3.12', additionalPython: strings(environment.additional_python) },
    resolverOptions: {
      python: optionalString(options.python),
      prereleases: options.prereleases === true,
      noBuild: strings(options.no_build),
      noBinary: strings(options.no_binary),
      universal: options.universal === true,
      pythonPlatform: optionalString(options.python_platform),
      requiredEnvironments: strings(options.required_environments),
    },
    expected: {
      satisfiable: expected.satisfiable === true,
      packages: expected.packages === undefined ? null : (Object.fromEntries(Object.entries(table(expected.packages)).map(([k, v]) => [k, String(v)])) as Record<string, string>),
      explanation: optionalString(expected.explanation),
    },
  };
}

function toRelease(release: Table): ScenarioRelease {
  const extras: Record<string, string[]> = {};
  for (const [extra, requires] of Object.entries(table(release.extras))) extras[extra] = strings(requires);
  return {
    requires: strings(release.requires),
    extras,
    requiresPython: optionalString(release.requires_python) ?? '>=3.12',
    sdist: release.sdist !== false,
    wheel: release.wheel !== false,
    yanked: release.yanked === true,
    wheelTags: strings(release.wheel_tags),
  };
}

/** The scenario's packages as an index: files from `sdist`/`wheel`/`wheel_tags`. */
export function scenarioIndex(scenario: Scenario): InMemoryIndex {
  const index: Record<string, Record<string, InMemoryRelease>> = {};
  for (const [name, releases] of Object.entries(scenario.packages)) {
    index[name] = {};
    for (const [version, r] of Object.entries(releases)) {
      const tags = r.wheelTags.length > 0 ? r.wheelTags : ['py3-none-any'];
      const wheels = r.wheel ? tags.map((tag) => `${name.replace(/-/g, '_')}-${version}-${tag}.whl`) : [];
      index[name][version] = {
        requires: r.requires,
        extras: r.extras,
        requiresPython: r.requiresPython,
        yanked: r.yanked,
        files: { wheels, sdist: r.sdist },
      };
    }
  }
  return index;
}

function table(value: unknown): Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function optionalString(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}
