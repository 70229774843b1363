/**
 * Differential tests against pypa/packaging (fixtures/packaging-oracle.json, see generate.py):
 * the same inputs must be accepted or rejected alike, with the same parts, the same printed
 * form, and the same error message, span and caret; evaluations must agree on every
 * environment.
 */
import oracle from '../fixtures/packaging-oracle.json';
import type { MarkerEnvironment } from './environment';
import { Pep508Error } from './errors';
import { parseMarker } from './marker';
import { parseRequirement } from './requirement';

interface ParseError {
  message: string | null;
  start?: number;
  end?: number;
}

function outcome<T>(parse: () => T): { value: T } | { error: Pep508Error } {
  try {
    return { value: parse() };
  } catch (e) {
    if (!(e instanceof Pep508Error)) throw e;
    return { error: e };
  }
}

function expectSameError(error: Pep508Error, expected: ParseError): void {
  expect(error.message).toBe(expected.message);
  expect(error.span).toEqual({ start: expected.start, end: expected.end });
  expect(error.position).toBe(expected.end);
}

/** Packaging accepts an empty `===` clause, which can never match; we reject it (requirement.ts). */
const emptyArbitraryEquality = (c: (typeof oracle.requirements)[number]) =>
  'ok' in c && c.ok !== undefined && (c.ok.specifiers as string[]).includes('===');

/**
 * packaging 26.2 prints `a and ((b or c))` as `a and b or c`, which means something else; we
 * keep the parentheses (newer packaging tests demand that str() round-trips).
 */
const MARKER_PRINTING_DEPARTURES = new Set(['python_version < "3.10" and ((sys_platform == "linux" or sys_platform == "darwin"))']);

describe('requirements agree with packaging', () => {
  const cases = oracle.requirements.filter((c) => !emptyArbitraryEquality(c));
  it.each(cases.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_, c) => {
    const got = outcome(() => parseRequirement(c.input));
    if ('ok' in c && c.ok) {
      if ('error' in got) throw new Error(`rejected: ${got.error.message}`);
      const req = got.value;
      expect(req.rawName).toBe(c.ok.rawName);
      expect(req.name).toBe(c.ok.name);
      expect([...req.extras]).toEqual(c.ok.extras);
      expect([...new Set(req.specifier.specifiers.map(String))].sort()).toEqual(c.ok.specifiers);
      expect(req.url).toBe(c.ok.url);
      expect(req.marker !== null).toBe(c.ok.hasMarker);
      if (c.ok.marker !== null) expect(String(req.marker)).toBe(c.ok.marker);
      expect(String(parseRequirement(String(req)))).toBe(String(req));
    } else {
      if ('value' in got) throw new Error(`accepted as ${String(got.value)}`);
      expectSameError(got.error, (c as { error: ParseError }).error);
    }
  });

  it.each(oracle.requirements.filter(emptyArbitraryEquality).map((c) => [JSON.stringify(c.input), c.input]))(
    'rejects the empty arbitrary-equality clause of %s, which packaging accepts',
    (_, input) => {
      expect(() => parseRequirement(input)).toThrow('Invalid version specifier');
    },
  );
});

describe('markers agree with packaging', () => {
  it.each(oracle.markers.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_, c) => {
    const got = outcome(() => parseMarker(c.input));
    if ('ok' in c) {
      if ('error' in got) throw new Error(`rejected: ${got.error.message}`);
      if (c.ok !== null && !MARKER_PRINTING_DEPARTURES.has(c.input)) expect(String(got.value)).toBe(c.ok);
      expect(String(parseMarker(String(got.value)))).toBe(String(got.value));
    } else {
      if ('value' in got) throw new Error(`accepted as ${String(got.value)}`);
      expectSameError(got.error, (c as { error: ParseError }).error);
    }
  });
});

describe('marker evaluation agrees with packaging (contract comparison rules)', () => {
  const envs = oracle.evaluations.envs.map(({ extra, ...env }) => ({ env: env as MarkerEnvironment, extra }));
  it.each(oracle.evaluations.cases.map((c) => [c.marker, c.results] as const))('%s', (text, expected) => {
    const marker = parseMarker(text);
    const got = envs.map(({ env, extra }) => (marker.evaluate(env, extra) ? '1' : '0')).join('');
    expect(got).toBe(expected);
  });
});
