/**
 * How a resolve answer goes out: the same bytes and headers whether NestJS's controller or the
 * cache-hit path below it (cached-answers.ts) sends it.
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
 * per reply), made on its first hit: a hit then copies them into its body instead of building,
 * flattening and encoding a string of the whole answer. Kept with the answer object, so they go
 * when it leaves the hot answers (so they take at most as much memory again as the hot answers).
 */
const hitHeads = new WeakMap<ResolveAnswer, Buffer>();

/** The JSON body of a result: the answer's JSON (made once, when computed) with the per-reply fields. */
function jsonBody(result: ResolveResult): string | Buffer {
  const timings = `${JSON.stringify(result.timings)}}`;
  if (!result.cached) return `${result.json.slice(0, -1)},"cached":false,"timings":${timings}`;
  let head = hitHeads.get(result.answer);
  if (head === undefined) {
    head = Buffer.from(`${result.json.slice(0, -1)},"cached":true,"timings":`);
    hitHeads.set(result.answer, head);
  }
  // Timings are numbers under ASCII names: one byte per character.
  const body = Buffer.allocUnsafe(head.length + timings.length);
  head.copy(body);
  body.write(timings, head.length, 'latin1');
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
