/**
 * Cache hits answered in front of Fastify. A request that this process has answered before, byte
 * for byte the same JSON body, asks for the same resolution: validating it (zod, PEP 508 parsing),
 * finding its canonical form and hashing it gave a key then and would give the same key now. So
 * the key is remembered by the body's text, and when the answer to that key is one this process
 * holds and has found current since the last change to the mirror (ResolveService), the HTTP
 * server's request listener answers it before Fastify sees the request: a hit then costs Node's
 * HTTP server plus what every request leaves behind (request id, access line, metrics), not
 * Fastify's request and reply objects, NestJS's hooks around them, the body parser and the
 * route's pipeline (issue 8 item 6: about a third of a hit's CPU time, measured with perf).
 *
 * Everything else a request can depend on is checked on each request, and any doubt leaves the
 * request to Fastify and NestJS's route, which answer it fully (and may make the next one fast):
 * the path and query (exactly the route's path), the body's framing (a `Content-Length` no larger
 * than a remembered body, no transfer or content encoding, a JSON content type), the credentials
 * (the route's access level, as the guard checks it), `Cache-Control: no-cache`, and `Accept` (the
 * format is chosen per request). A request whose body was read here but is not answered goes on
 * to Fastify with those bytes as its body (a `preParsing` hook), so nothing it sent is lost.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { AccessLevel } from '../auth/access.decorator';
import { accessDenial } from '../auth/bearer-auth.guard';
import { Credentials } from '../auth/credentials';
import { jsonTextOf } from '../common/edge';
import { requestIdOf } from '../observability/logging/request-id';
import { RequestCompletions } from '../observability/request-completions';
import type { ResolveFormat } from './resolve-request';
import { bodyLength, resolveReply, wantsFreshAnswer } from './resolve-reply';
import { ResolveService } from './resolve.service';

/** What a body asked for: the key of its answer, and the format it named. */
interface KnownRequest {
  readonly key: string;
  readonly format: ResolveFormat | null;
}

/**
 * Bound of the remembered requests, in characters of their bodies plus {@link ENTRY_OVERHEAD}
 * each (the key, the entry): 8 M holds ~40,000 typical bodies (a list of requirements is tens to
 * hundreds of characters); least recently used out first.
 */
const KNOWN_REQUESTS_SIZE = 8 * 2 ** 20;
/** What an entry costs besides its body, in the same units (characters, roughly bytes). */
const ENTRY_OVERHEAD = 200;
/** Bodies longer than this are not remembered (each would crowd out hundreds of others). */
const LONGEST_KNOWN_BODY = 64 * 1024;

/** Node's request listener (Fastify's, on the HTTP server it made). */
type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Where the lane leaves the body it read, on a request it hands to Fastify. */
const READ_BODY = Symbol('venvfarm.readBody');
type ReadRequest = IncomingMessage & { [READ_BODY]?: Buffer };

/** `application/json`, with parameters or not: the content type of the body parser (common/edge.ts). */
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** The route the lane answers for. */
export interface CachedAnswerRoute {
  /** The path, exactly as requested (no query). */
  readonly path: string;
  readonly access: AccessLevel;
}

/** Remembers which answer each validated request body asked for, and answers those bodies in front of Fastify (see above). */
@Injectable()
export class CachedAnswers {
  private readonly known = new LRUCache<string, KnownRequest>({
    maxSize: KNOWN_REQUESTS_SIZE,
    sizeCalculation: (_value, text) => text.length + ENTRY_OVERHEAD,
  });

  constructor(
    private readonly service: ResolveService,
    private readonly credentials: Credentials,
    private readonly completions: RequestCompletions,
  ) {}

  /**
   * Puts the lane in front of Fastify's request listener on `server` (the one listener Fastify
   * added), for `route`; `fastify` gets the hook that hands it the bodies the lane read.
   */
  serve(server: Pick<Server, 'listeners' | 'removeAllListeners' | 'on'>, fastify: Pick<FastifyInstance, 'addHook'>, route: CachedAnswerRoute): void {
    const listeners = server.listeners('request');
    if (listeners.length !== 1) throw new Error(`CachedAnswers: expected Fastify's one request listener, found ${listeners.length}`);
    const fastifyListener = listeners[0] as RequestListener;
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      const read = (request.raw as ReadRequest)[READ_BODY];
      done(null, read === undefined ? payload : Readable.from([read], { objectMode: false }));
    });
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.mayAnswer(req, route)) this.readThenAnswer(req, res, route, fastifyListener);
      else fastifyListener(req, res);
    });
  }

  /** Remembers the key of a request NestJS's route validated and answered. */
  remember(request: FastifyRequest, key: string, format: ResolveFormat | null): void {
    const text = jsonTextOf(request);
    if (text !== null && text.length <= LONGEST_KNOWN_BODY) this.known.set(text, { key, format });
  }

  /** Whether the request could be a known one that this lane may answer (everything but its body). */
  private mayAnswer(req: IncomingMessage, route: CachedAnswerRoute): boolean {
    if (req.method !== 'POST' || req.url !== route.path || this.known.size === 0) return false;
    const { headers } = req;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= LONGEST_KNOWN_BODY) || headers['transfer-encoding'] !== undefined) return false;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') return false;
    if (!JSON_TYPE.test(headers['content-type'] ?? '') || wantsFreshAnswer(headers['cache-control'])) return false;
    return accessDenial(route.access, headers.authorization, this.credentials) === null;
  }

  /** Reads the body; answers a known request, else hands the request and its body to Fastify. */
  private readThenAnswer(req: IncomingMessage, res: ServerResponse, route: CachedAnswerRoute, fastifyListener: RequestListener): void {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client gone mid-body: nothing to answer (Node closes the connection).
    req.once('error', () => res.destroy());
    req.once('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (this.answered(req, res, body, route, arrived)) return;
      (req as ReadRequest)[READ_BODY] = body;
      fastifyListener(req, res);
    });
  }

  private answered(req: IncomingMessage, res: ServerResponse, sent: Buffer, route: CachedAnswerRoute, arrived: number): boolean {
    const known = this.known.get(sent.toString('utf8'));
    if (known === undefined) return false;
    const result = this.service.answerFromMemory(known.key, known.format);
    if (result === null) return false;
    const { headers, body } = resolveReply(result, req.headers.accept);
    const reqId = requestIdOf(req);
    // Spelled out: a spread or a computed key in this literal cost ~1 us a hit (V8's slow path for defining properties).
    res.writeHead(200, { 'content-type': headers['content-type'], 'x-venvfarm-cache': headers['x-venvfarm-cache'], etag: headers.etag, 'content-length': bodyLength(body), 'x-request-id': reqId });
    // Corked: the head, the pieces and the end go out in one write.
    res.cork();
    for (let i = 0; i < body.length - 1; i++) res.write(body[i]);
    res.end(body[body.length - 1]);
    this.completions.completed({ reqId, method: 'POST', url: route.path, statusCode: 200, responseTime: Math.round((performance.now() - arrived) * 100) / 100 }, route.path);
    return true;
  }
}
