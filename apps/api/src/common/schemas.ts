/**
 * Schemas of values that requests share: a project name, a PEP 508 requirement, a PEP 440
 * version range. Each calls the pure parser of its library and turns its typed error into an
 * issue of the field with the position where parsing stopped.
 */
import { InputError, SpecifierSet } from '@venvfarm/pep440';
import { parseProjectName, parseRequirement, ProjectName } from '@venvfarm/pep508';
import { z } from 'zod';
import { LIMITS } from './limits';
import { reportInputError } from './request-errors';

/** Runs a library parser; its InputError becomes an issue of this field, anything else is a bug and propagates. */
function parsedWith<T>(parse: (text: string) => T) {
  return (text: string, ctx: z.RefinementCtx): T => {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reportInputError(ctx, [], error);
      return z.NEVER;
    }
  };
}

/** A project name (PEP 508 name syntax, at most the limit), normalized into a {@link ProjectName}. */
export const projectNameSchema = z
  .string()
  .max(LIMITS.projectNameLength)
  .transform(parsedWith<ProjectName>(parseProjectName))
  .meta({
    description: `A project name in any spelling (PEP 508 name syntax, at most ${LIMITS.projectNameLength} characters); compared in its PEP 503 normalized form`,
    examples: ['Django', 'zope.interface'],
  });

/**
 * A project name as a URL spelled it, kept beside its normalized form: the simple API redirects a
 * spelling that is not the normalized one (as PyPI does) instead of answering under two URLs.
 */
export const projectNameSpellingSchema = z
  .string()
  .max(LIMITS.projectNameLength)
  .transform((text, ctx) => {
    const name = parsedWith<ProjectName>(parseProjectName)(text, ctx);
    return { spelled: text, name };
  })
  .meta({ description: `A project name in any spelling (PEP 508 name syntax, at most ${LIMITS.projectNameLength} characters)`, examples: ['django', 'zope-interface'] });

/** Names an index cannot take: the server's own first path segments, and the mirror of the upstream. */
export const RESERVED_INDEX_NAMES: readonly string[] = ['pypi', 'simple', 'files', 'v1', 'health', 'metrics', 'docs', 'api', 'static'];

/** An index name: lower-case letters, digits and inner dashes, as it appears in `/{index}/simple/`. */
export const indexNameSchema = z
  .string()
  .min(1)
  .max(LIMITS.indexNameLength)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { message: 'must be lower-case letters, digits and inner dashes' })
  .meta({ description: `An index name (lower-case letters, digits and inner dashes, at most ${LIMITS.indexNameLength} characters)`, examples: ['acme'] });

/** Why a direct URL requirement is refused: the server fetches only from the indexes its operator configured. */
export const NO_DIRECT_URL = 'direct URL requirements are not supported; name a project on the index';

/**
 * One PEP 508 requirement naming a project on the index (no direct URL), checked and kept as the
 * text that was sent (allow-lists store their lines).
 */
export const requirementTextSchema = z
  .string()
  .min(1)
  .max(LIMITS.requirementLength)
  .check((check) => {
    try {
      if (parseRequirement(check.value).url !== null) check.issues.push({ code: 'custom', input: check.value, message: NO_DIRECT_URL, params: { position: check.value.indexOf('@') } });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      check.issues.push({ code: 'custom', input: check.value, message: error.message, params: { position: error.position } });
    }
  })
  .meta({ description: `A PEP 508 requirement of a project on the index (at most ${LIMITS.requirementLength} characters)`, examples: ['django>=4', 'requests'] });

/** A version range: a PEP 440 specifier set, parsed; empty is no range (undefined). */
export const versionRangeSchema = z
  .string()
  .max(LIMITS.versionRangeLength)
  .transform((text, ctx) => (text === '' ? undefined : parsedWith<SpecifierSet>((range) => SpecifierSet.parse(range))(text, ctx)))
  .meta({ description: `A PEP 440 specifier set (at most ${LIMITS.versionRangeLength} characters); empty for none`, examples: ['>=4.2,<5', '==4.2.*'] });

/** An integer query parameter in `min..max` (query values are strings on the wire: digits only, no `0x10` or `+3`). */
export function integerParameter(range: { min: number; max: number }, description: string) {
  const message = `must be an integer from ${range.min} to ${range.max}`;
  return z
    .string()
    .refine((text) => /^[0-9]{1,9}$/.test(text) && Number(text) >= range.min && Number(text) <= range.max, { message })
    .transform(Number)
    .meta({ description: `${description} (${range.min}–${range.max})`, type: 'integer', minimum: range.min, maximum: range.max });
}
