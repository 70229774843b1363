/**
 * PEP 508 environment markers ("Environment Markers"): `python_version < "3.8" and extra ==
 * "test"`. A {@link Marker} is an immutable, parsed expression that evaluates against a
 * {@link MarkerEnvironment} and an optional extra; see marker-evaluation.ts for the comparison
 * rules and marker-ast.ts for the tree and its printing.
 *
 * Parsed markers are memoized by their text: the same few hundred markers recur across
 * millions of requirements, and a Marker carries its compiled evaluator.
 */
import { BoundedCache } from './bounded-cache';
import type { MarkerEnvironment } from './environment';
import { InvalidMarkerError } from './errors';
import { formatMarker, grouped, MarkerNode } from './marker-ast';
import { compileMarker, MarkerEvaluator } from './marker-evaluation';
import { parseMarkerNode } from './marker-parser';
import { normalizeName } from './name';
import { Tokenizer } from './tokenizer';

/** A parsed marker expression. Immutable; equal markers print equally. */
export class Marker {
  private readonly evaluator: MarkerEvaluator;
  private text?: string;

  /** Builds a marker from a tree (see {@link parseMarker} for text). */
  constructor(
    /** The expression tree. */
    readonly root: MarkerNode,
  ) {
    this.evaluator = compileMarker(root);
  }

  /**
   * Whether the marker holds in `env` while installing `extra` (PEP 685-normalized before
   * comparing). Without an extra, `extra == "…"` is false. Never throws.
   */
  evaluate(env: MarkerEnvironment, extra?: string): boolean {
    return this.evaluator(env, extra ? normalizeName(extra) : '');
  }

  /** The normalized extras that `extra == "…"` comparisons (either way round) mention. */
  get extraNames(): readonly string[] {
    const names = new Set<string>();
    const visit = (node: MarkerNode): void => {
      if (node.kind !== 'compare') {
        node.operands.forEach(visit);
        return;
      }
      if (node.op !== '==') return;
      if (node.lhs.kind === 'variable' && node.lhs.name === 'extra' && node.rhs.kind === 'value') names.add(node.rhs.value);
      if (node.rhs.kind === 'variable' && node.rhs.name === 'extra' && node.lhs.kind === 'value') names.add(node.lhs.value);
    };
    visit(this.root);
    return [...names];
  }

  /** `(this) and (other)`. */
  and(other: Marker): Marker {
    return new Marker({ kind: 'and', operands: [grouped(this.root), grouped(other.root)], grouped: false });
  }

  /** `(this) or (other)`. */
  or(other: Marker): Marker {
    return new Marker({ kind: 'or', operands: [grouped(this.root), grouped(other.root)], grouped: false });
  }

  /** Whether both markers print the same (packaging's notion of marker equality). */
  equals(other: Marker): boolean {
    return this === other || this.toString() === other.toString();
  }

  /** The normalized text, e.g. `python_version < "3.8" and extra == "foo"`. */
  toString(): string {
    if (this.text === undefined) this.text = formatMarker(this.root);
    return this.text;
  }
}

const markers = new BoundedCache<string, Marker>(8192);

/**
 * The memo key of a marker text: blanks (spaces, tabs) around a marker never change whether or
 * how it parses, so `a; os_name == "nt"` reuses the marker of `os_name == "nt"`.
 */
function memoKey(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** A marker parsed earlier from this text (blanks around it aside), if still remembered. */
export function rememberedMarker(text: string): Marker | undefined {
  return markers.get(memoKey(text));
}

/** Remembers a successfully parsed marker under its text. */
export function rememberMarker(text: string, marker: Marker): void {
  markers.set(memoKey(text), marker);
}

/**
 * Parses a marker expression such as `os_name == "nt" and python_version < "3.8"`.
 * @throws InvalidMarkerError with the position where parsing stopped.
 */
export function parseMarker(text: string): Marker {
  const known = rememberedMarker(text);
  if (known !== undefined) return known;
  const tokenizer = new Tokenizer(text, (reason, span) => new InvalidMarkerError(reason, text, span));
  const root = parseMarkerNode(tokenizer);
  tokenizer.expect('END', 'end of marker expression');
  const marker = new Marker(root);
  rememberMarker(text, marker);
  return marker;
}
