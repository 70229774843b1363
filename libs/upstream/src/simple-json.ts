/**
 * PEP 691 JSON (`application/vnd.pypi.simple.v1+json`): project pages and the root index.
 *
 * Surprises: the metadata key is `core-metadata` since PEP 714, `data-dist-info-metadata`
 * before it (the key `dist-info-metadata` was never sent by PyPI, but some indexes did), and
 * each may be `true` (offered, no hash) or `{"sha256": ...}`; `yanked` is false, true or a
 * reason string; `versions` only exists from API 1.1 (PEP 700). Relative file URLs resolve
 * against the page's own URL.
 */
import { MalformedResponseError } from './upstream-errors';
import { normalizeName } from '@venvfarm/pep508';
import { RootIndex, sha256OrNull, SimpleFile, SimpleProjectPage } from './simple-page';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string, url: string, project: string | null): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedResponseError(`not JSON: ${(error as Error).message}`, url, project, { cause: error });
  }
  if (!isObject(value)) throw new MalformedResponseError('JSON page is not an object', url, project);
  return value;
}

function serialOf(meta: unknown): number | null {
  if (!isObject(meta)) return null;
  const serial = meta['_last-serial'];
  return typeof serial === 'number' && Number.isInteger(serial) ? serial : null;
}

function metadataOf(file: Json): { offered: boolean; sha256: string | null } {
  for (const key of ['core-metadata', 'data-dist-info-metadata', 'dist-info-metadata']) {
    if (!(key in file)) continue;
    const value = file[key];
    if (value === true) return { offered: true, sha256: null };
    if (isObject(value)) return { offered: true, sha256: sha256OrNull(value.sha256) };
    return { offered: false, sha256: null };
  }
  return { offered: false, sha256: null };
}

/** Parses a PEP 691 project page. @throws MalformedResponseError */
export function parseJsonProjectPage(text: string, pageUrl: string, project: string): SimpleProjectPage {
  const page = parseJson(text, pageUrl, project);
  if (!Array.isArray(page.files)) throw new MalformedResponseError('JSON page has no "files" array', pageUrl, project);
  const files: SimpleFile[] = page.files.map((entry, i) => {
    if (!isObject(entry) || typeof entry.filename !== 'string' || typeof entry.url !== 'string' || entry.filename === '') {
      throw new MalformedResponseError(`file #${i} has no filename or url`, pageUrl, project);
    }
    let url: URL;
    try {
      url = new URL(entry.url, pageUrl);
    } catch (error) {
      throw new MalformedResponseError(`file ${entry.filename} has an invalid url`, pageUrl, project, { cause: error });
    }
    url.hash = '';
    const hashes = isObject(entry.hashes) ? entry.hashes : {};
    const yanked = entry.yanked === true ? '' : typeof entry.yanked === 'string' ? entry.yanked : false;
    const metadata = metadataOf(entry);
    return {
      filename: entry.filename,
      url: url.toString(),
      sha256: sha256OrNull(hashes.sha256),
      requiresPython: typeof entry['requires-python'] === 'string' && entry['requires-python'] !== '' ? entry['requires-python'] : null,
      yanked,
      coreMetadata: metadata.offered,
      coreMetadataSha256: metadata.sha256,
      size: typeof entry.size === 'number' ? entry.size : null,
      uploadTime: typeof entry['upload-time'] === 'string' ? entry['upload-time'] : null,
    };
  });
  const versions = Array.isArray(page.versions) && page.versions.every((v) => typeof v === 'string') ? (page.versions as string[]) : null;
  return {
    name: typeof page.name === 'string' ? normalizeName(page.name) : project,
    serial: serialOf(page.meta),
    versions,
    files,
    format: 'json',
  };
}

/** Parses a PEP 691 root index. @throws MalformedResponseError */
export function parseJsonRootIndex(text: string, url: string): RootIndex {
  const root = parseJson(text, url, null);
  if (!Array.isArray(root.projects)) throw new MalformedResponseError('JSON index has no "projects" array', url);
  const projects = root.projects.flatMap((entry) => {
    if (!isObject(entry) || typeof entry.name !== 'string') return [];
    const serial = entry['_last-serial'];
    return [{ name: normalizeName(entry.name), serial: typeof serial === 'number' ? serial : null }];
  });
  return { serial: serialOf(root.meta), projects, format: 'json' };
}
