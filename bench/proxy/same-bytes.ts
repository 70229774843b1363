/**
 * The bytes bench:proxy loads, taken from venvfarm: each page and file is requested from
 * venvfarm (the first request fills its mirror or store from the upstream), and the body of the
 * answer that came from the mirror or the store is written under nginx's root at the same path,
 * so that both servers answer the same request with the same bytes:
 *
 *   /simple/{project}/              -> simple/{project}/index.html and index.json (nginx picks
 *                                      one by the Accept header, as venvfarm does)
 *   /files/{sha256}/{filename}      -> files/{sha256}/{filename}
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';

/** A path both servers answer with the same body. */
export interface Served {
  /** `/simple/six/`, `/files/{sha256}/{filename}` */
  readonly path: string;
  /** The request's Accept header, when it matters. */
  readonly accept?: string;
  /** Body bytes of the answer. */
  readonly bytes: number;
  /** venvfarm's Content-Type. */
  readonly contentType: string;
  /** ms of the first request (through the upstream) and of the second (mirror or store). */
  readonly firstMs: number;
  readonly secondMs: number;
}

/** A file of a PEP 691 project page, as far as it is used here. */
export interface PageFile {
  readonly filename: string;
  readonly url: string;
  readonly hashes: { readonly sha256?: string };
  readonly size?: number;
}

/** One GET, timed to its last body byte. */
export async function get(url: string, accept: string | undefined): Promise<{ ms: number; body: Buffer; contentType: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: accept === undefined ? {} : { accept } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${body.toString('utf8').slice(0, 300)}`);
  return { ms: performance.now() - started, body, contentType: res.headers.get('content-type') ?? '' };
}

/**
 * Requests `/simple/{project}/` from venvfarm twice, as HTML or JSON, and writes the second
 * answer under `root`. Returns it, and the page's files when JSON.
 */
export async function samePage(venvfarm: string, root: string, project: string, format: 'html' | 'json'): Promise<Served & { files: PageFile[] }> {
  const path = `/simple/${project}/`;
  const accept = format === 'json' ? SIMPLE_JSON : undefined;
  const first = await get(`${venvfarm}${path}`, accept);
  const second = await get(`${venvfarm}${path}`, accept);
  if (!second.body.equals(first.body)) throw new Error(`GET ${path} (${format}) answered different bytes the second time`);
  const file = join(root, 'simple', project, `index.${format}`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, second.body, { mode: 0o644 });
  const files = format === 'json' ? (JSON.parse(second.body.toString('utf8')) as { files: PageFile[] }).files : [];
  return { path, accept, bytes: second.body.length, contentType: second.contentType, firstMs: first.ms, secondMs: second.ms, files };
}

/** Streams a GET into `file`; returns its size and sha256 (hex). */
async function download(url: string, file: string): Promise<{ ms: number; bytes: number; sha256: string; contentType: string }> {
  const started = performance.now();
  const res = await fetch(url);
  if (res.status !== 200 || res.body === null) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), tap, createWriteStream(file, { mode: 0o644 }));
  return { ms: performance.now() - started, bytes, sha256: hash.digest('hex'), contentType: res.headers.get('content-type') ?? '' };
}

/**
 * Downloads `file` (linked from the page at `pageUrl`) through venvfarm twice: the first time it
 * streams from the upstream into the store, the second comes from the store and is written
 * under `root`. Both must have the page's sha256 and size.
 */
export async function sameFile(pageUrl: string, root: string, file: PageFile): Promise<Served> {
  const url = new URL(file.url, pageUrl);
  const path = url.pathname;
  const target = join(root, ...decodeURIComponent(path).split('/').filter(Boolean));
  mkdirSync(dirname(target), { recursive: true });
  const first = await download(url.toString(), target);
  const second = await download(url.toString(), target);
  for (const got of [first, second]) {
    if (got.sha256 !== file.hashes.sha256) throw new Error(`${file.filename} through venvfarm has sha256 ${got.sha256}, the page says ${file.hashes.sha256}`);
    if (file.size !== undefined && got.bytes !== file.size) throw new Error(`${file.filename} through venvfarm has ${got.bytes} bytes, the page says ${file.size}`);
  }
  return { path, bytes: second.bytes, contentType: second.contentType, firstMs: first.ms, secondMs: second.ms };
}

/**
 * Checks that nginx answers `served` with the same body as venvfarm did (size and sha256 of
 * both answers) and returns the Content-Types that differ, if any.
 */
export async function checkSame(venvfarm: string, nginx: string, served: Served): Promise<string | null> {
  const digest = async (base: string) => {
    const res = await fetch(`${base}${served.path}`, { headers: served.accept === undefined ? {} : { accept: served.accept } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`GET ${base}${served.path}: HTTP ${res.status}`);
    return { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), contentType: res.headers.get('content-type') ?? '' };
  };
  const [ours, theirs] = [await digest(venvfarm), await digest(nginx)];
  if (ours.bytes !== served.bytes || ours.sha256 !== theirs.sha256 || ours.bytes !== theirs.bytes) {
    throw new Error(`${served.path}${served.accept ? ` (${served.accept})` : ''}: venvfarm ${ours.bytes} bytes, nginx ${theirs.bytes} bytes, not the same body`);
  }
  return ours.contentType === theirs.contentType ? null : `${served.path}: Content-Type venvfarm '${ours.contentType}', nginx '${theirs.contentType}'`;
}
