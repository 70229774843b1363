/**
 * Typed parse errors of PEP 440 versions and specifiers.
 *
 * Every error carries the offending input and the 0-based position of the first character that
 * could not be accepted, and its message draws a caret under that spot, so an API can say
 * exactly what was wrong and where (HTTP 400 bodies reuse `input` and `position`).
 */

/** Draws `input` with a caret under `position`, the way pypa/packaging reports parse errors. */
export function caretLine(input: string, position: number, length = 1): string {
  const shown = input.length > 200 ? input.slice(0, 200) + '…' : input;
  const at = Math.min(position, shown.length);
  return `    ${shown}\n    ${' '.repeat(at)}${'^'.repeat(Math.max(1, Math.min(length, shown.length - at || 1)))}`;
}

/**
 * Base class of every error the packaging libraries (pep440, pep508, wheel) throw for malformed
 * input, so an app can turn all of them into one kind of answer (HTTP 400 naming input and
 * position) with a single check.
 */
export abstract class InputError extends Error {
  constructor(
    /** What was wrong, without the drawing. */
    readonly reason: string,
    /** The whole input that failed. */
    readonly input: string,
    /** 0-based offset of the offending character; may equal `input.length` when something is missing at the end. */
    readonly position: number,
    /** How to draw the spot under the reason; a caret by default. */
    drawing: string = caretLine(input, position),
  ) {
    super(`${reason}\n${drawing}`);
    this.name = new.target.name;
  }
}

/** Base class of the errors this library throws for malformed input. */
export abstract class Pep440Error extends InputError {}

/** A string that is not a valid PEP 440 version. */
export class InvalidVersionError extends Pep440Error {}

/** A string that is not a valid PEP 440 version specifier (or specifier set). */
export class InvalidSpecifierError extends Pep440Error {}
