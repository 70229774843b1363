/**
 * PostgreSQL COPY text format (`COPY ... FROM STDIN`, the default format): one line per row,
 * fields separated by tabs, `\N` for NULL, and backslash escapes for backslash, tab, newline
 * and carriage return. Arrays are written as array literals, whose own quoting (double quotes,
 * backslash) is applied first and then escaped again for COPY, so a backslash inside a bytea
 * array element ends up as four backslashes on the wire.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** PostgreSQL text cannot hold NUL; junk input must not abort a COPY, so NUL becomes U+FFFD. */
export function sanitizeText(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '\uFFFD') : text;
}

/** A text field (or NULL). */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const clean = sanitizeText(value);
  return NEEDS_ESCAPE.test(clean) ? clean.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : clean;
}

/** A text[] field: every element quoted, so `NULL` or `{` in a value stays text. */
export function copyTextArray(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return '\\N';
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) literal += ',';
    literal += `"${values[i].replace(/[\\"]/g, '\\$&')}"`;
  }
  return copyText(literal + '}');
}

/** An int[] field. */
export function copyIntArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** A bytea field from lower-case hex (or NULL). */
export function copyBytea(hex: string | null | undefined): string {
  return hex === null || hex === undefined ? '\\N' : `\\\\x${hex}`;
}

/** A bytea[] field from hex strings; '' is the empty bytea. */
export function copyByteaArray(hexes: readonly string[]): string {
  return `{${hexes.map((h) => `"\\\\\\\\x${h}"`).join(',')}}`;
}

/** A boolean field. */
export function copyBool(value: boolean): string {
  return value ? 't' : 'f';
}

/** An integer field (or NULL). */
export function copyInt(value: number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : String(value);
}
