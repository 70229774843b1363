import { INestApplication } from '@nestjs/common';
import { Version } from '@venvfarm/pep440';
import { MirrorSyncProducer } from '@venvfarm/queue';
import { createTestDatabase } from '@venvfarm/db/testing';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { OperationObject, ParameterObject, RequestBodyObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ADMIN_TOKEN_FILE } from '../apps/api/src/auth/admin-token';
import { ErrorBodySchema, ERROR_CODES } from '../apps/api/src/common/error-body';
import { LIMITS, limitsTable } from '../apps/api/src/common/limits';
import { openApiDocument } from '../apps/api/src/openapi';
import { endpoints } from './support/malformed-requests';
import { RawRequest, rawRequest, RawResponse } from './support/raw-http';
import { adminAuth, createTestApp, TEST_ADMIN_TOKEN } from './support/test-app';

/** A listener that records every request it gets and answers 404 (an upstream that has nothing). */
interface Trap {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

async function startTrap(): Promise<Trap> {
  const requests: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/simple/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** How many times each endpoint gets a generated request; every run is one real HTTP request. */
const RUNS = Number(process.env.EDGE_FUZZ_RUNS ?? 120);
/** A request without a complete answer in this time is a hang, and fails the property. */
const ANSWER_TIMEOUT_MS = 15_000;

/** Asserts the one error shape, strictly: a 4xx, JSON, exactly the documented fields, the status that goes with the code. */
function expectOneShape(response: RawResponse, request: RawRequest): void {
  const shown = `${request.method} ${Buffer.from(request.target).toString('latin1').slice(0, 120)} → ${response.status} ${response.body.toString('utf8').slice(0, 300)}`;
  if (response.status < 400 || response.status >= 500) throw new Error(`not a 4xx: ${shown}`);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new Error(`not JSON: ${shown}`);
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success) throw new Error(`not the one error shape (${parsed.error.issues[0]?.message}): ${shown}`);
  if (ERROR_CODES[parsed.data.error] !== response.status) throw new Error(`code ${parsed.data.error} with status ${response.status}: ${shown}`);
  // Uploads challenge for twine's Basic credentials; everything else for a bearer token.
  if (response.status === 401) expect(response.headers['www-authenticate']).toMatch(/^(Bearer|Basic) /);
}

/**
 * Bad input over HTTP, on the real app with a real PostgreSQL, over real sockets (raw bytes, so
 * control characters and invalid UTF-8 reach the server as sent): every endpoint answers every
 * generated malformed request with a 4xx of the one error shape, never a 5xx and never a hang,
 * and nothing is written (mirror rows, jobs) or fetched (the configured upstream is a listener
 * that records requests, as is the URL clients try to make the server fetch).
 */
describe('the API edge under malformed requests', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let port: number;
  let upstream: Trap;
  let chosen: Trap;

  /** Rows of every table, and the queue's jobs: what "nothing written" compares. */
  async function written(): Promise<Record<string, number>> {
    const { rows } = await db.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`);
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) {
      counts[table_name] = Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}"`)).rows[0].n);
    }
    const producer = app.get(MirrorSyncProducer, { strict: false });
    if (producer !== undefined) for (const [state, n] of Object.entries(await producer.counts())) counts[`jobs:${state}`] = n;
    return counts;
  }

  beforeAll(async () => {
    [db, upstream, chosen] = await Promise.all([createTestDatabase(), startTrap(), startTrap()]);
    const key = (v: string) => Buffer.from(Version.parse(v).key());
    await db.pool.query(`INSERT INTO projects (id, index_id, name, serial) VALUES (1, 1, 'demo-pkg', 12)`);
    await db.pool.query(`INSERT INTO releases (id, project_id, version, key, yanked, yanked_reason, serial) VALUES (1, 1, '1.0', $1, false, NULL, 10)`, [key('1.0')]);
    // Lazy fetches are on, against the recording upstream: a malformed name that got through would show there.
    app = await createTestApp({ databaseUrl: db.url, upstream: upstream.url, runJobs: false });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([upstream?.close(), chosen?.close()]);
    await db?.drop();
  });

  describe.each(endpoints(adminAuth).map((e) => [e.name, e] as const))('%s', (_name, endpoint) => {
    it('answers every generated malformed request with a 4xx of the one shape, never a 5xx or a hang, and writes and fetches nothing', async () => {
      const before = await written();
      const fetched = upstream.requests.length;
      await fc.assert(
        fc.asyncProperty(endpoint.requests, async (request) => {
          expectOneShape(await rawRequest(port, request, ANSWER_TIMEOUT_MS), request);
        }),
        { numRuns: RUNS },
      );
      expect(await written()).toEqual(before);
      expect(upstream.requests.slice(fetched)).toEqual([]);
    }, 300_000);
  });

  it('refuses admin calls without the admin token (401, WWW-Authenticate) or with another token (403), before reading the body', async () => {
    const before = await written();
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.string({ unit: 'grapheme-ascii' }).map((s) => s.replace(/[\r\n]/g, '')),
      fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,64}=*$/).filter((t) => t !== TEST_ADMIN_TOKEN).map((t) => `Bearer ${t}`),
      fc.constantFrom('Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer ', `Bearer ${TEST_ADMIN_TOKEN}x`, `Bearer ${TEST_ADMIN_TOKEN.slice(1)}`, `Token ${TEST_ADMIN_TOKEN}`, `Bearer  ${TEST_ADMIN_TOKEN} extra`),
    );
    const body = fc.constantFrom('{}', '{"incremental": true}', '{"upstream": "http://127.0.0.1:1/"}', '{"include": [', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]');
    // An undeclared query parameter is refused too, but only once the credentials pass: they are checked first.
    const target = fc.constantFrom('/v1/mirror/sync', '/v1/mirror/sync?force=1');
    await fc.assert(
      fc.asyncProperty(authorization, body, target, async (header, text, path) => {
        const request: RawRequest = { method: 'POST', target: path, headers: { 'Content-Type': 'application/json', ...(header === undefined ? {} : { Authorization: header }) }, body: text };
        const response = await rawRequest(port, request, ANSWER_TIMEOUT_MS);
        expectOneShape(response, request);
        // A broken body may be refused by the parser first (400), but never accepted: only 400, 401 or 403.
        expect([400, 401, 403]).toContain(response.status);
        if (text === '{}' || text === '{"incremental": true}') expect([401, 403]).toContain(response.status);
      }),
      { numRuns: RUNS },
    );
    expect(await written()).toEqual(before);
  }, 300_000);

  it('never lets a client choose a URL the server fetches', async () => {
    const before = await written();
    const sync = await rawRequest(port, { method: 'POST', target: '/v1/mirror/sync', headers: { 'Content-Type': 'application/json', ...adminAuth }, body: JSON.stringify({ upstream: chosen.url, include: ['six'] }) });
    expect(sync.status).toBe(400);
    expect(JSON.parse(sync.body.toString())).toMatchObject({ error: 'invalid_input', field: 'upstream' });
    const direct = await rawRequest(port, {
      method: 'POST',
      target: '/v1/resolve',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requirements: [`six @ ${chosen.url}six-1.0-py3-none-any.whl`], python: '3.11', platform: 'x86_64-manylinux_2_28' }),
    });
    expect(JSON.parse(direct.body.toString())).toMatchObject({ error: 'invalid_input', field: 'requirements[0]' });
    // Index options in a requirements.txt are read and ignored: the resolve asks the configured upstream only.
    const indexOption = await rawRequest(port, {
      method: 'POST',
      target: '/v1/resolve',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requirements_txt: `--index-url ${chosen.url}\n--extra-index-url ${chosen.url}\n-f ${chosen.url}\nsix-never-seen\n`, python: '3.11', platform: 'x86_64-manylinux_2_28' }),
    });
    expect(indexOption.status).toBe(404);
    expect(upstream.requests.some((r) => r.includes('six-never-seen'))).toBe(true);
    expect(chosen.requests).toEqual([]);
    expect(await written()).toEqual(before);
  });

  it('describes every endpoint in OpenAPI from the schemas it validates with: bodies, parameters, answers, errors, examples, limits', async () => {
    const document = openApiDocument(app);
    const schemas = document.components?.schemas as Record<string, { type?: string; properties?: object; additionalProperties?: boolean; examples?: unknown[] }>;
    const catalogue = new Set(endpoints(adminAuth).map((e) => e.name));
    const routes: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, OperationObject>)) {
        const route = `${method.toUpperCase()} ${path}`;
        routes.push(route);
        // Every route has malformed requests generated for it above.
        expect([route, catalogue.has(route)]).toEqual([route, true]);
        for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
          if (parameter.in === 'path') expect([route, parameter.name, parameter.schema]).toEqual([route, parameter.name, expect.objectContaining({ type: 'string' })]);
          if (parameter.in === 'path') expect(Object.keys(parameter.schema as object).some((k) => ['maxLength', 'pattern'].includes(k))).toBe(true);
        }
        const body = (operation.requestBody as RequestBodyObject | undefined)?.content['application/json'];
        if (body !== undefined) {
          const ref = (body.schema as { $ref?: string }).$ref;
          expect([route, ref]).toEqual([route, expect.stringMatching(/^#\/components\/schemas\//)]);
          let component = schemas[ref!.split('/').pop()!] as { $ref?: string; type?: string; properties?: object; additionalProperties?: boolean; examples?: unknown[] };
          if (component.$ref !== undefined) component = schemas[component.$ref.split('/').pop()!];
          expect(component).toMatchObject({ type: 'object', properties: expect.any(Object), additionalProperties: false });
          expect(body.examples !== undefined || (component.examples?.length ?? 0) > 0).toBe(true);
        }
        for (const [status, answer] of Object.entries(operation.responses ?? {})) {
          const json = (answer as ResponseObject).content?.['application/json'];
          if (Number(status) >= 400 && Number(status) < 500) {
            expect([route, status, json?.schema]).toEqual([route, status, { $ref: '#/components/schemas/Error' }]);
            expect(Object.keys(json?.examples ?? {}).length).toBeGreaterThan(0);
          }
          if (json !== undefined) expect([route, status, json.schema]).not.toEqual([route, status, { type: 'object' }]);
        }
      }
    }
    expect(routes.sort()).toEqual([...catalogue].filter((name) => /^(GET|POST|DELETE) \//.test(name)).sort());
    expect(schemas.Error).toMatchObject({ type: 'object', additionalProperties: false, required: ['error', 'detail'] });
    expect(document.info.description).toContain(`| Request body | ${LIMITS.bodyBytes / 1024} KiB | 413 payload_too_large |`);
    expect(document.paths['/v1/mirror/sync'].post?.security).toEqual([{ admin: [] }]);
  });

  it('keeps the 413 of an oversized body in the one shape and answers a body at the limit', async () => {
    const padded = (size: number) => {
      const base = JSON.stringify({ requirements: ['django'], python: '3.11', platform: 'x86_64-manylinux_2_28', format: 'json' });
      return base.slice(0, -1) + ' '.repeat(size - base.length) + '}';
    };
    const over = await rawRequest(port, { method: 'POST', target: '/v1/resolve', headers: { 'Content-Type': 'application/json' }, body: padded(LIMITS.bodyBytes + 1) });
    expect(over.status).toBe(413);
    expect(ErrorBodySchema.parse(JSON.parse(over.body.toString()))).toMatchObject({ error: 'payload_too_large' });
    const at = await rawRequest(port, { method: 'POST', target: '/v1/resolve', headers: { 'Content-Type': 'application/json' }, body: padded(LIMITS.bodyBytes) });
    // Within the limit the body is read: django is not in this mirror, so the answer is about django, not the size.
    expect(at.status).toBe(404);
  });
});

/**
 * Access: the admin token made at first start (kept in the data dir, mode 0600, reused, its place
 * printed on stdout and never the token itself), and reads that need a token when the operator
 * sets VENVFARM_READ_TOKEN, while health stays open.
 */
describe('the API edge: tokens', () => {
  const READ = 'read-token-for-this-test-0123';
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  const started: INestApplication[] = [];

  /** Starts an app on the data dir with no VENVFARM_ADMIN_TOKEN; returns it with what it printed. */
  async function start(): Promise<{ app: INestApplication; printed: string }> {
    const writes: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const app = await createTestApp({ databaseUrl: db.url, offline: true, runJobs: false, adminToken: null, readToken: READ, dataDir });
      started.push(app);
      return { app, printed: writes.join('') };
    } finally {
      write.mockRestore();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'venvfarm-edge-tokens-'));
  });

  afterAll(async () => {
    for (const app of started) await app.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the admin token at first start, says where, keeps it private, and reuses it on the next start', async () => {
    const first = await start();
    const path = join(dataDir, ADMIN_TOKEN_FILE);
    const token = readFileSync(path, 'utf8').trim();
    expect(first.printed).toBe(`venvfarm admin token created in ${path} (send it as Authorization: Bearer <token>)\n`);
    expect(first.printed).not.toContain(token);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = await start();
    expect(second.printed).toContain(`venvfarm admin token read from ${path}`);
    expect(readFileSync(path, 'utf8').trim()).toBe(token);
    const http = request(second.app.getHttpServer());
    await http.post('/v1/mirror/sync').set('Authorization', `Bearer ${token}`).send({ include: ['six'] }).expect(202);
  });

  it('asks for the read token (or the admin token) on reads when one is set; health stays open; the read token cannot administer', async () => {
    const { app } = await start();
    const admin = readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim();
    const http = () => request(app.getHttpServer());
    await http().get('/health').expect(200);
    await http().get('/health/live').expect(200);
    const none = await http().get('/v1/mirror/status').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="venvfarm"');
    expect(ErrorBodySchema.parse(none.body).error).toBe('unauthorized');
    const wrong = await http().get('/v1/mirror/status').set('Authorization', `Bearer ${READ}x`).expect(403);
    expect(ErrorBodySchema.parse(wrong.body).error).toBe('forbidden');
    await http().get('/v1/mirror/status').set('Authorization', `Bearer ${READ}`).expect(200);
    await http().get('/v1/mirror/status').set('Authorization', `bearer ${admin}`).expect(200);
    await http().post('/v1/resolve').send({ requirements: ['six'], python: '3.11', platform: 'x86_64-manylinux_2_28' }).expect(401);
    const readOnly = await http().post('/v1/mirror/sync').set('Authorization', `Bearer ${READ}`).send({}).expect(403);
    expect(ErrorBodySchema.parse(readOnly.body).detail).toBe('the read token does not allow admin operations');
  });
});

describe('the limits', () => {
  it('are listed in the README exactly as the code enforces them', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const row of limitsTable()) expect(readme).toContain(`| ${row.limit} | ${row.value} | ${row.answer} |`);
  });
});
