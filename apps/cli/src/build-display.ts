/**
 * What `build` and `pull` show while they wait, on stderr (stdout keeps the result): on a
 * terminal one line redrawn in place (phase, elapsed time, the last log line, or the bytes
 * downloaded); elsewhere (CI logs, pipes) plain lines, one per event, each log line once.
 */
import type { BuildView } from './build-client';

/** Receives the progress of a build and of a download. */
export interface BuildDisplay {
  /** The build changed state (or was first seen). */
  build(build: BuildView): void;
  /** A line of the build's log. */
  log(build: BuildView, line: string): void;
  /** A download began (`total`: its Content-Length, when known). */
  downloadStart(target: string, total: number | null): void;
  /** Bytes received so far. */
  downloadProgress(received: number, total: number | null): void;
  /** The download completed. */
  downloadEnd(target: string, bytes: number): void;
  /** A closing line (and the end of any redrawn line). */
  finish(line: string): void;
  /** Clears a redrawn line before an error is printed. */
  stop(): void;
}

/** `1.2 MB`: bytes for a person. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  for (; value >= 1000 && unit < units.length - 1; unit++) value /= 1000;
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** One line about a build's state. */
export function describeBuild(build: BuildView): string {
  const head = `build ${build.id} ${build.status}`;
  switch (build.status) {
    case 'queued':
      return `${head} (${build.pins.length} pin${build.pins.length === 1 ? '' : 's'}, Python ${build.python} on ${build.platform}, key ${build.key.slice(0, 12)})`;
    case 'done': {
      const total = build.timings.total;
      return `${head}${total === undefined ? '' : ` in ${(total / 1000).toFixed(1)} s`}${build.size === null ? '' : `, ${formatBytes(build.size)}`}`;
    }
    case 'failed':
      return `${head}: ${build.error ?? 'no reason recorded'}`;
    default:
      return head;
  }
}

/** The display for `stream`: redrawn on a terminal, plain lines otherwise. */
export function buildDisplay(stream: NodeJS.WriteStream = process.stderr): BuildDisplay {
  return stream.isTTY ? new TerminalDisplay(stream) : new PlainDisplay(stream);
}

/** Plain lines, for logs and pipes. */
export class PlainDisplay implements BuildDisplay {
  private lastStatus: string | null = null;

  constructor(private readonly out: { write(text: string): unknown }) {}

  build(build: BuildView): void {
    if (build.status === this.lastStatus) return;
    this.lastStatus = build.status;
    this.out.write(`${describeBuild(build)}\n`);
  }

  log(build: BuildView, line: string): void {
    this.out.write(`build ${build.id} | ${line}\n`);
  }

  downloadStart(target: string, total: number | null): void {
    this.out.write(`downloading ${target}${total === null ? '' : ` (${total} bytes)`}\n`);
  }

  downloadProgress(): void {}

  downloadEnd(target: string, bytes: number): void {
    this.out.write(`downloaded ${target} (${bytes} bytes)\n`);
  }

  finish(line: string): void {
    this.out.write(`${line}\n`);
  }

  stop(): void {}
}

/** How often the redrawn line changes at most, and the clock ticks while a build runs. */
const REDRAW_MS = 100;
const TICK_MS = 1000;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** One line redrawn in place on a terminal; state changes and the end are kept as lines. */
export class TerminalDisplay implements BuildDisplay {
  private phase = '';
  private detail = '';
  private since = Date.now();
  private drawnAt = 0;
  private frame = 0;
  private lastStatus: string | null = null;
  private readonly ticker: NodeJS.Timeout;
  private pending: NodeJS.Timeout | null = null;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.ticker = setInterval(() => this.draw(true), TICK_MS);
    this.ticker.unref();
  }

  build(build: BuildView): void {
    if (build.status === this.lastStatus) return;
    this.lastStatus = build.status;
    if (build.status === 'done' || build.status === 'failed') {
      this.keep(describeBuild(build));
      return;
    }
    if (build.status === 'queued') this.keep(describeBuild(build));
    this.phase = `build ${build.id} ${build.status}`;
    this.detail = '';
    this.since = Date.now();
    this.draw(true);
  }

  log(_build: BuildView, line: string): void {
    if (line.trim() === '') return;
    this.detail = line.trim();
    this.draw(false);
  }

  downloadStart(target: string, total: number | null): void {
    this.phase = `downloading ${target}`;
    this.detail = total === null ? '' : `0 B / ${formatBytes(total)}`;
    this.since = Date.now();
    this.draw(true);
  }

  downloadProgress(received: number, total: number | null): void {
    this.detail = total === null ? formatBytes(received) : `${formatBytes(received)} / ${formatBytes(total)} (${Math.floor((received / Math.max(total, 1)) * 100)}%)`;
    this.draw(false);
  }

  downloadEnd(target: string, bytes: number): void {
    this.keep(`downloaded ${target} (${formatBytes(bytes)} in ${((Date.now() - this.since) / 1000).toFixed(1)} s)`);
  }

  finish(line: string): void {
    this.keep(line);
    this.stop();
  }

  stop(): void {
    clearInterval(this.ticker);
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
    if (this.phase !== '') this.out.write('\r\x1b[2K');
    this.phase = '';
  }

  /** Replaces the redrawn line with a line that stays. */
  private keep(line: string): void {
    this.out.write(`\r\x1b[2K${line}\n`);
    this.phase = '';
    this.detail = '';
  }

  private draw(force: boolean): void {
    if (this.phase === '') return;
    const now = Date.now();
    if (!force && now - this.drawnAt < REDRAW_MS) {
      // Lines come in bursts: the last of a burst is drawn when the pause is over.
      this.pending ??= setTimeout(() => {
        this.pending = null;
        this.draw(true);
      }, REDRAW_MS - (now - this.drawnAt)).unref();
      return;
    }
    this.drawnAt = now;
    this.frame = (this.frame + 1) % SPINNER.length;
    const elapsed = `${Math.floor((now - this.since) / 1000)}s`;
    const line = `${SPINNER[this.frame]} ${this.phase} ${elapsed}${this.detail === '' ? '' : ` │ ${this.detail}`}`;
    const width = Math.max(20, (this.out.columns || 80) - 1); // a pty without a size says 0
    this.out.write(`\r\x1b[2K${[...line].slice(0, width).join('')}`);
  }
}
