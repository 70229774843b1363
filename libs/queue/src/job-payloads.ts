/**
 * What a job of each queue carries. Payloads are stored as JSON by the queue backend and read
 * back by a worker that may run another version of the code, so they hold plain data only.
 */
import type { QueueName } from './queue-names';

/** A mirror sync as the API accepted it: the upstream is the one the operator configured. */
export interface MirrorSyncPayload {
  readonly upstream: string;
  /** Only projects changed upstream since the last sync (PyPI's changelog serials). */
  readonly incremental: boolean;
  /** Allow-list lines (PEP 508 requirements); absent = every project. */
  readonly include?: readonly string[];
  /** Deny-list lines (PEP 508 requirements). */
  readonly exclude?: readonly string[];
}

/** The payload type of every queue. */
/** A build: its row in `builds` holds the plan; the key is the tarball's name. */
export interface BuildPayload {
  readonly key: string;
  readonly buildId: number;
}

export interface JobPayloads {
  'mirror-sync': MirrorSyncPayload;
  builds: BuildPayload;
}

/** The payload of queue `Q`. */
export type JobPayload<Q extends QueueName> = JobPayloads[Q];

/**
 * Progress counters a running job reports and the summary it ends with; shown as `progress` by
 * `GET /v1/mirror/jobs/{id}`.
 */
export type JobProgress = Readonly<Record<string, unknown>>;
