/**
 * Tells a process when the mirror's projects may have changed, so that a cached resolution
 * checked against the serials of the projects it touched can be trusted until then, instead of
 * reading the serials again on every cache hit (issue 8: that read was most of a hit's cost).
 *
 * A dedicated connection LISTENs on `venvfarm_project_changes`, which every statement that
 * adds, re-serials or removes projects notifies on commit (sql/migrations/0006). Each
 * notification starts a new generation: an answer checked in generation g stays trusted while
 * the generation is g. The connection is checked every second (a query on it, which also
 * delivers every notification committed before it); while it is down, has not answered lately
 * or is reconnecting, {@link ProjectChanges.current} is null and nothing is trusted, and every
 * (re)connection starts a new generation, since notifications may have been missed meanwhile.
 *
 * What this gives up: a hit that arrives between the commit of a change and the delivery of its
 * notification (well under a millisecond on one host) is answered as of just before the change.
 */
import { Client } from 'pg';

/** The channel of sql/migrations/0006_project_changes.sql. */
export const PROJECT_CHANGES_CHANNEL = 'venvfarm_project_changes';

/** The listening connection's application_name (pg_stat_activity shows it). */
export const PROJECT_CHANGES_APPLICATION = 'venvfarm-project-changes';

export interface ProjectChangesOptions {
  /** How often the listening connection is checked; it must answer within twice this. Default 1 s. */
  readonly heartbeatMs?: number;
  /** The connection failed (it is opened again after `retryMs`). Default: nobody is told. */
  readonly onConnectionError?: (error: Error) => void;
  /** Wait before connecting again. Default 1 s. */
  readonly retryMs?: number;
}

export class ProjectChanges {
  private generation = 0;
  private client: Client | null = null;
  /** When the connection last proved alive (LISTEN or a heartbeat answered); 0 while down. */
  private aliveAt = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly heartbeatMs: number;
  private readonly retryMs: number;
  private readonly onConnectionError: (error: Error) => void;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly url: string,
    options: ProjectChangesOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.retryMs = options.retryMs ?? 1000;
    this.onConnectionError = options.onConnectionError ?? (() => undefined);
  }

  /**
   * Starts listening. Resolves once the first attempt has connected or failed: a database that
   * cannot be reached now is tried again in the background, and nothing is trusted meanwhile.
   */
  static async listen(url: string, options: ProjectChangesOptions = {}): Promise<ProjectChanges> {
    const changes = new ProjectChanges(url, options);
    await changes.connect();
    return changes;
  }

  /**
   * The current generation, or null when changes cannot be heard now (trust nothing). Equal
   * values mean no project changed in between.
   */
  current(): number | null {
    if (this.aliveAt === 0 || Date.now() - this.aliveAt > 2 * this.heartbeatMs) return null;
    return this.generation;
  }

  /** Calls `listener` after each new generation (tests wait on it; nothing is timed). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.down();
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }

  private advance(): void {
    this.generation++;
    for (const listener of this.listeners) listener();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: PROJECT_CHANGES_APPLICATION });
    this.client = client;
    client.on('notification', () => this.advance());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection listening for project changes ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${PROJECT_CHANGES_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    // Notifications before LISTEN were not heard: whatever was checked before is checked again.
    this.advance();
    this.aliveAt = Date.now();
    this.heartbeat = setInterval(() => this.beat(client), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private beat(client: Client): void {
    const sent = Date.now();
    if (sent - this.aliveAt > 5 * this.heartbeatMs) {
      // A connection that stopped answering without closing (a half-open socket): start again.
      this.lost(client, new Error(`the connection listening for project changes has not answered for ${sent - this.aliveAt} ms`));
      return;
    }
    client.query('SELECT 1').then(
      () => {
        // Notifications committed before the query came in ahead of its answer.
        if (this.client === client) this.aliveAt = sent;
      },
      (error: Error) => this.lost(client, error),
    );
  }

  private lost(client: Client, error: Error): void {
    if (this.client !== client) return;
    this.down();
    this.advance();
    if (this.closed) return;
    this.onConnectionError(error);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, this.retryMs);
    this.retry.unref();
  }

  /** Stops trusting and closes the connection. */
  private down(): void {
    this.aliveAt = 0;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const client = this.client;
    this.client = null;
    client?.removeAllListeners('notification');
    void client?.end().catch(() => undefined);
  }
}
