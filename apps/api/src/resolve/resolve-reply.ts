/**
 * How a resolve answer goes out: the same bytes and headers whether NestJS's controller or the
 * cache-hit path below it (cached-answers.ts) sends it.
 */
import type { FastifyReply } from 'fastify';
import { renderAs, ResolveAnswer, ResolveResult } from './resolve.service';

type LockFormat = 'json' | 'requirements.txt' | 'pylock.toml';

/** Which lock format the client asked for: `format` wins, then Accept; JSON otherwise. */
export function chosenFormat(format: string | null, accept: string | undefined): LockFormat {
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

/** How many bodies of one answer are kept (differing only in `timings`: a hit from memory takes 0 or 0.01 ms). */
const HIT_BODY_VARIANTS = 2;

/**
 * The JSON bodies of held answers as hits, each with one `timings` value: a hit from memory
 * (`{"total_ms":0}` or `{"total_ms":0.01}`) is then sent as bytes made once, instead of a 6 KB
 * string built, flattened and encoded per reply (~2.5 us of a ~30 us hit, measured). Kept with
 * the answer object, so they go when it leaves the hot answers; at most
 * {@link HIT_BODY_VARIANTS} per answer (other timings are made per reply).
 */
const hitBodies = new WeakMap<ResolveAnswer, Map<string, Buffer>>();

/** The JSON body of a result: the answer's JSON (made once, when computed) with the per-reply fields. */
function jsonBody(result: ResolveResult): string | Buffer {
  const tail = `,"cached":${result.cached},"timings":${JSON.stringify(result.timings)}}`;
  if (!result.cached) return `${result.json.slice(0, -1)}${tail}`;
  let bodies = hitBodies.get(result.answer);
  if (bodies === undefined) {
    bodies = new Map();
    hitBodies.set(result.answer, bodies);
  }
  let body = bodies.get(tail);
  if (body === undefined) {
    body = Buffer.from(`${result.json.slice(0, -1)}${tail}`);
    if (bodies.size < HIT_BODY_VARIANTS) bodies.set(tail, body);
  }
  return body;
}

/** Sends a result in the format chosen by the request and the `Accept` header. */
export function sendResolveResult(reply: FastifyReply, result: ResolveResult, accept: string | undefined): void {
  const format = chosenFormat(result.format, accept);
  void reply.code(200).header('X-Venvfarm-Cache', result.cached ? 'hit' : 'miss').header('ETag', `"${result.answer.key}"`);
  if (format === 'json') {
    void reply.type('application/json; charset=utf-8').send(jsonBody(result));
    return;
  }
  void reply.type(`${format === 'pylock.toml' ? 'application/toml' : 'text/plain'}; charset=utf-8`).send(renderAs(format, result.answer));
}
