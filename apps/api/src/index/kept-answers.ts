/**
 * The package index's hottest answers, given in front of Fastify (as resolve/cached-answers.ts
 * does for cached resolutions): a simple page kept rendered and current, and a small stored file
 * held in memory, for a plain `GET` (no query, no Range) that may read. Everything else, and
 * anything not kept, goes on to Fastify and NestJS unchanged, which are what fill what is kept.
 * The answers are the ones the routes give (headers, 304 on If-None-Match), with their access
 * line and their time in the HTTP metrics; what it saves is the router, the guards, the
 * validation pipe and the reply's machinery, most of a small page's cost.
 */
import { Injectable } from '@nestjs/common';
import { negotiateSimple, SimpleMediaType } from '@venvfarm/index';
import { LRUCache } from 'lru-cache';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { accessDenial } from '../auth/bearer-auth.guard';
import { Credentials } from '../auth/credentials';
import { IMMUTABLE, matchesEtag } from '../common/send-object';
import { requestIdOf } from '../observability/logging/request-id';
import { RequestCompletions } from '../observability/request-completions';
import { IndexService, UPSTREAM_INDEX } from './index.service';
import { PAGE_CACHE_CONTROL, RenderedPages } from './rendered-pages';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const UPSTREAM_PAGE = /^\/simple\/([^/?%]+)\/$/;
const PRIVATE_PAGE = /^\/([^/?%]+)\/simple\/([^/?%]+)\/$/;
const FILE = /^\/files\/([0-9a-f]{64})\/([^/?]+)$/;

/** The route templates the answers are counted under (as Fastify names them). */
const ROUTES = { upstreamPage: '/simple/:project', privatePage: '/:index/simple/:project', file: '/files/:sha256/:filename' } as const;

@Injectable()
export class KeptIndexAnswers {
  /** Accept headers seen, negotiated once each (a handful of clients send a handful of headers). */
  private readonly negotiated = new LRUCache<string, SimpleMediaType>({ max: 1000 });

  constructor(
    private readonly pages: RenderedPages,
    private readonly index: IndexService,
    private readonly credentials: Credentials,
    private readonly completions: RequestCompletions,
  ) {}

  /** Puts the lane in front of the one request listener `server` has. */
  serve(server: Pick<Server, 'listeners' | 'removeAllListeners' | 'on'>): void {
    const listeners = server.listeners('request');
    if (listeners.length !== 1) throw new Error(`KeptIndexAnswers: expected one request listener, found ${listeners.length}`);
    const next = listeners[0] as RequestListener;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.answered(req, res)) next(req, res);
    });
  }

  private answered(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || req.headers.range !== undefined) return false;
    if (url.startsWith('/files/')) return this.file(req, res, url);
    const upstream = UPSTREAM_PAGE.exec(url);
    const matched = upstream ?? PRIVATE_PAGE.exec(url);
    if (matched === null || !this.mayRead(req)) return false;
    const [index, name, route] = upstream !== null ? [UPSTREAM_INDEX, upstream[1], ROUTES.upstreamPage] : [matched[1], matched[2], ROUTES.privatePage];
    const page = this.pages.keptProject(index, name, this.typeOf(req.headers.accept));
    if (page === undefined) return false;
    const arrived = performance.now();
    const notModified = matchesEtag(req.headers['if-none-match'], page.etag);
    const headers: Record<string, string | number> = { etag: page.etag, 'cache-control': PAGE_CACHE_CONTROL, vary: 'Accept', 'x-pypi-last-serial': String(page.serial), 'x-request-id': requestIdOf(req) };
    if (notModified) res.writeHead(304, headers).end();
    else {
      headers['content-type'] = page.contentType;
      headers['content-length'] = page.body.length;
      res.writeHead(200, headers).end(page.body);
    }
    this.done(req, res, route, arrived);
    return true;
  }

  private file(req: IncomingMessage, res: ServerResponse, url: string): boolean {
    const matched = FILE.exec(url);
    if (matched === null || !this.mayRead(req)) return false;
    let filename = matched[2];
    if (filename.includes('%')) {
      try {
        filename = decodeURIComponent(filename);
      } catch {
        return false;
      }
    }
    const kept = this.index.keptSmallFile(matched[1], filename);
    if (kept === undefined) return false;
    const arrived = performance.now();
    const etag = `"${kept.sha256}"`;
    const headers: Record<string, string | number> = { etag, 'cache-control': IMMUTABLE, 'accept-ranges': 'bytes', 'x-request-id': requestIdOf(req) };
    if (matchesEtag(req.headers['if-none-match'], etag)) res.writeHead(304, headers).end();
    else {
      headers['content-type'] = filename.endsWith('.metadata') ? 'text/plain; charset=utf-8' : 'application/octet-stream';
      headers['content-length'] = kept.bytes.length;
      res.writeHead(200, headers).end(kept.bytes);
    }
    this.done(req, res, ROUTES.file, arrived);
    return true;
  }

  private mayRead(req: IncomingMessage): boolean {
    return accessDenial('read', req.headers.authorization, this.credentials) === null;
  }

  private typeOf(accept: string | undefined): SimpleMediaType {
    if (accept === undefined) return negotiateSimple(undefined);
    let type = this.negotiated.get(accept);
    if (type === undefined) this.negotiated.set(accept, (type = negotiateSimple(accept)));
    return type;
  }

  private done(req: IncomingMessage, res: ServerResponse, route: string, arrived: number): void {
    this.completions.completed({ reqId: String(res.getHeader('x-request-id')), method: 'GET', url: req.url!, statusCode: res.statusCode, responseTime: Math.round((performance.now() - arrived) * 100) / 100 }, route);
  }
}
