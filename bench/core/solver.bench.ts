/**
 * Solver figures for `npm run bench:core`: the largest packse scenarios (by number of releases)
 * solved many times through libs/resolver with the in-memory provider, and the whole suite.
 */
import { produce, skipReason } from '../conformance/run-scenario';
import { loadScenarios, Scenario } from '../conformance/scenario';
import { row } from './measure';

const RUNS = 200;

function releases(s: Scenario): number {
  return Object.values(s.packages).reduce((n, p) => n + Object.keys(p).length, 0);
}

async function timeScenario(s: Scenario): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await produce(s);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(RUNS * 0.5)], p95: samples[Math.floor(RUNS * 0.95)] };
}

/** Prints p50/p95 for the five largest scenarios and the time of one pass over the suite. */
export async function benchSolver(): Promise<void> {
  const scenarios = loadScenarios().filter((s) => skipReason(s) === null);
  const largest = [...scenarios].sort((a, b) => releases(b) - releases(a)).slice(0, 5);
  process.stdout.write(`\nsolver (packse, in-memory provider, ${RUNS} runs each)\n`);
  row('scenario (releases)', 'p50', 'p95', '');
  for (const s of largest) {
    const { p50, p95 } = await timeScenario(s);
    row(`${s.name} (${releases(s)})`, `${p50.toFixed(3)} ms`, `${p95.toFixed(3)} ms`, '');
  }
  const start = process.hrtime.bigint();
  for (const s of scenarios) await produce(s);
  row(`whole suite, ${scenarios.length} scenarios, one pass`, `${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`, '', '');
}
