/**
 * Generators of malformed requests for every endpoint of the API, each invalid by construction
 * (a request a generator makes can never be one the server should accept): broken and deeply
 * nested JSON, wrong types, unknown fields, huge and empty strings, control characters and
 * invalid UTF-8 in bodies and paths (as raw bytes), numbers far outside any valid range,
 * oversized bodies, and bodies that are not JSON.
 */
import fc from 'fast-check';
import { InputError, SpecifierSet } from '@venvfarm/pep440';
import { parseProjectName, parseRequirement, parseRequirementsTxt, parseTarget } from '@venvfarm/pep508';
import { LIMITS } from '../../apps/api/src/common/limits';
import type { RawRequest } from './raw-http';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const TARGET = { python: '3.11', platform: 'x86_64-manylinux_2_28' };

const fails = (parse: () => unknown): boolean => {
  try {
    parse();
    return false;
  } catch (error) {
    if (error instanceof InputError) return true;
    throw error;
  }
};

/** Strings of every kind: printable, any code point, control characters, and long runs. */
export const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), minLength: 1 }),
  fc.tuple(fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }), fc.integer({ min: 200, max: 20_000 })).map(([s, n]) => s.repeat(n)),
  fc.constant(''),
);

/** Strings that are not a PEP 508 project name (or are longer than the limit). */
export const invalidName = fc.oneof(
  anyString.filter((s) => fails(() => parseProjectName(s))),
  fc.integer({ min: LIMITS.projectNameLength + 1, max: 5_000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('-x', 'x-', '.', 'na me', 'caf\u00e9', 'a\u0000b', '\u202e', 'six;rm -rf /', '../../etc/passwd', 'a/b'),
);

/** Strings that are not a PEP 508 requirement. */
export const invalidRequirement = fc.oneof(
  anyString.filter((s) => s.length > LIMITS.requirementLength || fails(() => parseRequirement(s))),
  fc.constantFrom('django>=4,<<5', 'requests[', 'x ; python_version >', '(((', 'a' + '['.repeat(500), 'name @ ', 'django>=' + '9'.repeat(3000)),
);

/** JSON values that are not of the type a field takes. */
const notA = {
  boolean: fc.jsonValue().filter((v) => typeof v !== 'boolean'),
  string: fc.jsonValue().filter((v) => typeof v !== 'string'),
  stringArray: fc.jsonValue().filter((v) => !Array.isArray(v) || v.some((e) => typeof e !== 'string')),
};

/** Numbers far outside any valid range, as JSON or query text. */
export const wildNumber = fc.oneof(
  fc.double({ noNaN: true }).filter((n) => Math.abs(n) > 1e6 || !Number.isInteger(n) || n < 1),
  fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 53), 1e308, -1e308, 5e-324, 1.5),
);
const wildNumberText = fc.oneof(
  wildNumber.map(String),
  fc.constantFrom('', ' 5', '5 ', '0x10', '1e3', 'NaN', 'Infinity', '-Infinity', '+3', '99999999999999999999999', '1_000', '٣', '%FF', '%00', '3%00'),
);

/** Bytes that are not valid UTF-8 (continuation bytes alone, overlong forms, surrogates, 0xFE/0xFF). */
export const invalidUtf8 = fc.oneof(
  fc.constantFrom([0xff], [0xfe], [0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80]),
  fc.uint8Array({ min: 0x80, max: 0xff, minLength: 1, maxLength: 16 }).map((a) => [...a]),
).map((bytes) => Buffer.from(bytes));

/** Text that is not JSON, or JSON nested deeper than the limit. */
export const brokenJson = fc.oneof(
  fc.constantFrom('{', '[', '{"a":', '{"requirements": [', '{"a":1,}', "{'a': 1}", 'NaN', '{"a": NaN}', '{"a": 01}', 'undefined', '{"a":"\u0001"}', '\u0000', '{"a":1}}', '"x', '{"a" 1}', 'tru'),
  fc.string({ unit: 'binary', minLength: 1 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.integer({ min: LIMITS.jsonDepth + 1, max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: LIMITS.jsonDepth + 1, max: 10_000 }).map((n) => `{"requirements": ${'['.repeat(n)}"django"${']'.repeat(n)}, "python": "3.11"}`),
  fc.integer({ min: LIMITS.jsonDepth + 1, max: 10_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
);

/** A JSON value nested `depth` levels (within the body limit), inside an otherwise sensible field. */
const deepValue = fc.integer({ min: 3, max: 5_000 }).map((n) => JSON.parse('['.repeat(Math.min(n, LIMITS.jsonDepth - 1)) + '"x"' + ']'.repeat(Math.min(n, LIMITS.jsonDepth - 1))) as unknown);

/** A JSON body (as an object to serialize) or raw bytes (sent as they are). */
type Body = { json: unknown } | { raw: Buffer | string; contentType?: string };

const asRequest = (method: string, target: string | Buffer, body: Body, headers: Record<string, string> = {}): RawRequest =>
  'json' in body
    ? { method, target, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body.json) }
    : { method, target, headers: { 'Content-Type': body.contentType ?? 'application/json', ...headers }, body: body.raw };

/** Bodies that no endpoint with a JSON object body accepts, whatever the fields: not an object, broken, deep, too large, not JSON. */
const badBodyForAnyEndpoint: fc.Arbitrary<Body> = fc.oneof(
  fc.oneof(fc.array(fc.jsonValue()), fc.string(), fc.integer(), fc.boolean(), wildNumber).map((json) => ({ json })),
  brokenJson.map((raw) => ({ raw })),
  fc.integer({ min: LIMITS.bodyBytes + 1, max: LIMITS.bodyBytes * 4 }).map((n) => ({ raw: `{"requirements":["${'a'.repeat(n)}"]}` })),
  fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json', ''), fc.string({ minLength: 1 })).map(
    ([contentType, raw]) => ({ raw, contentType }),
  ),
);

/** An object with one field of a body replaced by `value` (or an extra field). */
const withField = (base: Record<string, unknown>, field: string, value: fc.Arbitrary<unknown>) => value.map((v) => ({ json: { ...base, [field]: v } }) as Body);

/** Unknown field names for a body with `known` fields. */
const unknownField = (known: readonly string[]) => fc.string({ minLength: 1 }).filter((k) => !known.includes(k) && k !== '__proto__');

const RESOLVE_FIELDS = ['requirements', 'requirements_txt', 'constraints', 'python', 'platform', 'implementation', 'prereleases', 'exclude_newer', 'only_binary', 'no_binary', 'format'];
const RESOLVE_BASE = { requirements: ['django>=4'], ...TARGET };

/** Bodies of `POST /v1/resolve` that are invalid. */
export const badResolveBody: fc.Arbitrary<Body> = fc.oneof(
  badBodyForAnyEndpoint,
  fc.tuple(unknownField(RESOLVE_FIELDS), fc.jsonValue()).map(([k, v]) => ({ json: { ...RESOLVE_BASE, [k]: v } })),
  withField(RESOLVE_BASE, 'requirements', fc.oneof(notA.stringArray, fc.constant([]), fc.array(invalidRequirement, { minLength: 1, maxLength: 3 }).map((bad) => ['django', ...bad]))),
  withField(RESOLVE_BASE, 'requirements', fc.integer({ min: LIMITS.requirements + 1, max: LIMITS.requirements + 500 }).map((n) => Array(n).fill('a'))),
  withField(RESOLVE_BASE, 'requirements', fc.constantFrom(['pkg @ https://127.0.0.1:1/pkg.whl'], ['pkg@file:///etc/passwd'])),
  withField(RESOLVE_BASE, 'requirements', deepValue),
  withField(RESOLVE_BASE, 'constraints', fc.oneof(notA.stringArray.filter((v) => v !== undefined), fc.array(invalidRequirement, { minLength: 1, maxLength: 3 }))),
  fc.oneof(
    notA.string,
    fc.oneof(invalidRequirement, anyString).map((line) => `django\n${line}\n`).filter((txt) => txt.length > LIMITS.requirementsTxtLength || fails(() => parseRequirementsTxt(txt))),
    fc.constantFrom('-r other.txt', '-e .', '-c c.txt', '--unknown-option', '   \n# only a comment\n', 'x'.repeat(LIMITS.requirementsTxtLength + 1)),
  ).map(
    (txt) => ({ json: { requirements_txt: txt, ...TARGET } }) as Body,
  ),
  fc.constant({ json: { ...RESOLVE_BASE, requirements_txt: 'django' } } as Body),
  withField(RESOLVE_BASE, 'python', fc.oneof(notA.string.filter((v) => v !== undefined), anyString.filter((s) => s.length > LIMITS.targetLength || fails(() => parseTarget({ python: s, platform: TARGET.platform }))))),
  withField(RESOLVE_BASE, 'platform', fc.oneof(notA.string.filter((v) => v !== undefined), anyString.filter((s) => s.length > LIMITS.targetLength || fails(() => parseTarget({ python: TARGET.python, platform: s }))))),
  withField(RESOLVE_BASE, 'implementation', fc.jsonValue().filter((v) => v !== 'cpython' && v !== 'pypy' && v !== undefined)),
  withField(RESOLVE_BASE, 'prereleases', fc.jsonValue().filter((v) => !['if-necessary', 'allow', 'disallow'].includes(v as string) && v !== undefined)),
  withField(RESOLVE_BASE, 'format', fc.jsonValue().filter((v) => !['json', 'requirements.txt', 'pylock.toml'].includes(v as string) && v !== undefined)),
  withField(RESOLVE_BASE, 'exclude_newer', fc.oneof(wildNumber, anyString.filter((s) => !/^\d{4}-\d\d-\d\d/.test(s)), fc.constantFrom('yesterday', '2023-13-45', '2023-06-01T25:00:00Z'))),
  withField(RESOLVE_BASE, 'only_binary', fc.oneof(notA.stringArray.filter((v) => v !== undefined && v !== ':all:'), fc.array(invalidName.filter((s) => s !== ':all:' && s !== ':none:'), { minLength: 1, maxLength: 3 }))),
  withField(RESOLVE_BASE, 'no_binary', fc.integer({ min: LIMITS.binaryNames + 1, max: LIMITS.binaryNames + 100 }).map((n) => Array(n).fill('a'))),
  // Invalid UTF-8 and raw control characters inside strings of an otherwise fine body.
  fc.tuple(invalidUtf8, fc.constantFrom('requirements', 'python', 'platform')).map(([bytes, field]) => {
    const before = field === 'requirements' ? '{"requirements":["dj' : `{"requirements":["django"],"${field}":"3`;
    const after = field === 'requirements' ? `ango"],"python":"3.11","platform":"x86_64-manylinux_2_28"}` : field === 'python' ? '","platform":"x86_64-manylinux_2_28"}' : '","python":"3.11"}';
    return { raw: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]) };
  }),
  fc.integer({ min: 0, max: 31 }).map((c) => ({ raw: Buffer.concat([Buffer.from('{"requirements":["dj'), Buffer.from([c]), Buffer.from('ango"],"python":"3.11","platform":"x86_64-manylinux_2_28"}')]) })),
  fc.integer({ min: 1, max: 31 }).map((c) => ({ json: { ...RESOLVE_BASE, requirements: [`dj${String.fromCharCode(c)}ango`] } })),
);

const SYNC_FIELDS = ['incremental', 'include', 'exclude'];

/** Bodies of `POST /v1/mirror/sync` that are invalid (the upstream field among them). */
export const badSyncBody: fc.Arbitrary<Body> = fc.oneof(
  badBodyForAnyEndpoint.filter((b) => !('json' in b) || b.json !== null),
  fc.tuple(unknownField(SYNC_FIELDS), fc.jsonValue()).map(([k, v]) => ({ json: { [k]: v } })),
  fc.oneof(anyString, fc.webUrl(), fc.constantFrom('file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:1/simple/')).map((upstream) => ({ json: { upstream } })),
  withField({}, 'incremental', notA.boolean.filter((v) => v !== undefined && v !== null)),
  withField({}, 'include', fc.oneof(notA.stringArray.filter((v) => v !== undefined && v !== null), fc.array(invalidRequirement, { minLength: 1, maxLength: 3 }))),
  withField({}, 'exclude', fc.array(invalidRequirement, { minLength: 1, maxLength: 3 }).map((bad) => ['six', ...bad])),
  withField({}, 'include', fc.constantFrom(['pkg @ http://127.0.0.1:1/pkg.whl'], ['x@file:///etc/passwd'])),
  withField({}, 'include', fc.integer({ min: LIMITS.syncListLines + 1, max: LIMITS.syncListLines + 2000 }).map((n) => Array(n).fill('a'))),
  withField({}, 'exclude', deepValue),
  fc.tuple(invalidUtf8).map(([bytes]) => ({ raw: Buffer.concat([Buffer.from('{"include":["si'), bytes, Buffer.from('x"]}')]) })),
);

/** A path segment as raw bytes: percent-encoded, or raw control characters and invalid UTF-8. */
const segment = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    text.map((s) => encodeURIComponent(s)),
    invalidUtf8.map((b) => Buffer.concat([Buffer.from('ab'), b])),
    invalidUtf8.map((b) => `ab${[...b].map((x) => `%${x.toString(16).toUpperCase().padStart(2, '0')}`).join('')}`),
    fc.integer({ min: 0, max: 31 }).map((c) => Buffer.from([0x61, c, 0x62])),
    fc.constantFrom('%', '%zz', '%0', 'a%2', '%00', '%C0%AF'),
  );

/** A query string of parameters none of which a route without a query takes. */
const anyQuery = fc
  .array(fc.tuple(fc.string({ minLength: 1 }).filter((k) => k !== '__proto__'), fc.oneof(anyString, wildNumberText)), { minLength: 1, maxLength: 3 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

const badDependentsQuery = fc.oneof(
  fc.tuple(fc.constantFrom('depth', 'limit'), wildNumberText).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
  fc.constantFrom('depth=6', 'depth=0', 'limit=10001', 'limit=0', 'depth=1&depth=2', 'limit=5&limit=6', 'transitive=true&transitive=false'),
  anyString.filter((s) => !['true', 'false'].includes(s)).map((v) => `transitive=${encodeURIComponent(v)}`),
  anyString.filter((s) => s !== '' && (s.length > LIMITS.versionRangeLength || fails(() => SpecifierSet.parse(s)))).map((v) => `range=${encodeURIComponent(v)}`),
  fc.tuple(fc.string({ minLength: 1 }).filter((k) => !['transitive', 'depth', 'range', 'limit', '__proto__'].includes(k)), anyString).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
);

const invalidJobId = fc.oneof(
  anyString.filter((s) => !/^[1-9][0-9]{0,15}$/.test(s)),
  wildNumberText,
  fc.constantFrom('0', '01', '-1', '1.5', '1e3', '12345678901234567', '9'.repeat(400)),
);

/** A query parameter that is none of `known`, with any value. */
const unknownParameter = (known: readonly string[]) =>
  fc.tuple(fc.string({ minLength: 1 }).filter((k) => ![...known, '__proto__'].includes(k)), anyString).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);

const badBuildListQuery = fc.oneof(
  fc.constantFrom('limit=0', 'limit=201', 'limit=abc', 'limit=1.5', 'limit=', 'status=running', 'status=', 'status=DONE', 'status=done&status=failed', 'limit=5&limit=6'),
  wildNumberText.filter((v) => !(/^[0-9]{1,9}$/.test(v) && Number(v) >= 1 && Number(v) <= 200)).map((v) => `limit=${encodeURIComponent(v)}`),
  unknownParameter(['status', 'limit']),
);

const badWaitQuery = fc.oneof(
  fc.constantFrom('wait=-1', 'wait=3601', 'wait=abc', 'wait=1.5', 'wait=1&wait=2'),
  wildNumberText.filter((v) => !(/^[0-9]{1,9}$/.test(v) && Number(v) <= 3600)).map((v) => `wait=${encodeURIComponent(v)}`),
  unknownParameter(['wait']),
);

/** `{file}` of `/v1/envs/{file}` that is not `<64 hex>.tar.gz`. */
const invalidEnvFile = fc.oneof(
  anyString.filter((s) => !/^[0-9a-f]{64}\.tar\.gz$/.test(s)),
  fc.constantFrom(`${'0'.repeat(64)}.tgz`, `${'A'.repeat(64)}.tar.gz`, `${'0'.repeat(63)}.tar.gz`, '../../etc/passwd', `${'0'.repeat(64)}.tar.gz.part`),
);

/** An index name that is not one (case, characters, length). */
const invalidIndexName = fc.oneof(
  anyString.filter((s) => !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(s) || s.length > LIMITS.indexNameLength),
  fc.constantFrom('Acme', '-acme', 'acme-', 'a_b', 'a.b', 'x'.repeat(LIMITS.indexNameLength + 1)),
);

const badSimpleQuery = fc.oneof(
  fc.constantFrom('format=xml', 'format=', 'format=json&format=html', 'format=application/json', `format=${'j'.repeat(100)}`),
  unknownParameter(['format']),
);

/** `{sha256}` of `/files/{sha256}/{filename}` that is not 64 lower-case hex digits. */
const invalidSha256 = fc.oneof(
  anyString.filter((s) => !/^[0-9a-f]{64}$/.test(s)),
  fc.constantFrom('A'.repeat(64), '0'.repeat(63), '0'.repeat(65), '..', `${'0'.repeat(64)}/..`),
);

/** `{filename}` of `/files/{sha256}/{filename}` that is no plain file name. */
const invalidFilename = fc.oneof(
  fc.constantFrom('.', '..', '../etc/passwd', '..\\..\\boot.ini', 'a/b.whl', 'six.whl\u0000.txt', 'six\n.whl', 'x'.repeat(LIMITS.filenameLength + 1)),
  fc.string({ minLength: LIMITS.filenameLength + 1, maxLength: LIMITS.filenameLength + 300 }),
  fc.tuple(fc.string(), fc.constantFrom('/', '\\', '\u0001', '\u001f', '\u007f'), fc.string()).map(([a, bad, b]) => `${a}${bad}${b}`),
);

/** Every endpoint with a generator of malformed requests to it. */
export interface Endpoint {
  readonly name: string;
  readonly requests: fc.Arbitrary<RawRequest>;
}

/** The catalogue: every route of the API (and unknown ones). */
export function endpoints(adminHeader: Record<string, string>): Endpoint[] {
  const getWithQuery = (path: string) => anyQuery.map((q): RawRequest => ({ method: 'GET', target: `${path}?${q}` }));
  return [
    ...['/health', '/health/live', '/health/ready', '/metrics', '/v1/mirror/status'].map((path) => ({ name: `GET ${path}`, requests: getWithQuery(path) })),
    {
      name: 'GET /v1/projects/{name}',
      requests: fc.oneof(
        segment(invalidName).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/projects/'), Buffer.from(s)]) })),
        getWithQuery('/v1/projects/django'),
      ),
    },
    {
      name: 'GET /v1/projects/{name}/dependents',
      requests: fc.oneof(
        segment(invalidName).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/projects/'), Buffer.from(s), Buffer.from('/dependents')]) })),
        badDependentsQuery.map((q): RawRequest => ({ method: 'GET', target: `/v1/projects/demo-pkg/dependents?${q}` })),
      ),
    },
    {
      name: 'GET /v1/mirror/jobs/{id}',
      requests: fc.oneof(
        segment(invalidJobId).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/mirror/jobs/'), Buffer.from(s)]) })),
        getWithQuery('/v1/mirror/jobs/1'),
      ),
    },
    { name: 'POST /v1/mirror/sync', requests: badSyncBody.map((body) => asRequest('POST', '/v1/mirror/sync', body, adminHeader)) },
    { name: 'POST /v1/resolve', requests: badResolveBody.map((body) => asRequest('POST', '/v1/resolve', body)) },
    { name: 'POST /v1/builds', requests: badResolveBody.map((body) => asRequest('POST', '/v1/builds', body, adminHeader)) },
    {
      name: 'POST /v1/envs',
      requests: fc.oneof(
        badResolveBody.map((body) => asRequest('POST', '/v1/envs', body, adminHeader)),
        badWaitQuery.map((q) => asRequest('POST', `/v1/envs?${q}`, { json: RESOLVE_BASE }, adminHeader)),
      ),
    },
    { name: 'GET /v1/builds', requests: badBuildListQuery.map((q): RawRequest => ({ method: 'GET', target: `/v1/builds?${q}` })) },
    {
      name: 'GET /v1/builds/{id}',
      requests: fc.oneof(
        segment(invalidJobId).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/builds/'), Buffer.from(s)]) })),
        getWithQuery('/v1/builds/1'),
      ),
    },
    {
      name: 'GET /v1/builds/{id}/log',
      requests: fc.oneof(
        segment(invalidJobId).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/builds/'), Buffer.from(s), Buffer.from('/log')]) })),
        getWithQuery('/v1/builds/1/log'),
      ),
    },
    {
      name: 'GET /v1/envs/{file}',
      requests: fc.oneof(
        segment(invalidEnvFile).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/envs/'), Buffer.from(s)]) })),
        getWithQuery(`/v1/envs/${'0'.repeat(64)}.tar.gz`),
      ),
    },
    { name: 'GET /simple', requests: badSimpleQuery.map((q): RawRequest => ({ method: 'GET', target: `/simple/?${q}` })) },
    {
      name: 'GET /simple/{project}',
      requests: fc.oneof(
        segment(invalidName).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/simple/'), Buffer.from(s), Buffer.from('/')]) })),
        badSimpleQuery.map((q): RawRequest => ({ method: 'GET', target: `/simple/demo-pkg/?${q}` })),
      ),
    },
    {
      name: 'GET /files/{sha256}/{filename}',
      requests: fc.oneof(
        segment(invalidSha256).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/files/'), Buffer.from(s), Buffer.from('/six-1.16.0-py2.py3-none-any.whl')]) })),
        segment(invalidFilename).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from(`/files/${'0'.repeat(64)}/`), Buffer.from(s)]) })),
        getWithQuery(`/files/${'0'.repeat(64)}/six-1.16.0-py2.py3-none-any.whl`),
      ),
    },
    { name: 'GET /v1/indexes', requests: getWithQuery('/v1/indexes') },
    {
      name: 'POST /v1/indexes',
      requests: fc
        .oneof(
          badBodyForAnyEndpoint,
          fc.tuple(unknownField(['name', 'upstream']), fc.jsonValue()).map(([k, v]) => ({ json: { name: 'acme', [k]: v } })),
          fc.oneof(invalidIndexName, fc.constantFrom('simple', 'files', 'pypi', 'v1')).map((name) => ({ json: { name } })),
          withField({ name: 'acme' }, 'upstream', notA.boolean.filter((v) => v !== undefined && v !== null)),
        )
        .map((body) => asRequest('POST', '/v1/indexes', body, adminHeader)),
    },
    {
      name: 'POST /v1/indexes/{index}/tokens',
      requests: fc.oneof(
        segment(invalidIndexName).map((s) => asRequest('POST', Buffer.concat([Buffer.from('/v1/indexes/'), Buffer.from(s), Buffer.from('/tokens')]), { json: {} }, adminHeader)),
        fc
          .oneof(
            badBodyForAnyEndpoint,
            fc.tuple(unknownField(['description']), fc.jsonValue()).map(([k, v]) => ({ json: { [k]: v } })),
            withField({}, 'description', fc.oneof(notA.string.filter((v) => v !== undefined && v !== null), fc.string({ minLength: LIMITS.tokenDescriptionLength + 1, maxLength: LIMITS.tokenDescriptionLength + 50 }))),
          )
          .map((body) => asRequest('POST', '/v1/indexes/no-such-index/tokens', body, adminHeader)),
      ),
    },
    {
      name: 'DELETE /v1/indexes/{index}/tokens/{id}',
      requests: fc.oneof(
        segment(invalidIndexName).map((s): RawRequest => ({ method: 'DELETE', target: Buffer.concat([Buffer.from('/v1/indexes/'), Buffer.from(s), Buffer.from('/tokens/1')]), headers: adminHeader })),
        segment(invalidJobId).map((s): RawRequest => ({ method: 'DELETE', target: Buffer.concat([Buffer.from('/v1/indexes/acme/tokens/'), Buffer.from(s)]), headers: adminHeader })),
      ),
    },
    {
      name: 'POST /{index}',
      requests: fc.oneof(
        segment(invalidIndexName).map((s): RawRequest => ({ method: 'POST', target: Buffer.concat([Buffer.from('/'), Buffer.from(s), Buffer.from('/')]), headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n' })),
        // No token, a token of no index, or a body that is no form: refused before anything is read or stored.
        fc.constantFrom<RawRequest>(
          { method: 'POST', target: '/acme/', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="content"; filename="a.whl"\r\n\r\nxx\r\n--x--\r\n' },
          { method: 'POST', target: '/acme/', headers: { 'Content-Type': 'multipart/form-data; boundary=x', Authorization: 'Basic X190b2tlbl9fOnZmLW5vcGU=' }, body: '--x--\r\n' },
          { method: 'POST', target: '/acme/', headers: { 'Content-Type': 'multipart/form-data', Authorization: 'Bearer vf-nope' }, body: 'garbage' },
          { method: 'POST', target: '/acme/', headers: JSON_HEADERS, body: '{}' },
          { method: 'POST', target: '/acme/', headers: { Authorization: 'Basic !!!' }, body: '' },
        ),
      ),
    },
    {
      name: 'GET /{index}/simple',
      requests: fc.oneof(
        segment(invalidIndexName).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/'), Buffer.from(s), Buffer.from('/simple/')]) })),
        badSimpleQuery.map((q): RawRequest => ({ method: 'GET', target: `/no-such-index/simple/?${q}` })),
      ),
    },
    {
      name: 'GET /{index}/simple/{project}',
      requests: fc.oneof(
        segment(invalidIndexName).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/'), Buffer.from(s), Buffer.from('/simple/six/')]) })),
        segment(invalidName).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/no-such-index/simple/'), Buffer.from(s), Buffer.from('/')]) })),
        badSimpleQuery.map((q): RawRequest => ({ method: 'GET', target: `/no-such-index/simple/six/?${q}` })),
      ),
    },
    {
      name: 'unknown routes and methods',
      requests: fc.oneof(
        segment(fc.string()).map((s): RawRequest => ({ method: 'GET', target: Buffer.concat([Buffer.from('/v1/no-such-route-'), Buffer.from(s)]) })),
        fc.constantFrom<RawRequest>(
          { method: 'DELETE', target: '/v1/resolve' },
          { method: 'PUT', target: '/v1/mirror/sync', headers: JSON_HEADERS, body: '{}' },
          { method: 'GET', target: '/v1/resolve' },
          { method: 'POST', target: '/health', headers: JSON_HEADERS, body: '{}' },
          { method: 'GET', target: '/v1/projects/' },
          { method: 'GET', target: '/v1/projects/django/dependents/extra' },
        ),
      ),
    },
    {
      name: 'requests Node refuses to parse',
      requests: fc.oneof(
        fc.integer({ min: 0, max: 31 }).filter((c) => c !== 9).map((c): RawRequest => ({ method: 'GET', target: Buffer.from([0x2f, 0x68, c, 0x65]) })),
        fc.constantFrom<RawRequest>(
          { method: 'GET', target: '/health', headers: { 'X-Bad': 'a\u0001b' } },
          { method: 'GET', target: '/health', headers: { 'X-Big': 'x'.repeat(20_000) } },
          { method: 'G\u0000T', target: '/health' },
          { method: 'POST', target: '/v1/resolve', headers: { 'Content-Length': 'abc' }, body: '{}' },
          { method: 'POST', target: '/v1/resolve', headers: { 'Content-Length': '2', 'Transfer-Encoding': 'chunked' }, body: '{}' },
          { method: 'GET', target: 'no-leading-slash' },
        ),
      ),
    },
  ];
}
