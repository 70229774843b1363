/**
 * Every size and range the API accepts, in one place. The README's "Limits" table and the
 * OpenAPI schemas are made from these constants; each is enforced at the edge, before any work
 * or upstream request: the body limit and nesting depth by the JSON parser, the others by the
 * request schemas.
 */
import { MAX_PROJECT_NAME_LENGTH } from '@venvfarm/pep508';

export const LIMITS = {
  /** Bytes of a request body (JSON). Larger bodies are 413 before they are parsed. */
  bodyBytes: 256 * 1024,
  /**
   * Nesting of arrays and objects in a JSON body. The deepest valid body nests 2 levels (an
   * object of arrays of strings); 8 leaves room and keeps deep JSON from costing anything.
   */
  jsonDepth: 8,
  /** Requirements of one resolve (`requirements` entries or `requirements_txt` lines). */
  requirements: 1_000,
  /** Constraints of one resolve. */
  constraints: 1_000,
  /** Characters of one PEP 508 requirement (name, extras, specifiers and marker). */
  requirementLength: 1_000,
  /** Characters of a `requirements_txt`, and of a build's `lock`. */
  requirementsTxtLength: 100_000,
  /** Names in `only_binary` / `no_binary`. */
  binaryNames: 1_000,
  /** Characters of a project name (PEP 508 name syntax). */
  projectNameLength: MAX_PROJECT_NAME_LENGTH,
  /** Characters of `python` (a version) and `platform` (a shorthand) of a resolve. */
  targetLength: 64,
  /** Characters of `exclude_newer` (an RFC 3339 date-time). */
  dateLength: 64,
  /** Lines of a sync's `include` or `exclude` list. */
  syncListLines: 10_000,
  /** Characters of a version range (`range` of dependents). */
  versionRangeLength: 1_000,
  /** `depth` of transitive dependents. */
  dependentsDepth: { min: 1, max: 5 },
  /** `limit` of dependents: the most rows one answer carries. */
  dependentsLimit: { min: 1, max: 10_000 },
  /** Digits of a job id (the queue's counter) or a build id (the table's). */
  jobIdDigits: 16,
  /** `limit` of the build list. */
  buildsLimit: { min: 1, max: 200 },
  /** Characters of a distribution's filename in a `/files/` URL (a file name on any filesystem). */
  filenameLength: 255,
  /** Characters of an index name. */
  indexNameLength: 40,
  /** Characters of a token's description. */
  tokenDescriptionLength: 200,
  /** `wait` of `POST /v1/envs`, in seconds. */
  envWaitSeconds: { min: 0, max: 3600 },
} as const;

/** A row of the limits table (README, OpenAPI description). */
export interface LimitRow {
  readonly limit: string;
  readonly value: string;
  readonly answer: string;
}

/** The limits as the README and `/docs` show them. */
export function limitsTable(): LimitRow[] {
  const range = (r: { min: number; max: number }) => `${r.min}–${r.max}`;
  return [
    { limit: 'Request body', value: `${LIMITS.bodyBytes / 1024} KiB`, answer: '413 payload_too_large' },
    { limit: 'JSON nesting depth', value: String(LIMITS.jsonDepth), answer: '400 invalid_json' },
    { limit: 'requirements (entries or requirements_txt lines)', value: String(LIMITS.requirements), answer: '400 invalid_input' },
    { limit: 'constraints', value: String(LIMITS.constraints), answer: '400 invalid_input' },
    { limit: 'One requirement (PEP 508)', value: `${LIMITS.requirementLength} characters`, answer: '400 invalid_input' },
    { limit: 'requirements_txt, lock', value: `${LIMITS.requirementsTxtLength} characters`, answer: '400 invalid_input' },
    { limit: 'only_binary / no_binary names', value: String(LIMITS.binaryNames), answer: '400 invalid_input' },
    { limit: 'Project name (PEP 508 name syntax)', value: `${LIMITS.projectNameLength} characters`, answer: '400 invalid_input' },
    { limit: 'python / platform', value: `${LIMITS.targetLength} characters`, answer: '400 invalid_input' },
    { limit: 'exclude_newer', value: `${LIMITS.dateLength} characters`, answer: '400 invalid_input' },
    { limit: 'Sync include / exclude lines', value: String(LIMITS.syncListLines), answer: '400 invalid_input' },
    { limit: 'Dependents range', value: `${LIMITS.versionRangeLength} characters`, answer: '400 invalid_input' },
    { limit: 'Dependents depth', value: range(LIMITS.dependentsDepth), answer: '400 invalid_input' },
    { limit: 'Dependents limit', value: range(LIMITS.dependentsLimit), answer: '400 invalid_input' },
    { limit: 'Job id, build id', value: `1–${LIMITS.jobIdDigits} digits`, answer: '400 invalid_input' },
    { limit: 'Builds list limit', value: range(LIMITS.buildsLimit), answer: '400 invalid_input' },
    { limit: 'POST /v1/envs wait (seconds)', value: range(LIMITS.envWaitSeconds), answer: '400 invalid_input' },
    { limit: 'Filename in /files/ URLs', value: `${LIMITS.filenameLength} characters`, answer: '400 invalid_input' },
    { limit: 'Index name', value: `${LIMITS.indexNameLength} characters`, answer: '400 invalid_input' },
    { limit: 'Token description', value: `${LIMITS.tokenDescriptionLength} characters`, answer: '400 invalid_input' },
    { limit: 'Uploaded file (VENVFARM_UPLOAD_MAX_MB)', value: '100 MiB by default', answer: '413 payload_too_large' },
  ];
}
