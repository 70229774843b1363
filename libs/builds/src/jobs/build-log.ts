/**
 * A build's log on its way to the `builds` row: lines are collected and appended in batches
 * (every half second, and at the end), so that `GET /v1/builds/{id}/log` follows a running build
 * from any API process without a write per line.
 */
import type { BuildRepository } from '../build.repository';

const FLUSH_MS = 500;
/** A longer log keeps its start (a failure records the end of pip's output as the build's error). */
const MAX_LOG_CHARS = 2 * 2 ** 20;

export class BuildLog {
  private pending: string[] = [];
  private written = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: BuildRepository,
    private readonly buildId: number,
  ) {}

  line(text: string): void {
    this.pending.push(`${text}\n`);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is pending; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    let text = this.pending.join('');
    this.pending = [];
    if (text === '') return this.flushing;
    if (this.written + text.length > MAX_LOG_CHARS) text = this.written >= MAX_LOG_CHARS ? '' : `${text.slice(0, MAX_LOG_CHARS - this.written)}\n[log truncated]\n`;
    this.written += text.length;
    if (text === '') return this.flushing;
    this.flushing = this.flushing.then(() => this.repository.appendLog(this.buildId, text)).catch(() => undefined);
    return this.flushing;
  }
}
