/**
 * `npm run conformance`: every packse scenario through libs/resolver. Prints one line per failure,
 * skip and deviation, and last `packse: N passed, M failed`.
 * Exit status 1 when something failed. `--verbose` also prints every explanation.
 */
import { DEVIATIONS } from './deviations';
import { runScenario, ScenarioResult } from './run-scenario';
import { loadScenarios } from './scenario';

async function main(): Promise<number> {
  const verbose = process.argv.includes('--verbose');
  const scenarios = loadScenarios();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario, { deviations: DEVIATIONS }));

  const count = (status: ScenarioResult['verdict']['status']): number => results.filter((r) => r.verdict.status === status).length;
  for (const { scenario, verdict, produced } of results) {
    if (verdict.status === 'fail') console.log(`FAIL ${scenario.file} (${scenario.name}): ${verdict.message}`);
    if (verdict.status === 'skip') console.log(`skip ${scenario.file}: ${verdict.reason}`);
    if (verdict.status === 'deviation') console.log(`deviation ${scenario.file}: ${verdict.reason}`);
    if (verbose && produced !== null && !produced.satisfiable) console.log(`  ${produced.explanation.split('\n').join('\n  ')}`);
  }

  const slowest = results.reduce((a, b) => (b.milliseconds > a.milliseconds ? b : a));
  console.log(`packse: ${count('skip')} skipped, ${count('deviation')} deviation(s); slowest ${slowest.scenario.name} in ${slowest.milliseconds.toFixed(1)} ms`);
  console.log(`packse: ${count('pass')} passed, ${count('fail')} failed`);
  return count('fail') === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
