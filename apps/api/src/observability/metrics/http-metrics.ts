/**
 * Times every HTTP request into {@link Metrics.httpDuration}, labelled by the route template the
 * request matched (`/v1/mirror/jobs/:id`, never `/v1/mirror/jobs/42`: one series per route, not
 * per URL) or `unmatched`, from a Fastify `onResponse` hook: Fastify routes before it parses a
 * body or runs Nest's middleware, so requests refused early (bad JSON, too large, no token) are
 * timed under their route too.
 */
import type { Metrics } from './metrics';

/** The route label of a request no route matched (404s). */
const UNMATCHED_ROUTE = 'unmatched';

/** The parts of a Fastify instance the hook needs (the adapter's types stay out of this file). */
export interface FastifyHooks {
  addHook(
    name: 'onResponse',
    hook: (request: { method: string; routeOptions?: { url?: string } }, reply: { statusCode: number; elapsedTime: number }, done: () => void) => void,
  ): unknown;
}

/** Adds the hook; `elapsedTime` is Fastify's own timing, from the request's arrival. */
export function fastifyHttpMetrics(metrics: Metrics, fastify: FastifyHooks): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? UNMATCHED_ROUTE;
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
