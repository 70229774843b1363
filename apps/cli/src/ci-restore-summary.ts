/**
 * The last line of `venvfarm ci restore` (what it restored, how long it took, whether it was a
 * cache hit or a build), and how its progress is shown.
 */
import type { BuildView } from './build-client';
import type { PullRoute } from './pull.action';

/** What a restore did. */
export interface RestoreOutcome {
  /** The absolute directory. */
  dir: string;
  key: string | null;
  /** Distributions installed (the manifest's pins), when known. */
  packages: number | null;
  /** From the start of the command's action to the end of the unpack. */
  seconds: number;
  route: PullRoute;
  /** The `--wait` asked for: only with 0 does a tarball answer prove the key was built already. */
  wait: number;
  /** The build the CLI followed. */
  build: BuildView | null;
}

/** `1.23 s` under ten seconds, `12.3 s` above. */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

/** The summary line: `restored 12 packages into /work/.venv in 0.84 s: cache hit (key …)`. */
export function restoreSummary(outcome: RestoreOutcome): string {
  const what = outcome.packages === null ? 'restored the environment' : `restored ${outcome.packages} package${outcome.packages === 1 ? '' : 's'}`;
  let how: string;
  if (outcome.route === 'followed' && outcome.build !== null) {
    const total = outcome.build.timings.total;
    how = `built by build ${outcome.build.id}${total === undefined ? '' : ` in ${formatSeconds(total / 1000)}`}`;
  } else if (outcome.route === 'answered') {
    how = outcome.wait === 0 ? 'cache hit' : `ready within --wait ${outcome.wait} (built already, or built meanwhile)`;
  } else {
    how = 'downloaded by key';
  }
  return `${what} into ${outcome.dir} in ${formatSeconds(outcome.seconds)}: ${how}${outcome.key === null ? '' : ` (key ${outcome.key})`}`;
}

/**
 * Whether progress is a line redrawn in place: only when both streams are a terminal (a CI log
 * that captures one of them gets plain lines) and no CI variable says it is a CI job.
 */
export function liveProgress(stdoutIsTty: boolean | undefined, stderrIsTty: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stdoutIsTty === true && stderrIsTty === true && !ci;
}
