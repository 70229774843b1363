/**
 * The packse conformance suite inside `npm test`: every scenario of the shared copy of packse
 * through libs/resolver (see bench/conformance/). No failures; deliberate deviations from uv's
 * expectations stay few, each with its reason; universal-resolution scenarios are skipped.
 */
import { DEVIATIONS } from '../bench/conformance/deviations';
import { runScenario, ScenarioResult } from '../bench/conformance/run-scenario';
import { loadScenarios } from '../bench/conformance/scenario';

describe('packse conformance', () => {
  const scenarios = loadScenarios();
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    // Timings are the benchmark's business (`npm run conformance` prints them), not this suite's.
    for (const scenario of scenarios) results.push(await runScenario(scenario, { deviations: DEVIATIONS }));
  });

  it('finds the whole suite', () => {
    expect(scenarios.length).toBe(148);
  });

  it('fails no scenario', () => {
    const failures = results.flatMap((r) => (r.verdict.status === 'fail' ? [`${r.scenario.file}: ${r.verdict.message}`] : []));
    expect(failures).toEqual([]);
  });

  it('deviates deliberately from at most five scenarios, each with a reason', () => {
    const deviations = results.filter((r) => r.verdict.status === 'deviation');
    expect(deviations.length).toBeLessThanOrEqual(5);
    expect(Object.keys(DEVIATIONS).length).toBeLessThanOrEqual(5);
    for (const r of deviations) expect(r.verdict.status === 'deviation' && r.verdict.reason.length > 40).toBe(true);
  });

  it('skips only universal-resolution scenarios', () => {
    for (const r of results.filter((x) => x.verdict.status === 'skip')) {
      expect(r.scenario.resolverOptions.universal || r.scenario.resolverOptions.requiredEnvironments.length > 0).toBe(true);
    }
  });
});
