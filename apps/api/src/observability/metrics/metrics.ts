/**
 * The API's Prometheus metrics, on a registry of its own (never prom-client's global one: tests
 * run several apps in one process). Counters and histograms are fed as things happen; gauges of
 * state held elsewhere (the database pool, the queues) are read when `/metrics` is scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolUsage } from '@venvfarm/db';

/** Where the database pool gauges come from (libs/db's Database). */
export interface PoolUsageSource {
  poolUsage(): PoolUsage;
}

/**
 * Where the job gauges come from (libs/queue's Queues): job counts by queue, then by state. Its
 * calls settle within the queue deadline (`VENVFARM_QUEUE_TIMEOUT_MS`), so a scrape while the
 * queue backend is gone answers, without the gauge, instead of hanging.
 */
export interface JobCountsSource {
  counts(): Promise<Readonly<Record<string, Readonly<Record<string, number>>>>>;
}

/** Told when a scrape-time source fails (the gauge is left out of that scrape). */
export type CollectFailure = (what: string, error: unknown) => void;

/**
 * HTTP latency buckets, in seconds: from a cached answer (about a millisecond) to a cold
 * resolution that fetches from the upstream (tens of seconds).
 */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What an upstream answer or failure was, in a few words (a label, so a small fixed set). */
export type UpstreamOutcome = 'ok' | 'not_found' | 'rate_limited' | 'server_error' | 'client_error' | 'timeout' | 'network_error';

/** The outcome of a status (null: no answer, with the fetcher's reason). */
export function upstreamOutcome(status: number | null, error: string | null): UpstreamOutcome {
  if (status === null) return error === 'timeout' ? 'timeout' : 'network_error';
  if (status >= 200 && status < 300) return 'ok';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

/** The metrics of one app, and the registry `/metrics` renders. */
export class Metrics {
  readonly registry = new Registry();

  /** Latency of HTTP requests by method, route template (never the raw URL) and status. */
  readonly httpDuration = new Histogram({
    name: 'venvfarm_http_request_duration_seconds',
    help: 'Time from the request arriving to the response being sent, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly cacheHits = new Counter({
    name: 'venvfarm_resolve_cache_hits_total',
    help: 'Resolve requests answered from the resolve cache',
    registers: [this.registry],
  });

  private readonly cacheMisses = new Counter({
    name: 'venvfarm_resolve_cache_misses_total',
    help: 'Resolve requests that looked in the resolve cache and had to resolve (no-cache requests are not counted)',
    registers: [this.registry],
  });

  /** Files of the package index by where they came from: `store`, or `upstream` (fetched, verified and stored now). */
  readonly indexFiles = new Counter({
    name: 'venvfarm_index_files_served_total',
    help: 'Distribution and metadata files the package index served, by source (store, upstream)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  /** Files whose upstream bytes did not match the hash the index lists: never stored, never served whole. */
  readonly indexHashMismatches = new Counter({
    name: 'venvfarm_index_hash_mismatches_total',
    help: 'Upstream files whose bytes did not match their listed sha256 (not stored; the client got an error)',
    registers: [this.registry],
  });

  /** Upstream attempts by host and outcome (a retried request counts once per attempt). */
  readonly upstreamRequests = new Counter({
    name: 'venvfarm_upstream_requests_total',
    help: 'HTTP requests sent to upstream indexes, each attempt counted, by host and outcome',
    labelNames: ['host', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'venvfarm_upstream_retries_total',
    help: 'Upstream requests retried, by host and the outcome of the attempt that failed',
    labelNames: ['host', 'reason'] as const,
    registers: [this.registry],
  });

  readonly upstreamFailures = new Counter({
    name: 'venvfarm_upstream_failures_total',
    help: 'Upstream requests that failed for good (retries exhausted or an error status), by host and outcome of the last attempt',
    labelNames: ['host', 'reason'] as const,
    registers: [this.registry],
  });

  constructor(sources: { pool?: PoolUsageSource; jobs?: JobCountsSource; onCollectFailure?: CollectFailure } = {}) {
    const failed: CollectFailure = sources.onCollectFailure ?? (() => undefined);
    const { pool, jobs } = sources;
    if (pool !== undefined) {
      const gauge = (name: string, help: string, read: (usage: PoolUsage) => number) =>
        new Gauge({
          name,
          help,
          registers: [this.registry],
          collect() {
            this.set(read(pool.poolUsage()));
          },
        });
      gauge('venvfarm_db_pool_connections', 'Connections the database pool holds open (idle or in use)', (u) => u.total);
      gauge('venvfarm_db_pool_idle_connections', 'Open database connections not in use', (u) => u.idle);
      gauge('venvfarm_db_pool_waiting_clients', 'Callers waiting for a database connection because all are in use', (u) => u.waiting);
    }
    if (jobs !== undefined) {
      new Gauge({
        name: 'venvfarm_queue_jobs',
        help: 'Jobs by queue and state, read from the queue backend when scraped',
        labelNames: ['queue', 'state'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          try {
            for (const [queue, counts] of Object.entries(await jobs.counts())) {
              for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
            }
          } catch (error) {
            failed('queue job counts', error);
          }
        },
      });
    }
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one resolve-cache lookup. */
  resolveCacheLookup(hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc();
  }

  /** The text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
