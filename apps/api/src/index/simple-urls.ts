/**
 * The simple API's URLs end in a slash (`/simple/`, `/simple/six/`), as PEP 503 asks, and NestJS
 * registers every route without one. Fastify's `ignoreTrailingSlash` would fix that for every
 * route of the API (`/v1/builds/` would list builds); this rewrites only the simple API's URLs to
 * their route, before routing (and the upload URL `/{index}/` of twine's POST). The handlers read `request.originalUrl` to redirect a URL that
 * lacks the slash, as PyPI does.
 */
import type { IncomingMessage } from 'node:http';

/** The route of uploads, as Fastify names it. */
export const UPLOAD_ROUTE = '/:index';

/** `/simple/`, `/simple/{project}/`, `/{index}/simple/`, `/{index}/simple/{project}/`. */
const SIMPLE_WITH_SLASH = /^((?:\/[^/?]+)?\/simple(?:\/[^/?]+)?)\/(\?.*)?$/;
/** `POST /{index}/`: where twine uploads (its repository URL). */
const UPLOAD_WITH_SLASH = /^(\/[^/?]+)\/(\?.*)?$/;

/** The URL Fastify routes: a simple API or upload URL without its trailing slash; any other as it is. */
export function routeOfSimpleUrl(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const match = (request.method === 'POST' ? UPLOAD_WITH_SLASH : SIMPLE_WITH_SLASH).exec(url);
  return match === null ? url : `${match[1]}${match[2] ?? ''}`;
}

/** Whether the URL the client sent ends its path with a slash. */
export function hasTrailingSlash(originalUrl: string): boolean {
  const query = originalUrl.indexOf('?');
  return (query === -1 ? originalUrl : originalUrl.slice(0, query)).endsWith('/');
}
