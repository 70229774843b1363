/**
 * Coalesces a job's progress reports: a sync reports after every project, but the backend needs
 * to hear about it a few times a second at most. The last report is never lost: `flush()` writes
 * it before the job ends.
 */
import type { JobProgress } from './job-payloads';

/** Writes a job's progress at most once per `intervalMs`. */
export class ProgressReporter {
  private latest: JobProgress | null = null;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (progress: JobProgress) => Promise<void>,
    private readonly onError: (error: Error) => void,
    private readonly intervalMs = 250,
  ) {}

  report(progress: JobProgress): void {
    this.latest = progress;
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeLatest();
    }, wait);
  }

  /** Writes the last report, if not written yet, and waits for writes under way. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.writeLatest();
    await this.writing;
  }

  /** Drops a pending report (the job is given back or has failed). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
  }

  private writeLatest(): void {
    const progress = this.latest;
    if (progress === null) return;
    this.latest = null;
    this.lastWrite = Date.now();
    this.writing = this.writing.then(() => this.write(progress)).catch((error: Error) => this.onError(error));
  }
}
