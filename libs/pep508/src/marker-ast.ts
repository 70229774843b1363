/**
 * The syntax tree of PEP 508 environment markers ("Environment Markers") and its printing.
 *
 * `and` binds tighter than `or`, as in Python and packaging: `a or b and c` is
 * `a or (b and c)`. Chains of one operator are kept flat (`a and b and c` is one node with three
 * operands). A junction the author wrote in parentheses remembers it (`grouped`) so printing
 * keeps `(a and b) or c` as written, like packaging's `str(Marker)`; parentheses around a single
 * comparison or around the whole expression are dropped.
 *
 * Printing normalizes spelling: `os.name` and `python_implementation` print as `os_name` and
 * `platform_python_implementation`, values are double-quoted (single-quoted when they contain
 * a double quote), and values compared with `extra` (or tested for membership in `extras` or
 * `dependency_groups`) are PEP 685-normalized at parse time.
 */

/**
 * The variables a marker may name (after folding PEP 345 and setuptools spellings). `extras`
 * and `dependency_groups` are the set-valued variables of PEP 751 lock files.
 */
export type MarkerVariable =
  | 'implementation_name'
  | 'implementation_version'
  | 'os_name'
  | 'platform_machine'
  | 'platform_python_implementation'
  | 'platform_release'
  | 'platform_system'
  | 'platform_version'
  | 'python_full_version'
  | 'python_version'
  | 'sys_platform'
  | 'extra'
  | 'extras'
  | 'dependency_groups';

/** Comparison operators of markers: PEP 440's plus substring tests. */
export type MarkerOperator = '===' | '==' | '~=' | '!=' | '<=' | '>=' | '<' | '>' | 'in' | 'not in';

/** One side of a comparison: an environment variable or a quoted string (decoded). */
export type MarkerOperand =
  | { readonly kind: 'variable'; readonly name: MarkerVariable }
  | { readonly kind: 'value'; readonly value: string };

/** `lhs op rhs`, e.g. `python_version >= "3.8"` or `"linux" in sys_platform`. */
export interface MarkerComparison {
  readonly kind: 'compare';
  readonly lhs: MarkerOperand;
  readonly op: MarkerOperator;
  readonly rhs: MarkerOperand;
}

/** Two or more operands joined by one boolean operator. */
export interface MarkerJunction {
  readonly kind: 'and' | 'or';
  readonly operands: readonly MarkerNode[];
  /** The author put this junction in parentheses. */
  readonly grouped: boolean;
}

/** A node of a marker expression. */
export type MarkerNode = MarkerComparison | MarkerJunction;

/** Prints a marker tree in packaging's normalized form. */
export function formatMarker(node: MarkerNode): string {
  if (node.kind === 'compare') return `${formatOperand(node.lhs)} ${node.op} ${formatOperand(node.rhs)}`;
  return node.operands
    .map((child) => (needsParentheses(child, node) ? `(${formatMarker(child)})` : formatMarker(child)))
    .join(` ${node.kind} `);
}

function needsParentheses(child: MarkerNode, parent: MarkerJunction): boolean {
  if (child.kind === 'compare') return false;
  return child.grouped || (parent.kind === 'and' && child.kind === 'or');
}

function formatOperand(operand: MarkerOperand): string {
  return operand.kind === 'variable' ? operand.name : quoteMarkerValue(operand.value);
}

/**
 * Quotes a value so that it parses back to itself: double quotes, else single quotes when the
 * value holds a double quote. Backslashes, line breaks and a value holding both quotes need
 * Python escapes (packaging would print something it cannot read back).
 */
export function quoteMarkerValue(value: string): string {
  const hasDouble = value.includes('"');
  if (!/[\\\n\r\0]/.test(value) && !(hasDouble && value.includes("'"))) {
    return hasDouble ? `'${value}'` : `"${value}"`;
  }
  const escaped = value.replace(/[\\\n\r\0"]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\0' ? '\\x00' : '\\x22',
  );
  return `"${escaped}"`;
}

/** Marks a junction as parenthesized (comparisons need no parentheses). */
export function grouped(node: MarkerNode): MarkerNode {
  return node.kind === 'compare' || node.grouped ? node : { ...node, grouped: true };
}
