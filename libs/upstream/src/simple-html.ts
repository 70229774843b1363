/**
 * PEP 503 HTML pages, for indexes that predate PEP 691 (or serve HTML only): one `<a>` per
 * file, the sha256 in the URL fragment, PEP 345 `data-requires-python` (HTML-escaped: `&gt;=3.7`),
 * PEP 592 `data-yanked` (present = yanked, value = reason), and PEP 658/714
 * `data-core-metadata` / `data-dist-info-metadata` (`true` or `sha256=<hex>`).
 *
 * A small tokenizer of anchors rather than a DOM: simple pages are machine-written and flat,
 * and this reads pages of thousands of links without a dependency. The serial comes from
 * PyPI's trailing `<!--SERIAL N-->` comment when the caller has no `X-PyPI-Last-Serial`.
 */
import { MalformedResponseError } from './upstream-errors';
import { normalizeName } from '@venvfarm/pep508';
import { RootIndex, sha256OrNull, SimpleFile, SimpleProjectPage } from './simple-page';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes HTML character references (named basics, decimal and hex). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

interface Anchor {
  readonly attributes: ReadonlyMap<string, string>;
  readonly text: string;
}

const ANCHOR = /<a\s([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const ATTRIBUTE = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function anchorsOf(html: string): Anchor[] {
  const anchors: Anchor[] = [];
  for (const match of html.matchAll(ANCHOR)) {
    const attributes = new Map<string, string>();
    for (const attr of match[1].matchAll(ATTRIBUTE)) {
      attributes.set(attr[1].toLowerCase(), unescapeHtml(attr[2] ?? attr[3] ?? attr[4] ?? ''));
    }
    anchors.push({ attributes, text: unescapeHtml(match[2].replace(/<[^>]*>/g, '')).trim() });
  }
  return anchors;
}

/** `<!--SERIAL N-->` as PyPI writes at the end of a page. */
export function htmlSerial(html: string): number | null {
  const match = /<!--\s*SERIAL\s+(\d+)\s*-->/.exec(html);
  return match ? Number(match[1]) : null;
}

function metadataAttribute(attributes: ReadonlyMap<string, string>): { offered: boolean; sha256: string | null } {
  const value = attributes.get('data-core-metadata') ?? attributes.get('data-dist-info-metadata');
  if (value === undefined || value === 'false') return { offered: false, sha256: null };
  const eq = value.indexOf('=');
  if (eq > 0 && value.slice(0, eq).toLowerCase() === 'sha256') return { offered: true, sha256: sha256OrNull(value.slice(eq + 1)) };
  return { offered: true, sha256: null };
}

/** Parses a PEP 503 project page. @throws MalformedResponseError for anchors without a usable href. */
export function parseHtmlProjectPage(html: string, pageUrl: string, project: string, headerSerial: number | null = null): SimpleProjectPage {
  const files: SimpleFile[] = anchorsOf(html).map((anchor) => {
    const href = anchor.attributes.get('href');
    if (href === undefined || href === '') throw new MalformedResponseError(`link "${anchor.text}" has no href`, pageUrl, project);
    let url: URL;
    try {
      url = new URL(href, pageUrl);
    } catch (error) {
      throw new MalformedResponseError(`link "${anchor.text}" has an invalid href`, pageUrl, project, { cause: error });
    }
    const fragment = new URLSearchParams(url.hash.slice(1));
    url.hash = '';
    const filename = anchor.text || decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
    if (filename === '') throw new MalformedResponseError(`link ${href} names no file`, pageUrl, project);
    const requiresPython = anchor.attributes.get('data-requires-python');
    const yanked = anchor.attributes.get('data-yanked');
    const metadata = metadataAttribute(anchor.attributes);
    return {
      filename,
      url: url.toString(),
      sha256: sha256OrNull(fragment.get('sha256')),
      requiresPython: requiresPython === undefined || requiresPython === '' ? null : requiresPython,
      yanked: yanked === undefined ? false : yanked,
      coreMetadata: metadata.offered,
      coreMetadataSha256: metadata.sha256,
      size: null,
      uploadTime: null,
    };
  });
  return { name: project, serial: headerSerial ?? htmlSerial(html), versions: null, files, format: 'html' };
}

/** Parses a PEP 503 root index (names only: HTML has no per-project serial). */
export function parseHtmlRootIndex(html: string, url: string, headerSerial: number | null = null): RootIndex {
  const seen = new Set<string>();
  for (const anchor of anchorsOf(html)) {
    const name = anchor.text !== '' ? anchor.text : /\/simple\/([^/]+)\/?$/.exec(anchor.attributes.get('href') ?? '')?.[1];
    if (name) seen.add(normalizeName(name));
  }
  if (seen.size === 0 && !/<html|<body|<!doctype/i.test(html)) throw new MalformedResponseError('not an HTML index', url);
  return { serial: headerSerial ?? htmlSerial(html), projects: [...seen].map((name) => ({ name, serial: null })), format: 'html' };
}
