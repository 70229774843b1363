/**
 * What `venvfarm ci restore` runs: `pull -r` ({@link pullEnvironment}) with plain progress
 * lines in a CI log, a summary line, and failures worded for CI with their exit code
 * (ci-restore-failure.ts).
 */
import { performance } from 'node:perf_hooks';
import { readManifest } from '@venvfarm/envpack';
import { BuildDisplay, PlainDisplay, TerminalDisplay } from './build-display';
import { restoreFailure } from './ci-restore-failure';
import { liveProgress, restoreSummary } from './ci-restore-summary';
import type { CiRestoreCommandOptions } from './ci-restore.command';
import { pullEnvironment, PulledEnvironment } from './pull.action';

/** The progress display: redrawn only on a terminal outside CI (see {@link liveProgress}). */
function ciDisplay(): BuildDisplay {
  return liveProgress(process.stdout.isTTY, process.stderr.isTTY, process.env) ? new TerminalDisplay(process.stderr) : new PlainDisplay(process.stderr);
}

export async function ciRestore(options: CiRestoreCommandOptions, how: { serverDefaulted: boolean }): Promise<void> {
  const started = performance.now();
  const context = { ...options, serverDefaulted: how.serverDefaulted };
  let pulled: PulledEnvironment;
  try {
    if ((options.requirement === undefined) === (options.lock === undefined)) throw new Error('ci restore takes -r <requirements file> or --lock <file>: one of them');
    pulled = await pullEnvironment({ request: options, wait: options.wait }, options.into, options, ciDisplay());
  } catch (error) {
    throw restoreFailure(error, context);
  }
  // The manifest lists what was installed; an environment without one still restored.
  const manifest = await readManifest(pulled.unpacked.dir).catch(() => undefined);
  const packages = manifest?.pins.length ?? pulled.build?.pins.length ?? null;
  const summary = restoreSummary({
    dir: pulled.unpacked.dir,
    key: pulled.key ?? manifest?.key ?? null,
    packages,
    seconds: (performance.now() - started) / 1000,
    route: pulled.route,
    wait: options.wait,
    build: pulled.build,
  });
  process.stdout.write(`${summary}\n`);
}
