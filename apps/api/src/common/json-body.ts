/**
 * The JSON body rules of the edge: bodies nest at most `LIMITS.jsonDepth` levels (checked on the
 * raw bytes before parsing, so a quarter megabyte of `[[[[` costs one pass instead of a parse,
 * and nothing downstream ever walks a deep value), and an unreadable body is one typed error with
 * the position where reading stopped.
 */
import { LIMITS } from './limits';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** A request body that is not JSON the API reads: malformed, or nested too deeply. */
export class InvalidJsonError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the body where reading stopped, when known. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'InvalidJsonError';
  }
}

/**
 * The offset of the first bracket that opens level `max + 1`, or -1 when the text nests at most
 * `max` levels. Brackets inside strings do not count; the text need not be valid JSON (the
 * parser says what else is wrong).
 */
export function excessiveDepthAt(bytes: Uint8Array, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > max) return i;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
  }
  return -1;
}

/** A JSON body as read: its text (for answers remembered by the exact bytes of a request) and its value. */
export interface JsonBody {
  readonly text: string;
  readonly value: unknown;
}

/**
 * Reads a JSON body: empty is no body (undefined), else its text and value.
 * @throws InvalidJsonError when it nests too deep or is not JSON
 */
export function readJsonBody(bytes: Buffer): JsonBody | undefined {
  if (bytes.length === 0) return undefined;
  const tooDeep = excessiveDepthAt(bytes, LIMITS.jsonDepth);
  if (tooDeep >= 0) throw new InvalidJsonError(`the body nests arrays and objects more than ${LIMITS.jsonDepth} levels deep`, tooDeep);
  const text = bytes.toString('utf8');
  try {
    return { text, value: JSON.parse(text) };
  } catch (error) {
    throw invalidJson(error);
  }
}

/** A JSON.parse error as an InvalidJsonError, with the position when the message gives one. */
function invalidJson(error: unknown): InvalidJsonError {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  return new InvalidJsonError(`the body is not valid JSON: ${message}`, at === null ? undefined : Number(at[1]));
}
