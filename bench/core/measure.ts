/** Tiny timing helpers for benchmarks that print figures (never assertions). */

/** Runs `fn` once and returns elapsed milliseconds. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Best of `runs` timings, to damp the noise of a shared 2-core machine. */
export function bestOfMs(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, timeMs(fn));
  return best;
}

/** Formats a rate. */
export function perSecond(count: number, ms: number): string {
  const rate = (count / ms) * 1000;
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M/s` : `${(rate / 1e3).toFixed(1)} k/s`;
}

/** Prints one aligned result row. */
export function row(label: string, ...cells: string[]): void {
  process.stdout.write(`${label.padEnd(72)} ${cells.map((c) => c.padStart(14)).join(' ')}\n`);
}
