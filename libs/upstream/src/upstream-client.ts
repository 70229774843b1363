/**
 * Client of one upstream package index: the simple API (PEP 691 JSON, falling back to PEP 503
 * HTML by content negotiation: whatever the index answers is parsed), PEP 658/714 `.metadata`
 * files, and PyPI's XML-RPC changelog where the index offers it (probed once, remembered).
 *
 * `--upstream` names the simple index (`https://pypi.org/simple/`); XML-RPC lives beside it at
 * `../pypi` as on PyPI, unless told otherwise.
 */
import { Readable } from 'node:stream';
import { CoreMetadata, parseCoreMetadata } from './core-metadata';
import { FetchedResponse, FetchOptions, HttpFetcher } from './http-fetcher';
import { parseHtmlProjectPage, parseHtmlRootIndex } from './simple-html';
import { parseJsonProjectPage, parseJsonRootIndex } from './simple-json';
import { normalizeName } from '@venvfarm/pep508';
import { RootIndex, SimpleFile, SimpleProjectPage } from './simple-page';
import { MalformedResponseError, UpstreamError, UpstreamHttpError, XmlRpcFaultError } from './upstream-errors';
import { ChangelogEntry, changelogEntries, parseXmlRpcResponse, xmlRpcRequest, XmlRpcValue } from './xml-rpc';

/** pip's Accept header: JSON preferred, HTML accepted. */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

/** PyPI's cap on rows per `changelog_since_serial` call. */
export const CHANGELOG_PAGE = 50_000;

export interface UpstreamClientOptions extends FetchOptions {
  /** XML-RPC endpoint; default `../pypi` relative to the simple index. null: never use XML-RPC. */
  readonly xmlRpcUrl?: string | null;
}

/** Talks to one upstream index. */
export class UpstreamClient {
  /** The simple index URL, with a trailing slash. */
  readonly simpleUrl: string;
  readonly fetcher: HttpFetcher;
  private readonly xmlRpcUrl: string | null;
  private xmlRpcOffered: boolean | null = null;

  constructor(url: string, options: UpstreamClientOptions = {}) {
    this.simpleUrl = url.endsWith('/') ? url : `${url}/`;
    this.fetcher = new HttpFetcher({ ...options, headers: { 'User-Agent': 'venvfarm-mirror', ...options.headers } });
    this.xmlRpcUrl = options.xmlRpcUrl === undefined ? new URL('../pypi', this.simpleUrl).toString() : options.xmlRpcUrl;
  }

  /** The root index: every project, with `_last-serial` when the index serves JSON. */
  async rootIndex(): Promise<RootIndex> {
    const response = await this.fetcher.fetch(this.simpleUrl, { headers: { Accept: SIMPLE_ACCEPT } });
    if (response.status !== 200) throw new UpstreamHttpError(response.status, this.simpleUrl);
    const text = response.body.toString('utf8');
    return isJson(response) ? parseJsonRootIndex(text, response.url) : parseHtmlRootIndex(text, response.url, headerSerial(response));
  }

  /** A project's page, or null when the index does not have the project (404). */
  async projectPage(name: string): Promise<SimpleProjectPage | null> {
    const project = normalizeName(name);
    const url = new URL(`${encodeURIComponent(project)}/`, this.simpleUrl).toString();
    const response = await this.fetcher.fetch(url, { headers: { Accept: SIMPLE_ACCEPT }, project });
    if (response.status === 404) return null;
    const text = response.body.toString('utf8');
    const page = isJson(response)
      ? parseJsonProjectPage(text, response.url, project)
      : parseHtmlProjectPage(text, response.url, project, headerSerial(response));
    return page.serial === null && headerSerial(response) !== null ? { ...page, serial: headerSerial(response) } : page;
  }

  /**
   * The PEP 658 `.metadata` file of `file`, parsed, its advertised sha256 verified.
   * @throws UpstreamHttpError (404 included: it was advertised), MetadataHashMismatchError, MalformedResponseError.
   */
  async coreMetadata(project: string, file: SimpleFile): Promise<CoreMetadata> {
    const url = new URL(file.url);
    url.pathname += '.metadata';
    const response = await this.fetcher.fetch(url.toString(), { project });
    if (response.status !== 200) throw new UpstreamHttpError(response.status, url.toString(), project);
    return parseCoreMetadata(response.body, url.toString(), project, file.coreMetadataSha256);
  }

  /**
   * A release's Requires-Dist and Requires-Python from the PyPI JSON API
   * (`../pypi/<project>/<version>/json` beside the simple index), for releases whose files
   * carry no PEP 658 metadata (sdist-only releases). Null when the upstream has no such
   * release or no JSON API, or says nothing about its dependencies.
   */
  async releaseJsonMetadata(project: string, version: string): Promise<{ requiresDist: string[]; requiresPython: string | null } | null> {
    const name = normalizeName(project);
    const url = new URL(`../pypi/${encodeURIComponent(name)}/${encodeURIComponent(version)}/json`, this.simpleUrl).toString();
    const response = await this.fetcher.fetch(url, { headers: { Accept: 'application/json' }, project: name });
    if (response.status !== 200) return null;
    let info: { requires_dist?: unknown; requires_python?: unknown } | undefined;
    try {
      info = (JSON.parse(response.body.toString('utf8')) as { info?: typeof info }).info;
    } catch {
      throw new MalformedResponseError('the JSON API answer is not JSON', url, name);
    }
    if (info === undefined || (info.requires_dist !== null && !Array.isArray(info.requires_dist))) return null;
    return {
      requiresDist: ((info.requires_dist as unknown[] | null) ?? []).filter((r): r is string => typeof r === 'string'),
      requiresPython: typeof info.requires_python === 'string' && info.requires_python !== '' ? info.requires_python : null,
    };
  }

  /**
   * Streams a distribution file (a wheel or an sdist), for the artifact store to hash and keep: a
   * wheel may be hundreds of megabytes, so unlike a page it is never held in memory. Getting an
   * answer is retried like every other request (network errors, 429 and 5xx; backoff with full
   * jitter; each attempt bounded by the timeout; counted, observed and reported to `onRetry`).
   * Once the body flows the stream is the caller's: a body that stalls for the timeout or is cut
   * errors the stream, and the caller, who verifies the sha256 anyway, may download again.
   * `signal` (and the client's own) cancels the request, a wait before a retry, and the body.
   * @throws UpstreamHttpError (404 included: the file was advertised), UpstreamNetworkError, or the signal's reason.
   */
  async downloadFile(url: string, options: { readonly signal?: AbortSignal; readonly project?: string | null } = {}): Promise<Readable> {
    return this.fetcher.stream(url, { signal: options.signal, project: options.project ?? null });
  }

  /** Calls an XML-RPC method. @throws XmlRpcFaultError, UpstreamError */
  async xmlRpc(method: string, params: ReadonlyArray<number | string> = []): Promise<XmlRpcValue> {
    if (this.xmlRpcUrl === null) throw new XmlRpcFaultError(null, 'XML-RPC disabled for this upstream', this.simpleUrl);
    const response = await this.fetcher.fetch(this.xmlRpcUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body: xmlRpcRequest(method, params),
    });
    if (response.status !== 200) throw new UpstreamHttpError(response.status, this.xmlRpcUrl);
    return parseXmlRpcResponse(response.body.toString('utf8'), this.xmlRpcUrl);
  }

  /** `changelog_last_serial()`, or null when the index offers no XML-RPC changelog. */
  async changelogLastSerial(): Promise<number | null> {
    if (this.xmlRpcOffered === false || this.xmlRpcUrl === null) return null;
    try {
      const value = await this.xmlRpc('changelog_last_serial');
      if (typeof value !== 'number') throw new XmlRpcFaultError(null, `changelog_last_serial answered ${JSON.stringify(value)}`, this.xmlRpcUrl);
      this.xmlRpcOffered = true;
      return value;
    } catch (error) {
      // No endpoint (404/405/501), a fault (method unknown), or something that is not XML-RPC:
      // this index has no changelog; the root index's serials will do.
      if (error instanceof UpstreamError && !(error instanceof UpstreamHttpError && error.status >= 500)) {
        this.xmlRpcOffered = false;
        return null;
      }
      throw error;
    }
  }

  /**
   * Every changelog row with serial in (since, until], paging past the 50,000-row cap. A full
   * page may cut a serial's rows in two, so the rows of its last serial are asked for again.
   */
  async changelogSinceSerial(since: number, until = Number.MAX_SAFE_INTEGER): Promise<ChangelogEntry[]> {
    const rows: ChangelogEntry[] = [];
    for (let from = since; from < until; ) {
      const page = changelogEntries(await this.xmlRpc('changelog_since_serial', [from]), this.xmlRpcUrl ?? this.simpleUrl);
      if (page.length === 0) break;
      const last = page[page.length - 1].serial;
      const complete = page.length < CHANGELOG_PAGE || page[0].serial === last;
      const kept = complete ? page : page.filter((row) => row.serial < last);
      rows.push(...kept.filter((row) => row.serial <= until));
      if (complete && page.length < CHANGELOG_PAGE) break;
      from = complete ? last : last - 1;
    }
    return rows;
  }
}

function isJson(response: FetchedResponse): boolean {
  const type = response.headers.get('content-type') ?? '';
  if (/json/i.test(type)) return true;
  if (/html/i.test(type)) return false;
  return response.body.subarray(0, 64).toString('utf8').trimStart().startsWith('{');
}

function headerSerial(response: FetchedResponse): number | null {
  const value = response.headers.get('x-pypi-last-serial');
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}
