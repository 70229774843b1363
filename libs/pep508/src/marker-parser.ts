/**
 * Recursive-descent parser of marker expressions (PEP 508 "Grammar", `marker`), after
 * packaging's `_parser.py`, so that what it accepts, and where it reports an error, match:
 *
 *     marker      = marker_atom (BOOLOP marker_atom)*
 *     marker_atom = WS? '(' WS? marker WS? ')' WS? | WS? marker_item WS?
 *     marker_item = WS? marker_var WS? marker_op WS? marker_var WS?
 *     marker_var  = VARIABLE | QUOTED_STRING
 *     marker_op   = IN | NOT WS IN | OP
 *
 * The one addition is a nesting limit: packaging would die of a RecursionError on a few
 * hundred open parentheses; we report a typed error instead.
 */
import { grouped, MarkerComparison, MarkerNode, MarkerOperand, MarkerOperator, MarkerVariable } from './marker-ast';
import { normalizeName } from './name';
import { decodePythonString } from './python-string';
import { Tokenizer } from './tokenizer';

/** How many parentheses may be open at once. */
export const MAX_MARKER_DEPTH = 200;

/** Parses `marker` at the tokenizer's position (leaving what follows it unread). */
export function parseMarkerNode(tokenizer: Tokenizer, depth = 0): MarkerNode {
  const alternatives: MarkerNode[] = [];
  let conjuncts: MarkerNode[] = [parseAtom(tokenizer, depth)];
  while (tokenizer.check('BOOLOP')) {
    const operator = tokenizer.read().text;
    const atom = parseAtom(tokenizer, depth);
    if (operator === 'or') {
      alternatives.push(junction('and', conjuncts));
      conjuncts = [atom];
    } else {
      conjuncts.push(atom);
    }
  }
  alternatives.push(junction('and', conjuncts));
  return junction('or', alternatives);
}

function junction(kind: 'and' | 'or', operands: MarkerNode[]): MarkerNode {
  return operands.length === 1 ? operands[0] : { kind, operands, grouped: false };
}

function parseAtom(tokenizer: Tokenizer, depth: number): MarkerNode {
  tokenizer.consume('WS');
  let node: MarkerNode;
  if (tokenizer.check('LEFT_PARENTHESIS', true)) {
    if (depth >= MAX_MARKER_DEPTH) tokenizer.fail(`Marker expression nested more than ${MAX_MARKER_DEPTH} levels deep`);
    node = tokenizer.enclosed('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'marker expression', () => {
      tokenizer.consume('WS');
      const inner = parseMarkerNode(tokenizer, depth + 1);
      tokenizer.consume('WS');
      return inner;
    });
    node = grouped(node);
  } else {
    node = parseItem(tokenizer);
  }
  tokenizer.consume('WS');
  return node;
}

function parseItem(tokenizer: Tokenizer): MarkerComparison {
  tokenizer.consume('WS');
  const lhs = parseOperand(tokenizer);
  tokenizer.consume('WS');
  const op = parseOperator(tokenizer);
  tokenizer.consume('WS');
  const rhs = parseOperand(tokenizer);
  tokenizer.consume('WS');
  return comparison(lhs, op, rhs);
}

/**
 * PEP 685: a value compared with `extra`, or tested for membership in `extras` or
 * `dependency_groups`, is stored normalized (`"Foo_Bar"` → `"foo-bar"`).
 */
function comparison(lhs: MarkerOperand, op: MarkerOperator, rhs: MarkerOperand): MarkerComparison {
  if (lhs.kind === 'variable' && lhs.name === 'extra' && rhs.kind === 'value') {
    rhs = { kind: 'value', value: normalizeName(rhs.value) };
  } else if (rhs.kind === 'variable' && lhs.kind === 'value' && namesExtras(rhs.name, op)) {
    lhs = { kind: 'value', value: normalizeName(lhs.value) };
  }
  return { kind: 'compare', lhs, op, rhs };
}

function namesExtras(name: MarkerVariable, op: MarkerOperator): boolean {
  return name === 'extra' || ((name === 'extras' || name === 'dependency_groups') && (op === 'in' || op === 'not in'));
}

function parseOperand(tokenizer: Tokenizer): MarkerOperand {
  if (tokenizer.check('VARIABLE')) return { kind: 'variable', name: canonicalVariable(tokenizer.read().text) };
  if (tokenizer.check('QUOTED_STRING')) {
    const token = tokenizer.read();
    const value = decodePythonString(token.text);
    if (value === null) tokenizer.fail('Invalid quoted string', token.position, token.position + token.text.length);
    return { kind: 'value', value };
  }
  return tokenizer.fail('Expected a marker variable or quoted string');
}

/** Folds PEP 345 dotted names and setuptools' `python_implementation` into PEP 508 names. */
function canonicalVariable(spelling: string): MarkerVariable {
  const name = spelling.replace('.', '_');
  return (name === 'python_implementation' ? 'platform_python_implementation' : name) as MarkerVariable;
}

function parseOperator(tokenizer: Tokenizer): MarkerOperator {
  if (tokenizer.check('IN')) {
    tokenizer.read();
    return 'in';
  }
  if (tokenizer.check('NOT')) {
    tokenizer.read();
    tokenizer.expect('WS', "whitespace after 'not'");
    tokenizer.expect('IN', "'in' after 'not'");
    return 'not in';
  }
  if (tokenizer.check('OP')) return tokenizer.read().text as MarkerOperator;
  return tokenizer.fail('Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in');
}
