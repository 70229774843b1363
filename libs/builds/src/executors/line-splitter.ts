/** Lines of output an executor keeps for the error of a failed install. */
const TAIL_LINES = 40;

/**
 * Splits a byte stream into lines (UTF-8, `\n` or `\r\n`; a lone `\r` of a progress bar ends a
 * line too), hands each to `onLine`, and keeps the last few for {@link tail}.
 */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();
  private readonly last: string[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  /** The last lines seen, joined. */
  tail(): string {
    return this.last.join('\n');
  }

  private emit(line: string): void {
    this.last.push(line);
    if (this.last.length > TAIL_LINES) this.last.shift();
    this.onLine(line);
  }

  push(chunk: Uint8Array): void {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    // A `\r` at the end of a chunk waits for the next: it may be the first half of `\r\n`.
    const parts = text.split(/\r?\n|\r(?!$)/);
    this.rest = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
  }

  end(): void {
    const last = (this.rest + this.decoder.decode()).replace(/\r$/, '');
    this.rest = '';
    if (last !== '') this.emit(last);
  }
}
