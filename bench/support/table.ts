/** Markdown tables as the benchmarks print them (and bench/README.md records them). */

/** The lines of a markdown table: header, separator, one line per row. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

/** A count with thousands separators, rounded: 59,130. */
export const thousands = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
