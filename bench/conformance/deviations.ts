/**
 * packse scenarios where venvfarm deliberately follows pip rather than uv, with the reason and
 * what we produce instead. The runner checks each entry: a deviation that no longer deviates, or
 * deviates differently, is a failure, so this list stays true. At most five entries.
 */

/** What we produce for a deviating scenario. */
export type DeviationOutcome = { readonly satisfiable: false } | { readonly satisfiable: true; readonly packages: Readonly<Record<string, string>> };

/** One deliberate deviation. */
export interface Deviation {
  /** Why we differ from the expectation (uv's behaviour). */
  readonly reason: string;
  /** What we resolve to instead. */
  readonly ours: DeviationOutcome;
}

/** By scenario name. */
export const DEVIATIONS: Readonly<Record<string, Deviation>> = {
  'python-less-than-current': {
    reason:
      'Requires-Python upper bounds are enforced, as pip does: a==1.0.0 declares Requires-Python <=3.8 and the target is 3.9, ' +
      'and pip refuses to install such a release ("requires a different Python"), so an environment built from a resolution ' +
      'that ignored the bound (as uv does) would fail to install.',
    ours: { satisfiable: false },
  },
};
