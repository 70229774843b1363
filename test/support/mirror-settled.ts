import { PENDING_SERIAL } from '@venvfarm/mirror';

/** Runs one SQL statement (a pg Pool's or Client's `query`). */
export type RunQuery = (sql: string) => Promise<{ rows: { n: string }[] }>;

/**
 * Waits until no project of the mirror is only listed, its metadata still being fetched in the
 * background (libs/mirror sync/ensure-project.ts); returns the milliseconds waited.
 */
export async function metadataSettled(query: RunQuery, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (Number((await query(`SELECT count(*) AS n FROM projects WHERE serial = ${PENDING_SERIAL}`)).rows[0].n) > 0) {
    if (performance.now() - started > timeoutMs) throw new Error(`projects still pending after ${timeoutMs / 1000} s`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return performance.now() - started;
}
