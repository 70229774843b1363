/**
 * Typed errors of PEP 508 parsing: requirements, markers and named targets.
 *
 * Every error carries the offending `input`, the `span` of the bad part and its `position`
 * (the caret: 0-based offset of the character where parsing stopped, which may equal
 * `input.length` when something is missing at the end). Offsets are JavaScript string indices
 * (UTF-16 code units). The message reproduces pypa/packaging's wording and drawing:
 *
 *     Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier
 *         name (>= 1.0
 *              ~~~~~~~^
 */
import { InputError } from '@venvfarm/pep440';

/** Inputs longer than this are shown as a window around the caret, not in full. */
const MAX_SHOWN = 200;
const CONTEXT = 80;

/** A half-open range `[start, end)` of the input; the caret sits at `end`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Draws `input` on one line and, below it, `~` under the span and `^` at its end, each line
 * indented by four spaces, as packaging's `ParserSyntaxError` does.
 */
export function drawSpan(input: string, span: Span): string {
  let shown = input;
  let shift = 0;
  if (input.length > MAX_SHOWN) {
    const from = Math.max(0, span.end - CONTEXT);
    const to = Math.min(input.length, span.end + CONTEXT);
    shown = (from > 0 ? '…' : '') + input.slice(from, to) + (to < input.length ? '…' : '');
    shift = from - (from > 0 ? 1 : 0);
  }
  const start = Math.max(0, span.start - shift);
  const end = Math.max(start, span.end - shift);
  return `    ${shown}\n    ${' '.repeat(start)}${'~'.repeat(end - start)}^`;
}

/** Base class of the errors this library throws for malformed input. */
export abstract class Pep508Error extends InputError {
  constructor(
    /** What was wrong, without the drawing (e.g. `Expected end or semicolon`). */
    reason: string,
    /** The whole input that failed to parse. */
    input: string,
    /** The offending part of `input`; the caret (`position`) is its end. */
    readonly span: Span,
  ) {
    super(reason, input, span.end, drawSpan(input, span));
  }
}

/** A string that is not a valid PEP 508 dependency specifier. */
export class InvalidRequirementError extends Pep508Error {}

/** A string that is not a valid PEP 508 environment marker expression. */
export class InvalidMarkerError extends Pep508Error {}

/** A target (Python version, platform shorthand) that cannot be understood. */
export class InvalidTargetError extends Pep508Error {}

/** A project name that is not PEP 508 name syntax, or is longer than the limit. */
export class InvalidProjectNameError extends Pep508Error {}
