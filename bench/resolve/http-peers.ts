/**
 * Is the HTTP layer the bottleneck? Serves the exact bytes of a cached `POST /v1/resolve`
 * answer from two peers that do nothing else, nginx (a static file) and a plain Node `http`
 * server (its own process), and loads them with the same autocannon client, in the same run, next to venvfarm's
 * cached `POST /v1/resolve` and `GET /health`. Prints requests per second, p50 and p99 latency
 * and the ratio venvfarm / nginx (issue 8's target: a cache hit at >= 0.5 of nginx).
 *
 * nginx runs with `worker_processes 1` (configurable): venvfarm is one Node process, so one
 * worker compares one process with one process; on this 2-core machine the autocannon client
 * needs the other core, and a second nginx worker would only take CPU from the client.
 * The peers answer GET (nginx's static module refuses POST); venvfarm gets the POST with the
 * request body, as clients send it.
 *
 * Used by resolve.bench.ts (`measureHttpPeers`), and alone against a running server:
 *
 *   tsx bench/resolve/http-peers.ts --url http://127.0.0.1:8080 [--seconds 5] [--rounds 3]
 *     [--connections 10] [--warmup 1] [--body '{"requirements":["django","requests"]}'] [--nginx-workers 1|auto]
 *
 * The servers are measured in rounds, each once per round in turn, each figure the round with
 * the median throughput (bench/support/load.ts says why); nginx is started by
 * bench/support/nginx.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadFigure, measureRounds, medianRun } from '../support/load';
import { startNginx } from '../support/nginx';
import { markdownTable, thousands } from '../support/table';

/** The request of issue 8's figures: django + requests. */
export const DEFAULT_RESOLVE_BODY: object = { requirements: ['django', 'requests'] };

/** A server answering the same bytes at `url`. */
export interface Peer {
  readonly label: string;
  readonly url: string;
  stop(): Promise<void>;
}

export interface PeerReport {
  /** Bytes of the answer every peer served. */
  readonly answerBytes: number;
  readonly connections: number;
  readonly seconds: number;
  readonly rounds: number;
  readonly nginxWorkers: string;
  readonly nginx: LoadFigure;
  readonly node: LoadFigure;
  /** A bare Fastify server, POST like venvfarm's: the platform's own ceiling. */
  readonly fastify: LoadFigure;
  readonly health: LoadFigure;
  readonly resolve: LoadFigure;
  /** Cached resolve / nginx in each round. */
  readonly resolveRatios: readonly number[];
}

export interface PeerOptions {
  /** A running venvfarm, `http://HOST:PORT`. */
  readonly venvfarmUrl: string;
  /** The `POST /v1/resolve` body; default django + requests. */
  readonly resolveBody?: object;
  readonly connections?: number;
  /** Seconds of each measured run. */
  readonly seconds?: number;
  /** Runs of each server, taken in turn (see the module comment). */
  readonly rounds?: number;
  /** Seconds of load before each measured run, not counted (JIT, connection set-up). */
  readonly warmupSeconds?: number;
  /** nginx `worker_processes`: a number or `auto`. Default 1 (see the module comment). */
  readonly nginxWorkers?: string;
  /** nginx binary; default `$NGINX`, else `nginx` on PATH, else /usr/sbin/nginx. */
  readonly nginxBinary?: string;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The body of a cached answer as venvfarm sends it: the request is sent until the server
 * says `X-Venvfarm-Cache: hit`, and that reply's bytes are returned.
 */
export async function cachedAnswer(venvfarmUrl: string, resolveBody: object): Promise<Buffer> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(`${venvfarmUrl}/v1/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(resolveBody) });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`POST /v1/resolve answered ${res.status}: ${bytes.toString('utf8').slice(0, 300)}`);
    if (res.headers.get('x-venvfarm-cache') === 'hit') return bytes;
  }
  throw new Error('POST /v1/resolve never answered from the cache (X-Venvfarm-Cache: hit)');
}

/** nginx serving `body` as a static file at `/answer.json`. */
export async function startNginxPeer(body: Buffer, options: { workers?: string; binary?: string } = {}): Promise<Peer> {
  const root = mkdtempSync(join(tmpdir(), 'venvfarm-nginx-www-'));
  try {
    writeFileSync(join(root, 'answer.json'), body, { mode: 0o644 });
    const nginx = await startNginx({ root, probePath: '/answer.json', defaultType: CONTENT_TYPE, workers: options.workers, binary: options.binary });
    return {
      label: 'nginx',
      url: `${nginx.url}/answer.json`,
      stop: async () => {
        await nginx.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** The plain Node server, run in its own process so that it does not share the client's event loop. */
const NODE_PEER_SOURCE = `
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const body = readFileSync(process.argv[1]);
const headers = { 'content-type': process.argv[2], 'content-length': String(body.length) };
const server = createServer((req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.resume();
process.stdin.once('end', () => process.exit(0));
`;

/**
 * A bare Fastify server answering the same `POST /v1/resolve` with `body`: venvfarm's platform
 * with nothing of venvfarm's on it (no NestJS, validation, logs, metrics or request ids), the
 * ceiling of any cache hit served through Fastify on this machine.
 */
const FASTIFY_PEER_SOURCE = `
const { readFileSync } = require('node:fs');
const fastify = require('fastify')({ logger: false });
const body = readFileSync(process.argv[1]);
fastify.post('/v1/resolve', (request, reply) => { reply.header('content-type', process.argv[2]).send(body); });
fastify.listen({ port: 0, host: '127.0.0.1' }).then(() => process.stdout.write(fastify.server.address().port + '\\n'));
process.stdin.resume();
process.stdin.once('end', () => process.exit(0));
`;

/** A plain Node `http` server answering `body` to every request, in a child process. */
export function startNodePeer(body: Buffer): Promise<Peer> {
  return startChildPeer('node http', NODE_PEER_SOURCE, '/answer.json', body);
}

/** A bare Fastify server answering `POST /v1/resolve` with `body`, in a child process. */
export function startFastifyPeer(body: Buffer): Promise<Peer> {
  return startChildPeer('bare fastify', FASTIFY_PEER_SOURCE, '/v1/resolve', body);
}

/** A server of `source` (given the answer file and its content type) in a child process that prints its port. */
async function startChildPeer(label: string, source: string, path: string, body: Buffer): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'venvfarm-peer-'));
  writeFileSync(join(dir, 'answer.json'), body);
  // The child exits when its stdin closes, so it cannot outlive this process; it resolves
  // packages (fastify) from the repository.
  const child = spawn(process.execPath, ['-e', source, join(dir, 'answer.json'), CONTENT_TYPE], { stdio: ['pipe', 'pipe', 'inherit'], cwd: join(__dirname, '..', '..') });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    child.stdout!.setEncoding('utf8').once('data', (line: string) => done(Number(line.trim())));
    child.once('exit', (code) => fail(new Error(`the ${label} peer exited with ${code}`)));
  });
  return {
    label,
    url: `http://127.0.0.1:${port}${path}`,
    stop: async () => {
      child.stdin!.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts nginx and a plain Node server on the bytes of venvfarm's cached answer and measures
 * the four side by side with one client: nginx, node, venvfarm `GET /health`, venvfarm cached
 * `POST /v1/resolve`. The peers are stopped before it returns.
 */
export async function measureHttpPeers(options: PeerOptions): Promise<PeerReport> {
  const connections = options.connections ?? 10;
  const seconds = options.seconds ?? 5;
  const rounds = options.rounds ?? 3;
  const warmup = options.warmupSeconds ?? 1;
  const resolveBody = options.resolveBody ?? DEFAULT_RESOLVE_BODY;
  const workers = options.nginxWorkers ?? '1';
  const answer = await cachedAnswer(options.venvfarmUrl, resolveBody);
  const nginx = await startNginxPeer(answer, { workers, binary: options.nginxBinary });
  const node = await startNodePeer(answer);
  const fastify = await startFastifyPeer(answer);
  try {
    const served = Buffer.from(await (await fetch(nginx.url)).arrayBuffer());
    if (!served.equals(answer)) throw new Error('nginx does not serve the answer bytes');
    const post = { method: 'POST' as const, body: JSON.stringify(resolveBody) };
    const targets = {
      nginx: { label: `nginx (static file, ${workers} worker${workers === '1' ? '' : 's'})`, url: nginx.url },
      node: { label: 'node http (same bytes)', url: node.url },
      fastify: { label: 'bare fastify (same bytes, POST)', url: fastify.url, ...post },
      health: { label: 'venvfarm GET /health', url: `${options.venvfarmUrl}/health` },
      resolve: { label: 'venvfarm POST /v1/resolve (cache hit)', url: `${options.venvfarmUrl}/v1/resolve`, ...post },
    };
    const runs = await measureRounds<keyof typeof targets>(targets, rounds, { connections, seconds, warmupSeconds: warmup });
    return {
      answerBytes: answer.length,
      connections,
      seconds,
      rounds,
      nginxWorkers: workers,
      nginx: medianRun(runs.nginx),
      node: medianRun(runs.node),
      fastify: medianRun(runs.fastify),
      health: medianRun(runs.health),
      resolve: medianRun(runs.resolve),
      resolveRatios: runs.resolve.map((figure, i) => figure.requestsPerSecond / runs.nginx[i].requestsPerSecond),
    };
  } finally {
    await fastify.stop();
    await node.stop();
    await nginx.stop();
  }
}

/** The report as markdown table lines, with the ratios to nginx. */
export function formatPeerReport(report: PeerReport): string[] {
  const ratio = (f: LoadFigure) => (f.requestsPerSecond / report.nginx.requestsPerSecond).toFixed(2);
  const row = (f: LoadFigure) => [f.label, thousands(f.requestsPerSecond), f.p50.toFixed(2), f.p99.toFixed(2), ratio(f), `${f.non2xx} / ${f.errors}`];
  return [
    `HTTP peers: the same ${report.answerBytes}-byte answer, autocannon ${report.connections} connections, loopback, one client; ${report.rounds} rounds of ${report.seconds} s per server (after a warm-up), taken in turn, each figure the round with the median req/s:`,
    '',
    ...markdownTable(
      ['server', 'req/s', 'p50 ms', 'p99 ms', '/ nginx', 'non-2xx / errors'],
      [report.nginx, report.node, report.fastify, report.health, report.resolve].map(row),
    ),
    '',
    `cached resolve / nginx: ${ratio(report.resolve)} (target >= 0.5; per round ${report.resolveRatios.map((r) => r.toFixed(2)).join(', ')}); / node http: ${(report.resolve.requestsPerSecond / report.node.requestsPerSecond).toFixed(2)}; / bare fastify: ${(report.resolve.requestsPerSecond / report.fastify.requestsPerSecond).toFixed(2)}`,
  ];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const url = option('url');
  if (url === undefined) throw new Error('usage: tsx bench/resolve/http-peers.ts --url http://HOST:PORT [--seconds 5] [--rounds 3] [--connections 10] [--warmup 1] [--body JSON] [--nginx-workers 1|auto]');
  const body = option('body');
  const report = await measureHttpPeers({
    venvfarmUrl: url.replace(/\/$/, ''),
    resolveBody: body === undefined ? undefined : (JSON.parse(body) as object),
    connections: Number(option('connections') ?? 10),
    seconds: Number(option('seconds') ?? 5),
    rounds: Number(option('rounds') ?? 3),
    warmupSeconds: Number(option('warmup') ?? 1),
    nginxWorkers: option('nginx-workers'),
  });
  process.stdout.write(`${formatPeerReport(report).join('\n')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
