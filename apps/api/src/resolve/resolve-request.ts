/**
 * The body of `POST /v1/resolve`, validated into what the resolver needs. Every problem is a
 * 400 naming the field (and, for requirements, the entry or line and the position in it).
 */
import { InputError } from '@venvfarm/pep440';
import { parseRequirement, parseRequirementsTxt, parseTarget, Requirement, Target } from '@venvfarm/pep508';
import type { PrereleasePolicy } from '@venvfarm/resolver';

export const FORMATS = ['json', 'requirements.txt', 'pylock.toml'] as const;
export type ResolveFormat = (typeof FORMATS)[number];

/** The API's pre-release choices (pip's words) and the resolver policies they mean. */
const PRERELEASES: Readonly<Record<string, PrereleasePolicy>> = {
  'if-necessary': 'if-necessary-or-explicit',
  allow: 'allow',
  disallow: 'disallow',
};

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
}

/** A field of the body that is wrong; `field` names it (`requirements[2]`, `requirements_txt`). */
export class InvalidFieldError extends InputError {
  constructor(
    readonly field: string,
    reason: string,
    input: string,
    position: number,
    /** 1-based line, for requirements_txt. */
    readonly line?: number,
  ) {
    super(`${field}: ${reason}`, input, position);
  }
}

const FIELDS = ['requirements', 'requirements_txt', 'constraints', 'python', 'platform', 'implementation', 'prereleases', 'exclude_newer', 'only_binary', 'no_binary', 'format'];

function invalid(field: string, reason: string, value: unknown = ''): never {
  const input = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  throw new InvalidFieldError(field, reason, input, 0);
}

function requirementList(field: string, value: unknown): Requirement[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid(field, 'must be an array of PEP 508 requirement strings', value);
  return value.map((text, i) => {
    if (typeof text !== 'string') invalid(`${field}[${i}]`, 'must be a string', text);
    try {
      const requirement = parseRequirement(text);
      if (requirement.url !== null) invalid(`${field}[${i}]`, 'direct URL requirements are not supported; name a project on the index', text);
      return requirement;
    } catch (error) {
      if (error instanceof InvalidFieldError || !(error instanceof InputError)) throw error;
      throw new InvalidFieldError(`${field}[${i}]`, error.reason, error.input, error.position);
    }
  });
}

function nameList(field: string, value: unknown): boolean | string[] {
  if (value === undefined) return false;
  if (value === ':all:') return true;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) invalid(field, 'must be ":all:" or an array of project names', value);
  if (value.includes(':all:')) return true;
  return value.filter((v) => v !== ':none:').map((v) => parseRequirement(v).name);
}

/**
 * Validates a body. `defaults` supplies python/platform when the body omits them (the
 * server's own interpreter and machine).
 * @throws InvalidFieldError
 */
export function parseResolveRequest(body: unknown, defaults: () => { python: string; platform: string }): ResolveRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('body', 'must be a JSON object', body);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) invalid(unknown[0], `unknown field; expected one of ${FIELDS.join(', ')}`, unknown[0]);

  let requirements = requirementList('requirements', b.requirements);
  let pre = false;
  let onlyBinaryTxt: string[] = [];
  let noBinaryTxt: string[] = [];
  if (b.requirements_txt !== undefined) {
    if (b.requirements !== undefined) invalid('requirements_txt', 'send either requirements or requirements_txt, not both');
    if (typeof b.requirements_txt !== 'string') invalid('requirements_txt', 'must be the text of a requirements file', b.requirements_txt);
    try {
      const parsed = parseRequirementsTxt(b.requirements_txt);
      requirements = parsed.requirements.map((entry) => {
        if (entry.requirement.url !== null) throw new InvalidFieldError('requirements_txt', `line ${entry.line}: direct URL requirements are not supported`, entry.text, 0, entry.line);
        return entry.requirement;
      });
      ({ pre } = parsed);
      onlyBinaryTxt = [...parsed.onlyBinary];
      noBinaryTxt = [...parsed.noBinary];
    } catch (error) {
      if (error instanceof InvalidFieldError || !(error instanceof InputError)) throw error;
      const line = (error as InputError & { line?: number }).line;
      throw new InvalidFieldError('requirements_txt', error.reason, error.input, error.position, line);
    }
  }
  if (requirements.length === 0) invalid('requirements', 'name at least one requirement (requirements or requirements_txt)');

  const fallback = b.python === undefined || b.platform === undefined ? defaults() : null;
  const python = b.python ?? fallback!.python;
  const platform = b.platform ?? fallback!.platform;
  if (typeof python !== 'string') invalid('python', 'must be a version string such as "3.11"', python);
  if (typeof platform !== 'string') invalid('platform', 'must be a platform such as "x86_64-manylinux_2_28"', platform);
  const implementation = b.implementation ?? 'cpython';
  if (implementation !== 'cpython' && implementation !== 'pypy') invalid('implementation', 'must be "cpython" or "pypy"', implementation);
  let target: Target;
  try {
    target = parseTarget({ python, platform, implementation });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const field = error.input === platform ? 'platform' : 'python';
    throw new InvalidFieldError(field, error.reason, error.input, error.position);
  }

  const prereleasesText = b.prereleases ?? (pre ? 'allow' : 'if-necessary');
  if (typeof prereleasesText !== 'string' || !(prereleasesText in PRERELEASES)) {
    invalid('prereleases', `must be one of ${Object.keys(PRERELEASES).join(', ')}`, prereleasesText);
  }
  let excludeNewer: Date | null = null;
  if (b.exclude_newer !== undefined && b.exclude_newer !== null) {
    const parsed = typeof b.exclude_newer === 'string' ? new Date(b.exclude_newer) : new Date(NaN);
    if (Number.isNaN(parsed.getTime())) invalid('exclude_newer', 'must be an RFC 3339 date-time such as "2023-06-01T00:00:00Z"', b.exclude_newer);
    excludeNewer = parsed;
  }
  const format = b.format ?? null;
  if (format !== null && !FORMATS.includes(format as ResolveFormat)) invalid('format', `must be one of ${FORMATS.join(', ')}`, format);
  const onlyBinary = merge(nameList('only_binary', b.only_binary), onlyBinaryTxt);
  const noBinary = merge(nameList('no_binary', b.no_binary), noBinaryTxt);
  return {
    requirements,
    constraints: requirementList('constraints', b.constraints),
    target,
    python,
    platform: target.name,
    prereleases: PRERELEASES[prereleasesText as string],
    excludeNewer,
    onlyBinary,
    noBinary,
    format: format as ResolveFormat | null,
  };
}

function merge(list: boolean | string[], fromTxt: string[]): boolean | string[] {
  if (list === true || fromTxt.includes(':all:')) return true;
  const names = [...new Set([...(list === false ? [] : list), ...fromTxt])].sort();
  return names.length === 0 ? false : names;
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
