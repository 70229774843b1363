/**
 * Evaluation of marker expressions against a {@link MarkerEnvironment} (PEP 508 "Environment
 * Markers"), compiled once per marker into closures so that evaluating it for many targets
 * costs no re-parsing.
 *
 * Comparison semantics, as packaging 22–25 defines them (the contract of this library):
 * - When the operator and the right-hand value form a PEP 440 specifier (`>=` + `3.8`) and the
 *   left-hand value is a version, the specifier decides, pre-releases allowed:
 *   `python_full_version > "3.6.2"` holds for `3.11.0a5`, `python_version == "3.1*"` never does.
 *   Reversed operands keep their roles: `"3.8" <= python_version` builds the specifier from the
 *   environment's value, `<=3.11`, and asks whether it contains `3.8`.
 * - Otherwise the values compare as Python strings (by code point): `platform_machine > "B"`.
 *   `~=` has no string meaning and is false; `===` is plain equality.
 * - `in` / `not in` are substring tests: `"linux" in sys_platform`, `python_version in "3.8 3.9"`.
 * - `extra` compares PEP 685-normalized names as strings, never as versions (`extra == "v2"` does
 *   not match the extra `v2.0`). Without an extra, `extra` is the empty string, so
 *   `extra == "test"` is false and `extra != "test"` true.
 * - `python_full_version` ending in `+` (an untagged CPython build) reads as `+local`, as in
 *   packaging.
 * - The lock-file sets (PEP 751): `extras` holds the extra being evaluated (if any) and
 *   `dependency_groups` is empty; `"x" in extras` tests normalized membership. Any other
 *   comparison with a set is false, except `!=`, which is true (Python's `str != set`).
 *
 * Departures from packaging, where packaging raises at evaluation time: `~=` on non-versions is
 * false (packaging: UndefinedComparison); two literals compare with each other and two
 * variables compare their values (packaging looks the right-hand literal up as a variable name).
 */
import { Specifier, Version } from '@venvfarm/pep440';
import { BoundedCache } from './bounded-cache';
import type { MarkerEnvironment } from './environment';
import type { MarkerComparison, MarkerNode, MarkerOperand, MarkerOperator, MarkerVariable } from './marker-ast';
import { normalizeName } from './name';

/** A compiled marker: environment and normalized extra (`''` for none) to truth. */
export type MarkerEvaluator = (env: MarkerEnvironment, extra: string) => boolean;

const PRERELEASES = { prereleases: true } as const;
const specifiers = new BoundedCache<string, Specifier | null>(4096);
const versions = new BoundedCache<string, Version | null>(4096);

/** The specifier `op` + `value` (packaging builds it by concatenation), or null. */
function specifierOf(op: MarkerOperator, value: string): Specifier | null {
  if (op === 'in' || op === 'not in') return null;
  const text = op + value;
  let spec = specifiers.get(text);
  if (spec === undefined) {
    try {
      spec = Specifier.parse(text);
    } catch {
      spec = null;
    }
    specifiers.set(text, spec);
  }
  return spec;
}

function versionOf(text: string): Version | null {
  let version = versions.get(text);
  if (version === undefined) {
    version = Version.tryParse(text);
    versions.set(text, version);
  }
  return version;
}

/** Orders UTF-16 code units so that comparing them orders code points, as Python does. */
function codePointKey(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Python's `str` ordering: -1, 0 or 1. */
export function comparePythonStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointKey(x) < codePointKey(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** `lhs op rhs` on plain strings. */
function compareStrings(lhs: string, op: MarkerOperator, rhs: string): boolean {
  switch (op) {
    case '==':
    case '===':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '<':
      return comparePythonStrings(lhs, rhs) < 0;
    case '<=':
      return comparePythonStrings(lhs, rhs) <= 0;
    case '>':
      return comparePythonStrings(lhs, rhs) > 0;
    case '>=':
      return comparePythonStrings(lhs, rhs) >= 0;
    case '~=':
      return false;
    case 'in':
      return rhs.includes(lhs);
    case 'not in':
      return !rhs.includes(lhs);
  }
}

/** `lhs op rhs` with both values known only now. */
function compareValues(lhs: string, op: MarkerOperator, rhs: string, extra: boolean): boolean {
  if (extra) return compareStrings(normalizeName(lhs), op, normalizeName(rhs));
  const spec = specifierOf(op, rhs);
  const version = spec === null ? null : versionOf(lhs);
  return spec !== null && version !== null ? spec.contains(version, PRERELEASES) : compareStrings(lhs, op, rhs);
}

/** The value of a (string-valued) variable in the environment. */
function lookup(env: MarkerEnvironment, name: MarkerVariable, extra: string): string {
  if (name === 'extra') return extra;
  if (name === 'extras' || name === 'dependency_groups') return '';
  const value = env[name] ?? '';
  return name === 'python_full_version' && value.endsWith('+') ? `${value}local` : value;
}

/** Compiles a marker tree into an evaluator. */
export function compileMarker(node: MarkerNode): MarkerEvaluator {
  if (node.kind === 'compare') return compileComparison(node);
  const parts = node.operands.map(compileMarker);
  if (node.kind === 'and') {
    return (env, extra) => {
      for (const part of parts) if (!part(env, extra)) return false;
      return true;
    };
  }
  return (env, extra) => {
    for (const part of parts) if (part(env, extra)) return true;
    return false;
  };
}

function compileComparison({ lhs, op, rhs }: MarkerComparison): MarkerEvaluator {
  if (isSet(lhs) || isSet(rhs)) return setComparison(lhs, op, rhs);
  if (lhs.kind === 'variable' && rhs.kind === 'value') return variableOpValue(lhs.name, op, rhs.value);
  if (lhs.kind === 'value' && rhs.kind === 'variable') return valueOpVariable(lhs.value, op, rhs.name);
  if (lhs.kind === 'value' && rhs.kind === 'value') {
    const constant = compareValues(lhs.value, op, rhs.value, false);
    return () => constant;
  }
  const [left, right] = [lhs, rhs] as [Variable, Variable];
  const extra = left.name === 'extra' || right.name === 'extra';
  return (env, e) => compareValues(lookup(env, left.name, e), op, lookup(env, right.name, e), extra);
}

type Variable = Extract<MarkerOperand, { kind: 'variable' }>;

function isSet(operand: MarkerOperand): boolean {
  return operand.kind === 'variable' && (operand.name === 'extras' || operand.name === 'dependency_groups');
}

/** `"x" in extras`; anything else involving a set is a type mismatch in Python. */
function setComparison(lhs: MarkerOperand, op: MarkerOperator, rhs: MarkerOperand): MarkerEvaluator {
  if (isSet(lhs) || (op !== 'in' && op !== 'not in')) return op === '!=' ? () => true : () => false;
  const set = (rhs as Variable).name;
  const member = lhs.kind === 'value' ? lhs.value : null;
  return (env, extra) => {
    const item = member ?? normalizeName(lookup(env, (lhs as Variable).name, extra));
    const found = set === 'extras' && extra !== '' && item === extra;
    return op === 'in' ? found : !found;
  };
}

/** `python_version >= "3.8"`: the specifier is known at compile time. */
function variableOpValue(name: MarkerVariable, op: MarkerOperator, value: string): MarkerEvaluator {
  if (name === 'extra') return (_env, extra) => compareStrings(extra, op, value);
  const spec = specifierOf(op, value);
  if (spec === null) return (env, extra) => compareStrings(lookup(env, name, extra), op, value);
  return (env, extra) => {
    const actual = lookup(env, name, extra);
    const version = versionOf(actual);
    return version !== null ? spec.contains(version, PRERELEASES) : compareStrings(actual, op, value);
  };
}

/** `"3.8" <= python_version`: the version is known, the specifier comes from the environment. */
function valueOpVariable(value: string, op: MarkerOperator, name: MarkerVariable): MarkerEvaluator {
  if (name === 'extra') return (_env, extra) => compareStrings(value, op, extra);
  const version = op === 'in' || op === 'not in' ? null : versionOf(value);
  if (version === null) return (env, extra) => compareStrings(value, op, lookup(env, name, extra));
  return (env, extra) => {
    const actual = lookup(env, name, extra);
    const spec = specifierOf(op, actual);
    return spec !== null ? spec.contains(version, PRERELEASES) : compareStrings(value, op, actual);
  };
}
