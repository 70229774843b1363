/**
 * Teardown of what a benchmark started (servers, databases, temporary directories), run once:
 * when the benchmark ends, when it fails, and on Ctrl-C or SIGTERM (the process then exits with
 * 130 or 143 once everything is removed; a second Ctrl-C kills it at once). Child processes it
 * watches are also sent SIGKILL if this process exits by another way before their step ran.
 */
import type { ChildProcess } from 'node:child_process';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export class Teardown {
  private readonly steps: { label: string; run: () => Promise<void> | void }[] = [];
  private readonly children = new Set<ChildProcess>();
  private running: Promise<void> | null = null;
  private signal: keyof typeof EXIT_CODES | null = null;

  constructor() {
    for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]) {
      process.once(signal, () => {
        this.signal = signal;
        process.stderr.write(`\n${signal}: stopping servers, removing the database and temporary directories\n`);
        void this.run().finally(() => process.exit(EXIT_CODES[signal]));
      });
    }
    process.once('exit', () => {
      for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  }

  /** Whether a signal started the teardown (the benchmark's own failure is then only its consequence). */
  get interrupted(): boolean {
    return this.signal !== null;
  }

  /** Adds a step; steps run in the reverse order of their adding. */
  add(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run });
  }

  /** A child process to SIGKILL should this process exit while it still runs. */
  watch(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  /** Runs every step once (later calls share the first); a failing step is reported and the others still run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.run();
        } catch (error) {
          process.stderr.write(`teardown: ${step.label} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    })();
    return this.running;
  }
}
