/**
 * Marker values are Python string literals: packaging hands the quoted token to
 * `ast.literal_eval`, so backslash escapes are decoded (`'\x41'` is `A`) and a literal Python
 * would reject (`"C:\"`, whose backslash escapes the closing quote) is an "Invalid quoted
 * string". This module decodes a quoted token the way Python does, without Python.
 *
 * Not supported: `\N{NAME}` escapes, which need the Unicode name database; they are rejected
 * like any invalid literal.
 */

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
]);

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Decodes a quoted token (quotes included, as the tokenizer found it) into its value, or
 * answers `null` when Python would refuse the literal.
 */
export function decodePythonString(token: string): string | null {
  const body = token.slice(1, -1);
  if (body.indexOf('\\') < 0) return /[\n\r\0]/.test(body) ? null : body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === '\n' || ch === '\r' || ch === '\0') return null;
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    if (i + 1 >= body.length) return null; // the backslash escapes the closing quote
    const next = body[i + 1];
    i += 2;
    const simple = SIMPLE_ESCAPES.get(next);
    if (simple !== undefined) {
      out += simple;
    } else if (next === '\n') {
      // a line continuation: both characters vanish
    } else if (next === '\r') {
      if (body[i] === '\n') i++;
    } else if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && body[i] >= '0' && body[i] <= '7') digits += body[i++];
      out += String.fromCodePoint(parseInt(digits, 8));
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i, i + width);
      if (hex.length !== width || !HEX.test(hex)) return null;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += width;
    } else if (next === 'N') {
      return null;
    } else {
      out += '\\' + next; // unknown escapes stay as written (Python only warns)
    }
  }
  return out;
}
