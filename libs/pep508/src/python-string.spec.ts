import { decodePythonString } from './python-string';

describe('decodePythonString (what ast.literal_eval makes of a quoted marker value)', () => {
  it.each<[string, string | null]>([
    [`'plain'`, 'plain'],
    [`""`, ''],
    [`"it's"`, "it's"],
    [`'a"b'`, 'a"b'],
    [`'\\x41\\u00e9\\U0001F600'`, 'Aé\u{1F600}'],
    [`'\\101\\0\\7'`, 'A\0\x07'],
    [`'\\n\\t\\r\\\\\\'\\"\\a\\b\\f\\v'`, '\n\t\r\\\'"\x07\b\f\v'],
    [`'\\d\\w'`, '\\d\\w'],
    [`'a\\\nb'`, 'ab'],
    [`'a\\\r\nb'`, 'ab'],
    [`'C:\\'`, null],
    [`'\\x'`, null],
    [`'\\x4'`, null],
    [`'\\u12'`, null],
    [`'\\U00110000'`, null],
    [`'\\N{DASH}'`, null],
    [`'a\nb'`, null],
    [`'a\rb'`, null],
    [`'a\0b'`, null],
  ])('%j → %j', (token, expected) => {
    expect(decodePythonString(token)).toBe(expected);
  });
});
