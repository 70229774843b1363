/**
 * A sync's progress on the terminal: a cli-progress bar when stdout is a TTY, otherwise one
 * plain line every few seconds (CI logs, pipes), and the summary line at the end. Retries and
 * skipped pages are printed as lines above the bar, so they stay in the scrollback.
 */
import { SingleBar } from 'cli-progress';
import { formatRetry, RetryEvent } from '@venvfarm/upstream';
import type { SyncSummary, SyncProgress } from '@venvfarm/mirror';
import type { SyncFailure } from '@venvfarm/mirror';

const counters = (p: Readonly<SyncProgress>) =>
  `${p.releases} releases, ${p.files} files, ${p.metadataFetched} metadata fetched (${p.metadataReused} reused), ${p.requests} requests, ${p.retries} retries, ${p.failed} failed`;

/** Renders one run. */
export class SyncTerminal {
  private bar: SingleBar | null = null;
  private lastLine = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly err: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {}

  /** For HttpFetcher's onRetry. */
  readonly retry = (event: RetryEvent) => this.log(`venvfarm: ${formatRetry(event)}`);

  /** For syncMirror's onFailure. */
  readonly failure = (failure: SyncFailure) => this.log(`venvfarm: skipped ${failure.what} of ${failure.project}: ${failure.message}`);

  /** For syncMirror's onProgress. */
  readonly progress = (p: Readonly<SyncProgress>) => {
    if (p.phase !== 'fetching') return;
    if (this.out.isTTY) {
      if (this.bar === null) {
        this.bar = new SingleBar({ format: 'sync [{bar}] {value}/{total} projects | {eta_formatted} left | {counters}', hideCursor: true, stream: this.out });
        this.bar.start(p.planned, 0, { counters: counters(p) });
      }
      this.bar.update(p.done, { counters: counters(p) });
    } else if (Date.now() - this.lastLine >= this.intervalMs || p.done === p.planned) {
      this.lastLine = Date.now();
      this.out.write(`sync: ${p.done}/${p.planned} projects, ${counters(p)}\n`);
    }
  };

  /** Stops the bar and prints the summary line. */
  finish(summary: SyncSummary): void {
    this.bar?.stop();
    this.bar = null;
    const how = summary.mode === 'full' ? 'full' : `incremental (${summary.changesFrom})`;
    this.out.write(
      `synced ${summary.done - summary.missing - summary.failed}/${summary.planned} projects (${how}; ${summary.upToDate} up to date, ${summary.missing} missing), ` +
        `${summary.releasesInserted} new releases, ${summary.filesInserted} new files, ${counters(summary)}, ` +
        `serial ${summary.serialBefore} -> ${summary.serialAfter} in ${summary.seconds.toFixed(1)} s\n`,
    );
    if (summary.failures.length > 0) {
      this.err.write(`venvfarm: ${summary.failures.length} pages or metadata files were skipped; the index serial stays at ${summary.serialAfter} so the next sync retries them\n`);
    }
  }

  /** Stops the bar (on error). */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private log(line: string): void {
    if (this.bar !== null) {
      // Clear the bar's line, print, let the bar redraw on its next update.
      this.out.write('\r\x1b[K');
    }
    this.err.write(`${line}\n`);
  }
}
