/**
 * Load runs with autocannon against servers measured side by side (bench:resolve's HTTP peers,
 * bench:proxy): one client in this process, loopback.
 *
 * The servers are measured in rounds, each target once per round in turn, and each figure is the
 * round with the median throughput: on a shared machine a burst of someone else's load lands in
 * one run of one server, and a single run each let it decide the ratio (0.31 and 0.50 minutes
 * apart, the same build, while venvfarm / bare Fastify stayed 0.61-0.63). Latency percentiles
 * come from every counted answer (autocannon's own are whole milliseconds).
 *
 * A target may ask for its answers to be checked (`expectedBytes`): then only answers that are
 * 200 with exactly that many body bytes count, in req/s, MB/s and latencies; the others are
 * reported as wrong. Checking also changes what the client does with bodies, see
 * {@link countBodies}.
 */
import autocannon from 'autocannon';

/** What one load run requests. */
export interface LoadTarget {
  readonly label: string;
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** A JSON request body, sent with `content-type: application/json`. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Check every answer: status 200 and exactly this many body bytes (see the module comment). */
  readonly expectedBytes?: number;
}

/** One load run. */
export interface LoadFigure {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Checked targets: answers that were not 200 with the expected body size (non-2xx included); else 0. */
  readonly wrong: number;
  /** Checked targets: body bytes per second of the counted answers; else NaN. */
  readonly bodyBytesPerSecond: number;
}

/** How the targets are loaded. */
export interface LoadOptions {
  readonly connections: number;
  /** Seconds of each measured run. */
  readonly seconds: number;
  /** Seconds of load before each measured run, not counted (JIT, connection set-up, caches). */
  readonly warmupSeconds: number;
}

interface Measured {
  readonly result: autocannon.Result;
  /** Latencies of the counted answers, ms, sorted. */
  readonly latencies: Float64Array;
  /** Checked targets: answers counted, and those that were wrong. */
  readonly counted: number;
  readonly wrong: number;
}

/** A pending request in autocannon 8's per-client queue (lib/pipelinedRequestsQueue.js), as far as it is used here. */
interface PendingRequest {
  bodyBytes?: number;
}
interface RequestQueue {
  peek(): PendingRequest | undefined;
  addBody(data: Buffer): void;
  terminateRequest(): PendingRequest | undefined;
}

/**
 * Makes one autocannon client count body bytes instead of keeping bodies, and reports each
 * answer (status, body bytes, ms) to `onAnswer`. autocannon 8 appends every body chunk to a
 * string (`body += chunk`, a UTF-8 decode), which costs the client more than nginx spends on
 * sending it: against nginx on this machine, 2.5 req/s (42 MB/s) for a 17 MB wheel against
 * 68-83 req/s when counting, and 7,000 req/s against 46,000-51,000 for an 11 kB wheel. This
 * reaches into the client's queue of pending requests, which is not public API: it throws if
 * that is not as expected rather than measure something else.
 */
function countBodies(client: autocannon.Client, onAnswer: (status: number, bodyBytes: number, ms: number) => void): void {
  const queue = (client as unknown as { pipelinedRequests?: RequestQueue }).pipelinedRequests;
  if (queue === undefined || typeof queue.addBody !== 'function' || typeof queue.terminateRequest !== 'function' || typeof queue.peek !== 'function') {
    throw new Error('autocannon client without the expected pipelinedRequests queue: bodies cannot be counted (autocannon upgraded?)');
  }
  let lastBodyBytes = 0;
  queue.addBody = (data: Buffer) => {
    const pending = queue.peek();
    if (pending !== undefined) pending.bodyBytes = (pending.bodyBytes ?? 0) + data.length;
  };
  const terminate = queue.terminateRequest.bind(queue);
  queue.terminateRequest = () => {
    const done = terminate();
    lastBodyBytes = done?.bodyBytes ?? 0;
    return done;
  };
  // Emitted by the client right after terminateRequest, for that request.
  client.on('response', (status: number, _bytes: number, ms: number) => onAnswer(status, lastBodyBytes, ms));
}

async function run(target: LoadTarget, connections: number, seconds: number): Promise<Measured> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let wrong = 0;
  const keep = (ms: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  };
  const checked = target.expectedBytes;
  const headers = { ...(target.body === undefined ? {} : { 'content-type': 'application/json' }), ...target.headers };
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: target.url,
        method: target.method ?? 'GET',
        connections,
        duration: seconds,
        ...(target.body === undefined ? {} : { body: target.body }),
        ...(Object.keys(headers).length === 0 ? {} : { headers }),
        ...(checked === undefined
          ? {}
          : {
              setupClient: (client: autocannon.Client) =>
                countBodies(client, (status, bodyBytes, ms) => {
                  if (status === 200 && bodyBytes === checked) keep(ms);
                  else wrong++;
                }),
            }),
      },
      (error, finished) => (error ? fail(error) : done(finished)),
    );
    if (checked === undefined) {
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) keep(ms);
      });
    }
  });
  return { result, latencies: latencies.subarray(0, count).sort(), counted: count, wrong };
}

const percentile = (sorted: Float64Array, p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/** Loads one target: a warm-up run (not counted), then the measured one. */
export async function measure(target: LoadTarget, connections: number, seconds: number, warmupSeconds = 2): Promise<LoadFigure> {
  if (warmupSeconds > 0) await run(target, connections, warmupSeconds);
  const { result, latencies, counted, wrong } = await run(target, connections, seconds);
  const checked = target.expectedBytes !== undefined;
  // Checked: only the answers that passed count, over the run's own duration.
  const requestsPerSecond = checked ? counted / result.duration : result.requests.average;
  return {
    label: target.label,
    requestsPerSecond,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    wrong,
    bodyBytesPerSecond: checked ? requestsPerSecond * target.expectedBytes! : NaN,
  };
}

/**
 * Measures every target once per round, in the order given, `rounds` times (see the module
 * comment); returns each target's runs, round by round.
 */
export async function measureRounds<K extends string>(targets: Readonly<Record<K, LoadTarget>>, rounds: number, options: LoadOptions): Promise<Record<K, LoadFigure[]>> {
  const names = Object.keys(targets) as K[];
  const runs = Object.fromEntries(names.map((name) => [name, [] as LoadFigure[]])) as Record<K, LoadFigure[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) runs[name].push(await measure(targets[name], options.connections, options.seconds, options.warmupSeconds));
  }
  return runs;
}

/** The run with the median req/s (the upper one of an even count). */
export function medianRun(figures: readonly LoadFigure[]): LoadFigure {
  return [...figures].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(figures.length / 2)];
}
