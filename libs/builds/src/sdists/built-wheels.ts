/**
 * Wheels built from sdists, kept for every later build (a small piwheels): the wheel is a blob of
 * the artifact store, and `built-wheels/<key>.json` names it, where the key stands for the sdist's
 * bytes and the builder that built it (the same sdist in the same builder builds the same wheel,
 * so a wheel is built once per builder, whatever the set it came in).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ArtifactNotFoundError, ArtifactStore } from '@venvfarm/artifacts';
import type { ExecutorTarget } from '../executors/build-executor';

export const BUILT_WHEELS_NAMESPACE = 'built-wheels';

/** A wheel built from an sdist, as stored. */
export interface BuiltWheel {
  readonly filename: string;
  readonly sha256: string;
}

/** What a built wheel is found by: the sdist's sha256 and the builder's digest. */
export function builtWheelKey(sdistSha256: string, target: Pick<ExecutorTarget, 'builderDigest'>): string {
  return createHash('sha256').update(JSON.stringify(['venvfarm-built-wheel/1', sdistSha256, target.builderDigest])).digest('hex');
}

const recordName = (key: string) => `${key}.json`;

/** The wheel built before under `key`, or null (never built, or its blob is gone). */
export async function findBuiltWheel(store: ArtifactStore, key: string): Promise<BuiltWheel | null> {
  let text: string;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await store.readNamed(BUILT_WHEELS_NAMESPACE, recordName(key))) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return null;
    throw error;
  }
  const record = JSON.parse(text) as BuiltWheel;
  return (await store.has(record.sha256)) ? { filename: record.filename, sha256: record.sha256 } : null;
}

/** Stores the wheel at `path` (named `filename`) as the one built under `key`. */
export async function keepBuiltWheel(store: ArtifactStore, key: string, path: string, filename: string): Promise<BuiltWheel> {
  const { sha256 } = await store.put(createReadStream(path), null, { name: filename });
  const wheel: BuiltWheel = { filename, sha256 };
  await store.putNamed(BUILT_WHEELS_NAMESPACE, recordName(key), Readable.from([Buffer.from(JSON.stringify(wheel))]));
  return wheel;
}
