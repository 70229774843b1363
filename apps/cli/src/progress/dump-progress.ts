/**
 * Import and export progress on the terminal: a cli-progress bar over shards when stdout is a
 * TTY, otherwise one plain line every few seconds; malformed lines go to stderr; one summary
 * line at the end.
 */
import { SingleBar } from 'cli-progress';
import type { DumpExportProgress, DumpExportSummary } from '@venvfarm/mirror';
import type { DumpFormatError } from '@venvfarm/mirror';
import type { ImportProgress, ImportSummary, TableCounts } from '@venvfarm/mirror';

const rate = (n: number, ms: number) => Math.round((n * 1000) / Math.max(ms, 1));
const rates = (c: TableCounts, ms: number) => `${rate(c.projects, ms)} projects/s, ${rate(c.releases, ms)} releases/s, ${rate(c.files, ms)} files/s`;
const counts = (c: TableCounts) => `${c.projects} projects, ${c.releases} releases, ${c.files} files`;

/** Renders one import or export run. */
export class DumpTerminal {
  private bar: SingleBar | null = null;
  private lastLine = 0;

  constructor(
    private readonly verb: 'import' | 'export',
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly err: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {}

  /** For importDump's onProblem. */
  readonly problem = (problem: DumpFormatError) => this.log(`venvfarm: skipped ${problem.message}`);

  /** For importDump's and exportDump's onProgress. */
  readonly progress = (p: ImportProgress | DumpExportProgress) => {
    const thisRun = 'processedThisRun' in p ? p.processedThisRun : p.processed;
    const detail = `${counts(p.processed)} | ${rates(thisRun, p.elapsedMs)}`;
    if (this.out.isTTY) {
      if (this.bar === null) {
        this.bar = new SingleBar({ format: `${this.verb} [{bar}] {value}/{total} shards | {eta_formatted} left | {detail}`, hideCursor: true, stream: this.out });
        this.bar.start(p.shardsTotal, p.shardsDone, { detail });
      }
      this.bar.update(p.shardsDone, { detail });
    } else if (Date.now() - this.lastLine >= this.intervalMs || p.shardsDone === p.shardsTotal) {
      this.lastLine = Date.now();
      this.out.write(`${this.verb}: ${p.shardsDone}/${p.shardsTotal} shards, ${detail}\n`);
    }
  };

  /** Stops the bar and prints the import's summary line. */
  finishImport(s: ImportSummary): void {
    this.stop();
    const seconds = s.elapsedMs / 1000;
    const resumed = s.resumedShards > 0 ? `, resumed after ${s.resumedShards} committed shards` : '';
    let check = '';
    if (s.expected !== null) {
      const same = s.expected.projects === s.processed.projects && s.expected.versions === s.processed.releases && s.expected.files === s.processed.files;
      check = `; names.tsv.gz: ${s.expected.projects} projects, ${s.expected.versions} versions, ${s.expected.files} files (${same ? 'equal' : 'DIFFERENT'})`;
    }
    this.out.write(
      `imported ${counts(s.processed)} from ${s.shards} shards in ${seconds.toFixed(1)} s${resumed} ` +
        `(new: ${counts(s.inserted)}; changed: ${counts(s.updated)}; skipped lines: ${s.skippedLines})${check}; ` +
        `mirror now holds ${counts(s.mirror)}\n`,
    );
  }

  /** Stops the bar and prints the export's summary line. */
  finishExport(s: DumpExportSummary): void {
    this.stop();
    this.out.write(`exported ${counts(s.processed)} into ${s.shards} shards of ${s.dir} in ${(s.elapsedMs / 1000).toFixed(1)} s (${rates(s.processed, s.elapsedMs)})\n`);
  }

  /** Stops the bar (also on error). */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private log(line: string): void {
    if (this.bar !== null) this.out.write('\r\x1b[K');
    this.err.write(`${line}\n`);
  }
}
