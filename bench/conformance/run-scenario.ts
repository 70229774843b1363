/**
 * Runs one packse scenario through libs/resolver with an in-memory provider and judges the result
 * against the scenario's expectation (README: every expected package at that version and nothing
 * else from the scenario's packages; without expected packages only satisfiability counts).
 *
 * Universal resolution (one lock for every platform, forking on markers) is out of scope: such
 * scenarios are skipped with the reason. Pre-releases follow the library's default policy (or
 * `allow` when the scenario opts in), so the suite checks what users get.
 */
import { Version } from '@venvfarm/pep440';
import { normalizeName, parseTarget } from '@venvfarm/pep508';
import { InMemoryProvider, PrereleasePolicy, resolve, UnsatisfiableError } from '@venvfarm/resolver';
import { Deviation, DEVIATIONS, DeviationOutcome } from './deviations';
import { DEFAULT_PLATFORM, Scenario, scenarioIndex } from './scenario';

/** The verdict on one scenario. */
export type Verdict =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly message: string }
  | { readonly status: 'skip'; readonly reason: string }
  | { readonly status: 'deviation'; readonly reason: string };

/** What the resolver produced. */
export type Produced =
  | { readonly satisfiable: true; readonly packages: Readonly<Record<string, string>> }
  | { readonly satisfiable: false; readonly explanation: string };

/** A verdict with what it was judged on. */
export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly verdict: Verdict;
  readonly produced: Produced | null;
  readonly milliseconds: number;
}

/** Options of a run. */
export interface RunOptions {
  /** The pre-release policy when the scenario does not opt in to pre-releases. */
  readonly prereleases?: PrereleasePolicy;
  /** Deliberate deviations by scenario name. */
  readonly deviations?: Readonly<Record<string, Deviation>>;
}

/** Why a scenario is out of scope, or null. */
export function skipReason(scenario: Scenario): string | null {
  if (scenario.resolverOptions.requiredEnvironments.length > 0) return 'universal resolution with required environments is not supported';
  if (scenario.resolverOptions.universal) return 'universal (cross-platform, forking) resolution is not supported';
  return null;
}

/** Resolves the scenario as a user would ask for it. */
export async function produce(scenario: Scenario, prereleases?: PrereleasePolicy): Promise<Produced> {
  const options = scenario.resolverOptions;
  const target = parseTarget({ python: options.python ?? scenario.environment.python, platform: options.pythonPlatform ?? DEFAULT_PLATFORM });
  const provider = new InMemoryProvider(scenarioIndex(scenario));
  try {
    const resolution = await resolve(scenario.root.requires, provider, {
      target,
      prereleases: options.prereleases ? 'allow' : prereleases,
      noBuild: options.noBuild,
      noBinary: options.noBinary,
    });
    const packages: Record<string, string> = {};
    for (const [name, pkg] of resolution.packages) packages[name] = pkg.version.toString();
    return { satisfiable: true, packages };
  } catch (error) {
    if (error instanceof UnsatisfiableError) return { satisfiable: false, explanation: error.explanation };
    throw error;
  }
}

/** Runs and judges one scenario. */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const skip = skipReason(scenario);
  if (skip !== null) return { scenario, verdict: { status: 'skip', reason: skip }, produced: null, milliseconds: 0 };
  const started = performance.now();
  let produced: Produced;
  try {
    produced = await produce(scenario, options.prereleases);
  } catch (error) {
    const message = `resolver threw ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`;
    return { scenario, verdict: { status: 'fail', message }, produced: null, milliseconds: performance.now() - started };
  }
  const milliseconds = performance.now() - started;
  const mismatch = compare(scenario.expected, produced);
  const deviation = (options.deviations ?? DEVIATIONS)[scenario.name];
  let verdict: Verdict;
  if (deviation === undefined) {
    verdict = mismatch === null ? { status: 'pass' } : { status: 'fail', message: mismatch };
  } else if (mismatch === null) {
    verdict = { status: 'fail', message: 'listed as a deviation but now passes: remove it from deviations.ts' };
  } else {
    const differs = compare(asExpectation(deviation.ours), produced);
    verdict = differs === null ? { status: 'deviation', reason: deviation.reason } : { status: 'fail', message: `deviates otherwise than documented: ${differs}` };
  }
  return { scenario, verdict, produced, milliseconds };
}

function asExpectation(ours: DeviationOutcome): Scenario['expected'] {
  return { satisfiable: ours.satisfiable, packages: ours.satisfiable ? ours.packages : null, explanation: null };
}

/** Null when `produced` meets `expected`, else what differs. */
export function compare(expected: Scenario['expected'], produced: Produced): string | null {
  if (!produced.satisfiable) {
    return expected.satisfiable ? `expected a resolution, got none: ${produced.explanation.split('\n')[0]}` : null;
  }
  if (!expected.satisfiable) return `expected no resolution, got ${formatPackages(produced.packages)}`;
  if (expected.packages === null) return null;
  const problems: string[] = [];
  const want = new Map(Object.entries(expected.packages).map(([name, version]) => [normalizeName(name), version]));
  for (const [name, version] of want) {
    const got = produced.packages[name];
    if (got === undefined) problems.push(`${name} missing (expected ${version})`);
    else if (!Version.parse(got).equals(Version.parse(version))) {
      problems.push(`${name}==${got} (expected ${version})`);
    }
  }
  for (const [name, version] of Object.entries(produced.packages)) {
    if (!want.has(name)) problems.push(`${name}==${version} not expected`);
  }
  return problems.length === 0 ? null : problems.join('; ');
}

function formatPackages(packages: Readonly<Record<string, string>>): string {
  const entries = Object.entries(packages);
  return entries.length === 0 ? '(nothing)' : entries.map(([n, v]) => `${n}==${v}`).join(', ');
}
