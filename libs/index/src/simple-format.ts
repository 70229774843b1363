/**
 * PEP 691 content negotiation, as PyPI does it: the offers are `text/html`, the v1 HTML type and
 * the v1 JSON type, in that order of preference; the client's `Accept` decides by q-value (then
 * specificity), the `latest` aliases mean v1, `?format=` overrides the header, and a request that
 * accepts none of them (or sends no `Accept`) gets `text/html`, which every installer reads.
 */
import Negotiator from 'negotiator';

export const SIMPLE_HTML = 'text/html';
export const SIMPLE_V1_HTML = 'application/vnd.pypi.simple.v1+html';
export const SIMPLE_V1_JSON = 'application/vnd.pypi.simple.v1+json';

/** A media type a simple page is served as. */
export type SimpleMediaType = typeof SIMPLE_HTML | typeof SIMPLE_V1_HTML | typeof SIMPLE_V1_JSON;

const OFFERS: readonly SimpleMediaType[] = [SIMPLE_HTML, SIMPLE_V1_HTML, SIMPLE_V1_JSON];

const FORMATS: Readonly<Record<string, SimpleMediaType>> = {
  json: SIMPLE_V1_JSON,
  html: SIMPLE_V1_HTML,
  [SIMPLE_HTML]: SIMPLE_HTML,
  [SIMPLE_V1_HTML]: SIMPLE_V1_HTML,
  [SIMPLE_V1_JSON]: SIMPLE_V1_JSON,
  'application/vnd.pypi.simple.latest+html': SIMPLE_V1_HTML,
  'application/vnd.pypi.simple.latest+json': SIMPLE_V1_JSON,
};

/** Whether `format` is a value `?format=` accepts. */
export function isSimpleFormat(format: string): boolean {
  return Object.hasOwn(FORMATS, format.trim().toLowerCase());
}

/** The media type to serve for this `Accept` header and `?format=`. */
export function negotiateSimple(accept: string | undefined, format?: string): SimpleMediaType {
  if (format !== undefined) {
    const chosen = FORMATS[format.trim().toLowerCase()];
    if (chosen !== undefined) return chosen;
  }
  if (accept === undefined || accept.trim() === '') return SIMPLE_HTML;
  const aliased = accept.replace(/application\/vnd\.pypi\.simple\.latest\+/gi, 'application/vnd.pypi.simple.v1+');
  const chosen = new Negotiator({ headers: { accept: aliased } }).mediaType(OFFERS as string[]);
  return (chosen as SimpleMediaType | undefined) ?? SIMPLE_HTML;
}

/** The `Content-Type` header of a page served as `type`. */
export function contentTypeOf(type: SimpleMediaType): string {
  return type === SIMPLE_HTML ? 'text/html; charset=utf-8' : type;
}
