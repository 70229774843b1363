/**
 * Cache hits answered below NestJS. A request that this process has answered before, byte for
 * byte the same JSON body, asks for the same resolution: validating it (zod, PEP 508 parsing),
 * finding its canonical form and hashing it gave a key then and would give the same key now. So
 * the key is remembered by the body's text, and when the answer to that key is one this process
 * holds and has found current since the last change to the mirror (ResolveService), a Fastify
 * hook sends it before NestJS's router, guards, pipes and handler run: a hit then costs a bare
 * Fastify route plus the hooks every request has (request id, access line, metrics), not the
 * ~40 us more of NestJS's pipeline, validation and hashing (issue 8 item 6).
 *
 * Everything else a request can depend on is checked on each request, and any doubt leaves the
 * request to NestJS's route, which answers it fully (and may make the next one fast): the query
 * (a route without query parameters: NestJS refuses any), the credentials (the route's access
 * level, as the guard checks it), `Cache-Control: no-cache`, and `Accept` (the format is chosen
 * per request). Request ids, access lines and HTTP metrics come from Fastify hooks, so they are
 * the same for requests answered here.
 */
import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { AccessLevel } from '../auth/access.decorator';
import { accessDenial } from '../auth/bearer-auth.guard';
import { Credentials } from '../auth/credentials';
import { jsonTextOf } from '../common/edge';
import type { ResolveFormat } from './resolve-request';
import { sendResolveResult, wantsFreshAnswer } from './resolve-reply';
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

/** The route the hook answers for. */
export interface CachedAnswerRoute {
  /** The path, exactly as requested (no query). */
  readonly path: string;
  readonly access: AccessLevel;
}

/** Remembers which answer each validated request body asked for, and answers those bodies from memory (see above). */
@Injectable()
export class CachedAnswers {
  private readonly known = new LRUCache<string, KnownRequest>({
    maxSize: KNOWN_REQUESTS_SIZE,
    sizeCalculation: (_value, text) => text.length + ENTRY_OVERHEAD,
  });

  constructor(
    private readonly service: ResolveService,
    private readonly credentials: Credentials,
  ) {}

  /** Answers known requests of `route` from memory, in a `preValidation` hook (the body is parsed by then). */
  serve(fastify: Pick<FastifyInstance, 'addHook'>, route: CachedAnswerRoute): void {
    fastify.addHook('preValidation', (request, reply, done) => {
      // Answered: the hook chain stops here (Fastify's way for callback hooks is not to call done).
      if (!this.answered(request, reply, route)) done();
    });
  }

  /** Remembers the key of a request NestJS's route validated and answered. */
  remember(request: FastifyRequest, key: string, format: ResolveFormat | null): void {
    const text = jsonTextOf(request);
    if (text !== null && text.length <= LONGEST_KNOWN_BODY) this.known.set(text, { key, format });
  }

  private answered(request: FastifyRequest, reply: FastifyReply, route: CachedAnswerRoute): boolean {
    if (request.url !== route.path || request.method !== 'POST') return false;
    const text = jsonTextOf(request);
    if (text === null) return false;
    const known = this.known.get(text);
    if (known === undefined) return false;
    const { headers } = request;
    if (wantsFreshAnswer(headers['cache-control'])) return false;
    if (accessDenial(route.access, headers.authorization, this.credentials) !== null) return false;
    const result = this.service.answerFromMemory(known.key, known.format);
    if (result === null) return false;
    sendResolveResult(reply, result, headers.accept);
    return true;
  }
}
