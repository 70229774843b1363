/**
 * Sends an immutable stored object (an environment tarball, a distribution file) as HTTP: its
 * ETag, long-lived caching fit for a CDN, `If-None-Match` (304) and one byte range (206/416).
 */
import { RangeNotSatisfiableError } from '@venvfarm/artifacts';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { parseRange } from './byte-range';

/** Objects never change under their name, so caches may keep them for a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** An object in the store. */
export interface StoredObject {
  /** For errors: the object's name. */
  readonly name: string;
  readonly size: number;
  /** The quoted entity tag. */
  readonly etag: string;
  readonly contentType: string;
  /** Its bytes, or those of an inclusive range. */
  read(range?: { start: number; end: number }): Promise<Readable | Buffer>;
}

/** Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for it). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);
}

/** Answers with the object: 304, 200, 206, or 416 (thrown, for the error filter). */
export async function sendObject(reply: FastifyReply, object: StoredObject, rangeHeader: string | undefined, ifNoneMatch: string | undefined): Promise<void> {
  void reply.header('ETag', object.etag).header('Cache-Control', IMMUTABLE).header('Accept-Ranges', 'bytes').header('Content-Type', object.contentType);
  if (matchesEtag(ifNoneMatch, object.etag)) {
    void reply.code(304).send();
    return;
  }
  const range = parseRange(rangeHeader, object.size);
  if (range === 'unsatisfiable') throw new RangeNotSatisfiableError(object.name, { start: object.size }, object.size);
  if (range === null) {
    void reply.code(200).header('Content-Length', String(object.size)).send(await object.read());
    return;
  }
  void reply
    .code(206)
    .header('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`)
    .header('Content-Length', String(range.end - range.start + 1))
    .send(await object.read(range));
}
