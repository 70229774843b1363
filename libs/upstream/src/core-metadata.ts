/**
 * Core metadata (the `METADATA` / `PKG-INFO` format, served as PEP 658 `.metadata` files): RFC 822
 * style headers up to the first blank line, continuation lines starting with whitespace,
 * repeatable fields (`Requires-Dist`, `Provides-Extra`). Only what the mirror keeps is read.
 * Requirement strings are returned as written: the ingest writer parses them once and flags
 * the ones that do not parse, so a junk line never loses the file.
 */
import { createHash } from 'node:crypto';
import { MalformedResponseError, MetadataHashMismatchError } from './upstream-errors';

/** The fields of core metadata the mirror stores. */
export interface CoreMetadata {
  readonly metadataVersion: string;
  readonly name: string;
  readonly version: string | null;
  readonly requiresPython: string | null;
  readonly requiresDist: readonly string[];
  readonly providesExtras: readonly string[];
}

/** Header fields in order (names lower-cased), values unfolded. */
export function parseHeaders(text: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line === '') break;
    if ((line[0] === ' ' || line[0] === '\t') && fields.length > 0) {
      const last = fields[fields.length - 1];
      last[1] = `${last[1]}\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    // Not a header: the headers ended without the blank line (seen in hand-made files).
    if (colon <= 0) break;
    fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/**
 * Parses core metadata; verifies its sha256 first when one was advertised.
 * @throws MetadataHashMismatchError, or MalformedResponseError when Metadata-Version or Name is missing.
 */
export function parseCoreMetadata(body: Buffer | string, url: string, project: string | null = null, expectedSha256: string | null = null): CoreMetadata {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (expectedSha256 !== null) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expectedSha256) throw new MetadataHashMismatchError(expectedSha256, actual, url, project);
  }
  const fields = parseHeaders(bytes.toString('utf8'));
  const first = (key: string) => fields.find(([k]) => k === key)?.[1] ?? null;
  const all = (key: string) => fields.filter(([k]) => k === key).map(([, v]) => v).filter((v) => v !== '');
  const metadataVersion = first('metadata-version');
  const name = first('name');
  if (metadataVersion === null || name === null || name === '') {
    throw new MalformedResponseError('core metadata without Metadata-Version and Name', url, project);
  }
  const requiresPython = first('requires-python');
  return {
    metadataVersion,
    name,
    version: first('version'),
    requiresPython: requiresPython === null || requiresPython === '' ? null : requiresPython,
    requiresDist: all('requires-dist'),
    providesExtras: [...new Set(all('provides-extra'))],
  };
}
