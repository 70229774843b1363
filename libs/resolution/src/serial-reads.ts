/**
 * Reads of the current serials of projects, shared between concurrent cache hits. Every hit
 * must see serials read after it arrived (else an answer could outlive a change committed before
 * the request), but it need not have a query of its own: while one read runs, the hits that
 * arrive wait for the next one, which starts as soon as the running one ends and reads the
 * projects of all of them at once. Alone, a hit waits for exactly one query, as before; under
 * load one query serves many hits. (Used when project changes cannot be heard, and to check an
 * answer again after a change.)
 */

/** Reads the current serials of some projects (an absent project is missing from the map). */
export type ReadSerials = (names: readonly string[]) => Promise<ReadonlyMap<string, number>>;

interface Batch {
  readonly names: Set<string>;
  readonly result: Promise<ReadonlyMap<string, number>>;
  start(): void;
}

export class SerialReads {
  private next: Batch | null = null;
  private running = false;

  constructor(private readonly readSerials: ReadSerials) {}

  /** Current serials of `names`, from a query that starts after this call. */
  read(names: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const batch = this.next ?? (this.next = this.batch());
    for (const name of names) batch.names.add(name);
    if (!this.running) this.flush();
    return batch.result;
  }

  private batch(): Batch {
    const names = new Set<string>();
    let start!: () => void;
    const result = new Promise<ReadonlyMap<string, number>>((resolve, reject) => {
      start = () => this.readSerials([...names]).then(resolve, reject);
    });
    return { names, result, start };
  }

  private flush(): void {
    this.running = true;
    // Hits that arrive in this turn of the event loop join the batch before its query starts.
    setImmediate(() => {
      const batch = this.next;
      this.next = null;
      if (batch === null) {
        this.running = false;
        return;
      }
      batch.start();
      void batch.result
        .catch(() => undefined)
        .finally(() => {
          this.running = false;
          if (this.next !== null) this.flush();
        });
    });
  }
}
