/**
 * How a resolve answer goes out: the same bytes and headers whether NestJS's controller or the
 * cache-hit lane in front of Fastify (cached-answers.ts) sends it.
 */
import type { FastifyReply } from 'fastify';
import { renderAs, ResolveAnswer, ResolveResult } from './resolve.service';

type LockFormat = 'json' | 'requirements.txt' | 'pylock.toml';

/** Which lock format the client asked for: `format` wins, then Accept; JSON otherwise. */
function chosenFormat(format: string | null, accept: string | undefined): LockFormat {
  if (format !== null) return format as LockFormat;
  const types = (accept ?? '').toLowerCase();
  if (types.includes('application/json') || types.trim() === '' || types.includes('*/*')) return 'json';
  if (types.includes('text/plain')) return 'requirements.txt';
  if (types.includes('application/toml')) return 'pylock.toml';
  return 'json';
}

const NO_CACHE = /(^|,)\s*no-cache\s*(,|$)/i;

/** Whether `Cache-Control` asks for a fresh computation (`no-cache`). */
export function wantsFreshAnswer(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && NO_CACHE.test(cacheControl);
}

/**
 * The bytes of each held answer's JSON body as a hit, up to its `timings` value (which differs
 * per reply), made on its first hit: a hit then sends them as they are, followed by its timings,
 * instead of building, flattening, encoding or even copying the whole answer (a fresh 6 KB
 * buffer per hit cost ~5 us of a ~32 us hit in issue 8's measurements). Kept with the answer
 * object, so they go when it leaves the hot answers (so they take at most as much memory again
 * as the hot answers).
 */
const hitHeads = new WeakMap<ResolveAnswer, Buffer>();

/** The JSON body of a result, in pieces: the answer's JSON (made once, when computed) with the per-reply fields. */
function jsonBody(result: ResolveResult): readonly (string | Buffer)[] {
  const timings = `${JSON.stringify(result.timings)}}`;
  if (!result.cached) return [`${result.json.slice(0, -1)},"cached":false,"timings":${timings}`];
  let head = hitHeads.get(result.answer);
  if (head === undefined) {
    head = Buffer.from(`${result.json.slice(0, -1)},"cached":true,"timings":`);
    hitHeads.set(result.answer, head);
  }
  return [head, timings];
}

/** The answer to a resolve request: status 200 with these headers and body. */
export interface ResolveReply {
  readonly headers: { readonly 'content-type': string; readonly 'x-venvfarm-cache': 'hit' | 'miss'; readonly etag: string };
  /** The body in pieces, to be sent one after the other (nothing is copied to join them). */
  readonly body: readonly (string | Buffer)[];
}

/** The bytes of a body given in pieces. */
export function bodyLength(body: readonly (string | Buffer)[]): number {
  let length = 0;
  for (const piece of body) length += Buffer.byteLength(piece);
  return length;
}

/** The reply to a result, in the format chosen by the request and the `Accept` header. */
export function resolveReply(result: ResolveResult, accept: string | undefined): ResolveReply {
  const format = chosenFormat(result.format, accept);
  const cache = result.cached ? 'hit' : 'miss';
  const etag = `"${result.answer.key}"`;
  if (format === 'json') return { headers: { 'content-type': 'application/json; charset=utf-8', 'x-venvfarm-cache': cache, etag }, body: jsonBody(result) };
  const type = `${format === 'pylock.toml' ? 'application/toml' : 'text/plain'}; charset=utf-8`;
  return { headers: { 'content-type': type, 'x-venvfarm-cache': cache, etag }, body: [renderAs(format, result.answer)] };
}

/** Sends a result through Fastify (NestJS's route). */
export function sendResolveResult(reply: FastifyReply, result: ResolveResult, accept: string | undefined): void {
  const { headers, body } = resolveReply(result, accept);
  void reply.code(200).headers(headers).send(body.length === 1 ? body[0] : Buffer.concat(body.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece))));
}
