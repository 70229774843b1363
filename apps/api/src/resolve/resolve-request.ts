/**
 * The body of `POST /v1/resolve`: its schema (which the edge validates with and OpenAPI shows)
 * and the transformation into what the resolver needs. PEP 508 parsing stays in libs/pep508;
 * its errors become 400s naming the field (`requirements[2]`, `requirements_txt` with the line)
 * and the position in it.
 */
import { LRUCache } from 'lru-cache';
import { InputError } from '@venvfarm/pep440';
import { parseProjectName, parseRequirement, parseRequirementsTxt, parseTarget, Requirement, Target } from '@venvfarm/pep508';
import type { PrereleasePolicy } from '@venvfarm/resolver';
import { z } from 'zod';
import { LIMITS } from '../common/limits';
import { reportInputError, reportProblem } from '../common/request-errors';
import { indexNameSchema, NO_DIRECT_URL } from '../common/schemas';

const FORMATS = ['json', 'requirements.txt', 'pylock.toml'] as const;
export type ResolveFormat = (typeof FORMATS)[number];

/** The API's pre-release choices (pip's words) and the resolver policies they mean. */
const PRERELEASES = {
  'if-necessary': 'if-necessary-or-explicit',
  allow: 'allow',
  disallow: 'disallow',
} as const satisfies Record<string, PrereleasePolicy>;

/** A validated request. */
export interface ResolveRequest {
  readonly requirements: readonly Requirement[];
  readonly constraints: readonly Requirement[];
  readonly target: Target;
  readonly python: string;
  readonly platform: string;
  readonly prereleases: PrereleasePolicy;
  readonly excludeNewer: Date | null;
  /** Names, or true for `:all:`. */
  readonly onlyBinary: boolean | readonly string[];
  readonly noBinary: boolean | readonly string[];
  readonly format: ResolveFormat | null;
  /** A private index to resolve against (with what it is layered in front of); null: the mirror of the upstream. */
  readonly index: string | null;
}

/** Where the defaults of python and platform come from (the server's own interpreter and machine); null when it has none. */
export type TargetDefaults = () => { python: string; platform: string } | null;

/**
 * A requirement as sent; parsed by the body's one transformation, since each zod transformation
 * costs microseconds on the hot path of a cached answer.
 */
const requirementText = z.string().min(1).max(LIMITS.requirementLength).meta({ description: `A PEP 508 requirement (at most ${LIMITS.requirementLength} characters)`, examples: ['django>=4,<5'] });

const nameList = z
  .union([z.literal(':all:'), z.array(z.string().max(LIMITS.projectNameLength)).max(LIMITS.binaryNames)], {
    error: `must be ":all:" or an array of at most ${LIMITS.binaryNames} project names (":all:" and ":none:" allowed)`,
  })
  .optional();

/** The body as clients send it. */
export const ResolveBodySchema = z
  .strictObject({
    requirements: z.array(requirementText).max(LIMITS.requirements).optional().describe('PEP 508 requirements; or send requirements_txt'),
    requirements_txt: z.string().max(LIMITS.requirementsTxtLength).optional().describe('The text of a requirements.txt (--pre, --only-binary and --no-binary honoured; -r, -c and -e refused)'),
    constraints: z.array(requirementText).max(LIMITS.constraints).optional().describe('PEP 508 requirements that restrict versions without asking for the projects'),
    python: z.string().min(1).max(LIMITS.targetLength).optional().describe("Target Python version; default the server's python3").meta({ examples: ['3.11', '3.12.4'] }),
    platform: z.string().min(1).max(LIMITS.targetLength).optional().describe("Target platform; default the server's machine").meta({ examples: ['x86_64-manylinux_2_28', 'aarch64-macos_14'] }),
    implementation: z.enum(['cpython', 'pypy']).optional().describe('Default cpython'),
    prereleases: z.enum(Object.keys(PRERELEASES) as [keyof typeof PRERELEASES, ...(keyof typeof PRERELEASES)[]]).optional().describe('Default if-necessary (allow with --pre in requirements_txt)'),
    exclude_newer: z
      .union([z.iso.datetime({ offset: true }).max(LIMITS.dateLength), z.iso.date()], { error: 'must be an RFC 3339 date-time such as "2023-06-01T00:00:00Z" (or a date)' })
      .nullable()
      .optional()
      .describe('Ignore files uploaded after this time'),
    index: indexNameSchema.optional().describe('A private index to resolve against: its projects, then (when it is layered in front of the upstream) the projects it does not have'),
    only_binary: nameList.describe('Projects to install from wheels only, or ":all:"'),
    no_binary: nameList.describe('Projects to install from sdists only, or ":all:"'),
    format: z.enum(FORMATS).optional().describe('Answer format; else chosen by Accept, JSON by default'),
  })
  .meta({ id: 'ResolveRequest', description: 'Requirements (or a requirements.txt) and a target; every field but one of requirements/requirements_txt is optional' });

export type ResolveBody = z.output<typeof ResolveBodySchema>;

/** `only_binary` / `no_binary`: true for `:all:`, else normalized names (`:none:` dropped). */
function names(body: ResolveBody, field: 'only_binary' | 'no_binary', ctx: z.RefinementCtx): boolean | string[] {
  const value = body[field];
  if (value === undefined) return false;
  if (value === ':all:' || value.includes(':all:')) return true;
  const out: string[] = [];
  value.forEach((text, i) => {
    if (text === ':none:') return;
    try {
      out.push(parseProjectName(text));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reportInputError(ctx, [field, i], error);
    }
  });
  return out;
}

/** Parses the requirements of a list field; a problem is an issue of `field[i]`. */
function requirementList(field: 'requirements' | 'constraints', texts: readonly string[] | undefined, ctx: z.RefinementCtx): Requirement[] {
  if (texts === undefined) return [];
  const out: Requirement[] = [];
  texts.forEach((text, i) => {
    let requirement: Requirement;
    try {
      requirement = parseRequirement(text);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reportInputError(ctx, [field, i], error);
      return;
    }
    if (requirement.url !== null) ctx.addIssue({ code: 'custom', path: [field, i], message: NO_DIRECT_URL, params: { position: text.indexOf('@') } });
    else out.push(requirement);
  });
  return out;
}

interface FromTxt {
  requirements: Requirement[];
  pre: boolean;
  onlyBinary: string[];
  noBinary: string[];
}

function fromRequirementsTxt(text: string, ctx: z.RefinementCtx): FromTxt | null {
  let parsed;
  try {
    parsed = parseRequirementsTxt(text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportInputError(ctx, ['requirements_txt'], error, (error as InputError & { line?: number }).line);
    return null;
  }
  if (parsed.requirements.length > LIMITS.requirements) {
    reportProblem(ctx, ['requirements_txt'], `at most ${LIMITS.requirements} requirements (it has ${parsed.requirements.length})`);
    return null;
  }
  for (const entry of parsed.requirements) {
    if (entry.requirement.url !== null) {
      ctx.addIssue({ code: 'custom', path: ['requirements_txt'], message: `line ${entry.line}: ${NO_DIRECT_URL}`, params: { line: entry.line, position: 0 } });
      return null;
    }
  }
  return { requirements: parsed.requirements.map((entry) => entry.requirement), pre: parsed.pre, onlyBinary: [...parsed.onlyBinary], noBinary: [...parsed.noBinary] };
}

/**
 * Targets already worked out, by their spec: a target is immutable, requests name a handful of
 * them, and working one out (marker environment, platform) costs more than the rest of the
 * validation of a request together. Bounded; the least recently used goes first.
 */
const targets = new LRUCache<string, Target>({ max: 256 });

function target(spec: { python: string; platform: string; implementation: 'cpython' | 'pypy' }): Target {
  const key = `${spec.implementation}\0${spec.python}\0${spec.platform}`;
  let known = targets.get(key);
  if (known === undefined) {
    known = parseTarget(spec);
    targets.set(key, known);
  }
  return known;
}

function merge(list: boolean | string[], fromTxt: readonly string[]): boolean | string[] {
  if (list === true || fromTxt.includes(':all:')) return true;
  const merged = [...new Set([...(list === false ? [] : list), ...fromTxt])].sort();
  return merged.length === 0 ? false : merged;
}

/** The target a body names, or the server's defaults; null (with the issue reported) when there is none or it is not valid. */
export function targetOf(body: Pick<ResolveBody, 'python' | 'platform' | 'implementation'>, ctx: z.RefinementCtx, defaults: TargetDefaults): { python: string; target: Target } | null {
  const fallback = body.python === undefined || body.platform === undefined ? defaults() : null;
  const python = body.python ?? fallback?.python;
  const platform = body.platform ?? fallback?.platform;
  if (python === undefined || platform === undefined) {
    reportProblem(ctx, [python === undefined ? 'python' : 'platform'], 'this server has no python3 to default to; name the target, e.g. "python": "3.11", "platform": "x86_64-manylinux_2_28"');
    return null;
  }
  try {
    return { python, target: target({ python, platform, implementation: body.implementation ?? 'cpython' }) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportInputError(ctx, [error.input === platform ? 'platform' : 'python'], error);
    return null;
  }
}

/** The {@link ResolveRequest} of a valid body, or z.NEVER with the issues reported. */
export function toResolveRequest(body: ResolveBody, ctx: z.RefinementCtx, defaults: TargetDefaults): ResolveRequest {
  if (body.requirements !== undefined && body.requirements_txt !== undefined) {
    reportProblem(ctx, ['requirements_txt'], 'send either requirements or requirements_txt, not both');
    return z.NEVER;
  }
  const txt = body.requirements_txt === undefined ? null : fromRequirementsTxt(body.requirements_txt, ctx);
  if (body.requirements_txt !== undefined && txt === null) return z.NEVER;
  const listed = requirementList('requirements', body.requirements, ctx);
  const constraints = requirementList('constraints', body.constraints, ctx);
  const requirements = txt?.requirements ?? listed;
  if (requirements.length === 0 && (body.requirements ?? []).length === 0) {
    reportProblem(ctx, ['requirements'], 'name at least one requirement (requirements or requirements_txt)');
    return z.NEVER;
  }
  const named = targetOf(body, ctx, defaults);
  if (named === null) return z.NEVER;
  const { python, target: resolved } = named;
  const onlyBinary = names(body, 'only_binary', ctx);
  const noBinary = names(body, 'no_binary', ctx);
  return {
    requirements,
    constraints,
    target: resolved,
    python,
    platform: resolved.name,
    prereleases: PRERELEASES[body.prereleases ?? (txt?.pre ? 'allow' : 'if-necessary')],
    excludeNewer: body.exclude_newer === undefined || body.exclude_newer === null ? null : new Date(body.exclude_newer),
    onlyBinary: merge(onlyBinary, txt?.onlyBinary ?? []),
    noBinary: merge(noBinary, txt?.noBinary ?? []),
    format: body.format ?? null,
    index: body.index ?? null,
  };
}

/**
 * The body's schema with its transformation into a {@link ResolveRequest}; `defaults` supplies
 * python/platform when the body omits them.
 */
export function resolveRequestSchema(defaults: TargetDefaults) {
  return ResolveBodySchema.transform((body, ctx): ResolveRequest => toResolveRequest(body, ctx, defaults));
}

/** The canonical form of a request: equal for requests that must get the same answer. */
export function canonicalRequest(request: ResolveRequest, indexName: string): string {
  const canonical = (r: Requirement) =>
    [r.name, [...r.extras].sort().join(','), r.specifier.toString().split(',').filter(Boolean).sort().join(','), r.marker?.toString() ?? ''].join(';');
  const sorted = (list: readonly Requirement[]) => list.map(canonical).sort();
  return JSON.stringify({
    v: 1,
    index: indexName,
    requirements: sorted(request.requirements),
    constraints: sorted(request.constraints),
    implementation: request.target.implementation,
    python: request.target.python.toString(),
    platform: request.target.name,
    prereleases: request.prereleases,
    excludeNewer: request.excludeNewer?.toISOString() ?? null,
    onlyBinary: request.onlyBinary,
    noBinary: request.noBinary,
  });
}
