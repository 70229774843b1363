/** Splits a byte stream into lines (UTF-8, `\n` or `\r\n`; a lone `\r` of a progress bar ends a line too). */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const parts = text.split(/\r?\n|\r/);
    this.rest = parts.pop() ?? '';
    for (const line of parts) this.onLine(line);
  }

  end(): void {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    if (last !== '') this.onLine(last);
  }
}
