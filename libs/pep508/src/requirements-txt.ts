/**
 * requirements.txt as pip reads it, as far as a server that receives the text can honour it:
 * one requirement a line, `#` comments (at line start or after whitespace), `\` continuations,
 * per-requirement `--hash` options (their sha256 values kept: a lock names its files by them; a
 * resolution ignores them, the server hashes what it pins), and the global
 * options that change resolution (`--pre`, `--only-binary`, `--no-binary`). Index options
 * (`-i`, `--extra-index-url`, `-f`, ...) are reported as ignored: the server's indexes decide.
 * What a server cannot follow (`-r`/`-c` file references, `-e` editables) and anything that
 * does not parse is an error naming the line and the position in it.
 */
import { InputError } from '@venvfarm/pep440';
import { normalizeName } from './name';
import { parseRequirement, Requirement } from './requirement';

/** A logical line: continuations joined, comment removed, trimmed; `line` is where it starts (1-based). */
export interface LogicalLine {
  readonly line: number;
  readonly text: string;
}

/** A requirement and the line it came from. */
export interface RequirementsTxtEntry extends LogicalLine {
  readonly requirement: Requirement;
  /** The `--hash=sha256:…` values of the line, lower-cased, unchecked (other algorithms are left out). */
  readonly sha256: readonly string[];
}

/** What a requirements.txt says. */
export interface RequirementsTxt {
  readonly requirements: readonly RequirementsTxtEntry[];
  /** `--pre` appeared. */
  readonly pre: boolean;
  /** `--only-binary` names (normalized; `:all:` kept as is); later `:none:` clears. */
  readonly onlyBinary: readonly string[];
  readonly noBinary: readonly string[];
  /** Options that were understood and deliberately not followed. */
  readonly ignored: readonly LogicalLine[];
}

/** A requirements.txt line that cannot be used; `input` is the line, `position` the spot in it. */
export class InvalidRequirementsTxtError extends InputError {
  constructor(
    reason: string,
    /** 1-based line number in the file. */
    readonly line: number,
    input: string,
    position: number,
  ) {
    super(`line ${line}: ${reason}`, input, position);
  }
}

/** Splits text into logical lines, dropping comments and blank lines. */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i];
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const stripped = line.replace(/(^|\s)#.*$/, '').trim();
    if (stripped !== '') out.push({ line: start, text: stripped });
  }
  return out;
}

const IGNORED_WITH_VALUE = new Set(['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host']);
const IGNORED_FLAGS = new Set(['--no-index', '--prefer-binary', '--require-hashes']);
const REFUSED: Readonly<Record<string, string>> = {
  '-r': 'references another file, which the server cannot read; send its lines instead',
  '--requirement': 'references another file, which the server cannot read; send its lines instead',
  '-c': 'references a constraints file, which the server cannot read; send them as "constraints"',
  '--constraint': 'references a constraints file, which the server cannot read; send them as "constraints"',
  '-e': 'is an editable install of local code, which a server cannot resolve',
  '--editable': 'is an editable install of local code, which a server cannot resolve',
};

/** `--opt=value` or `--opt value`. */
function optionParts(text: string): [string, string | null] {
  const eq = text.indexOf('=');
  const space = text.search(/\s/);
  if (eq > 0 && (space < 0 || eq < space)) return [text.slice(0, eq), text.slice(eq + 1).trim()];
  if (space > 0) return [text.slice(0, space), text.slice(space).trim()];
  return [text, null];
}

function binaryList(current: string[], value: string): string[] {
  let next = current;
  for (const raw of value.split(',').map((v) => v.trim()).filter(Boolean)) {
    if (raw === ':none:') next = [];
    else next = [...next, raw === ':all:' ? raw : normalizeName(raw)];
  }
  return next;
}

/**
 * Parses requirements.txt text.
 * @throws InvalidRequirementsTxtError naming the first line that cannot be used
 */
export function parseRequirementsTxt(text: string): RequirementsTxt {
  const requirements: RequirementsTxtEntry[] = [];
  const ignored: LogicalLine[] = [];
  let pre = false;
  let onlyBinary: string[] = [];
  let noBinary: string[] = [];
  for (const logical of logicalLines(text)) {
    const { line, text: body } = logical;
    if (body.startsWith('-')) {
      const [option, value] = optionParts(body);
      if (option in REFUSED) throw new InvalidRequirementsTxtError(`${option} ${REFUSED[option]}`, line, body, 0);
      if (option === '--pre') pre = true;
      else if (option === '--only-binary' || option === '--no-binary') {
        if (value === null || value === '') throw new InvalidRequirementsTxtError(`${option} needs a value`, line, body, body.length);
        if (option === '--only-binary') onlyBinary = binaryList(onlyBinary, value);
        else noBinary = binaryList(noBinary, value);
      } else if (IGNORED_WITH_VALUE.has(option) || IGNORED_FLAGS.has(option)) ignored.push(logical);
      else throw new InvalidRequirementsTxtError(`unknown option ${option}`, line, body, 0);
      continue;
    }
    // Per-requirement options: --hash is kept, others are not supported.
    const optionAt = body.search(/\s--?[a-z]/);
    const requirementText = optionAt < 0 ? body : body.slice(0, optionAt).trim();
    const sha256: string[] = [];
    if (optionAt >= 0) {
      for (const match of body.slice(optionAt).matchAll(/\s(--?[a-z][\w-]*)(?:[=\s]+(\S+))?/g)) {
        const at = optionAt + (match.index ?? 0) + 1;
        if (match[1] !== '--hash') throw new InvalidRequirementsTxtError(`per-requirement option ${match[1]} is not supported`, line, body, at);
        // Kept as written: a resolution ignores them, and a lock checks what it uses (lockfile's parseLock).
        const [algorithm, digest] = (match[2] ?? '').split(':');
        if (algorithm === 'sha256' && digest !== undefined) sha256.push(digest.toLowerCase());
      }
    }
    try {
      requirements.push({ line, text: requirementText, requirement: parseRequirement(requirementText), sha256 });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InvalidRequirementsTxtError(error.reason, line, requirementText, error.position);
    }
  }
  return { requirements, pre, onlyBinary, noBinary, ignored };
}
