/**
 * A Requires-Dist string parsed once, at ingest, into the columns of `requirements`: the
 * normalized target, requested extras, the normalized specifier and its PEP 440 key ranges
 * (flattened `[lo1, hi1, lo2, hi2, ...]`, '' standing for an unbounded end), the marker and
 * the direct URL. A string that does not parse is kept with the reason in `invalid`, so junk
 * upstream metadata is visible but never breaks an import or a query.
 */
import { InputError, keyRangesOf, keyToHex } from '@venvfarm/pep440';
import { parseRequirement } from '@venvfarm/pep508';
import { copyByteaArray, copyText, copyTextArray } from './copy-text';

/** The parsed columns of one requirement string. */
export interface RequirementColumns {
  readonly target: string | null;
  readonly extras: readonly string[] | null;
  readonly specifier: string | null;
  /** Hex keys, flattened lo/hi pairs; '' = unbounded. */
  readonly ranges: readonly string[] | null;
  readonly marker: string | null;
  readonly url: string | null;
  readonly invalid: string | null;
}

/** Why a string is not a requirement, in one line (reason and where). */
function invalidReason(error: unknown): string {
  if (error instanceof InputError) return `${error.reason} (at position ${error.position})`;
  return error instanceof Error ? error.message : String(error);
}

/** Parses one Requires-Dist string; never throws. */
export function parseRequirementColumns(text: string): RequirementColumns {
  try {
    const requirement = parseRequirement(text);
    const ranges: string[] = [];
    for (const range of keyRangesOf(requirement.specifier)) {
      ranges.push(range.lo === null ? '' : keyToHex(range.lo), range.hi === null ? '' : keyToHex(range.hi));
    }
    return {
      target: requirement.name,
      extras: requirement.extras,
      specifier: requirement.specifier.toString(),
      ranges,
      marker: requirement.marker?.toString() ?? null,
      url: requirement.url,
      invalid: null,
    };
  } catch (error) {
    // Any failure (a parse error, or a bug in a parser meeting odd input) flags the string
    // rather than losing the file or aborting the batch.
    return { target: null, extras: null, specifier: null, ranges: null, marker: null, url: null, invalid: invalidReason(error) };
  }
}

/** The COPY line of `stage_requirements` for one string. */
export function requirementCopyLine(text: string): string {
  const c = parseRequirementColumns(text);
  return [
    copyText(text),
    copyText(c.target),
    copyTextArray(c.extras),
    copyText(c.specifier),
    c.ranges === null ? '\\N' : copyByteaArray(c.ranges),
    copyText(c.marker),
    copyText(c.url),
    copyText(c.invalid),
  ].join('\t');
}
