/**
 * Which projects a sync fetches, and the upstream serial the mirror may claim once they are in.
 *
 * - Full: every allowed project of the root index (or of the include list, when one is given).
 * - Incremental from XML-RPC `changelog_since_serial` (PyPI's cheap way, when offered): the
 *   projects named by changelog rows after the committed index serial.
 * - Incremental from the root index's per-project `_last-serial` (bandersnatch 8's way, and
 *   the only one against an index without XML-RPC): projects whose serial upstream is above
 *   the one committed for them, and allowed projects the mirror does not have.
 *
 * Included projects the mirror does not have yet are fetched by either way. Either
 * incremental way also drops projects already committed at or above the serial the
 * upstream gives for them, so a rerun after a kill -9 fetches only what the killed run had not
 * committed. The target serial is read before any page, so pages can only be newer than it.
 */
import type { ReleaseFilter } from './allow-list';
import type { UpstreamClient } from '@venvfarm/upstream';
import { normalizeName } from '@venvfarm/pep508';

/** One project to fetch. */
export interface PlannedProject {
  readonly name: string;
  /** Serial the upstream gives for it (root index, changelog), when known. */
  readonly serialHint: number | null;
  /** Release serials from the changelog. */
  readonly releaseSerials: ReadonlyMap<string, number>;
}

/** What a run will do. */
export interface SyncPlan {
  readonly mode: 'full' | 'incremental';
  readonly changesFrom: 'xml-rpc' | 'root-index' | null;
  /** Serial to commit to the index when every project succeeded; null when unknown. */
  readonly targetSerial: number | null;
  readonly projects: readonly PlannedProject[];
  /** Included names the upstream does not have. */
  readonly missing: readonly string[];
  /** Projects skipped because they were committed at the upstream's serial already. */
  readonly upToDate: number;
}

/** How incremental runs find changes. */
export type ChangeSource = 'auto' | 'xml-rpc' | 'root-index';

export interface PlanInput {
  readonly upstream: UpstreamClient;
  readonly filter: ReleaseFilter;
  readonly incremental: boolean;
  readonly changesFrom: ChangeSource;
  /** The index serial committed by the last successful run (0: never). */
  readonly indexSerial: number;
  /** Committed serial of each project. */
  readonly projectSerials: ReadonlyMap<string, number>;
}

const plain = (name: string, serialHint: number | null): PlannedProject => ({ name, serialHint, releaseSerials: new Map() });

/** Plans a run. @throws UpstreamError when the root index or the changelog cannot be read. */
export async function planSync(input: PlanInput): Promise<SyncPlan> {
  const { upstream, filter, projectSerials } = input;
  const { incremental } = input;

  // The changelog needs a committed serial to start from; without one (never synced, or the
  // last run had failures from the start) the per-project serials of the root index still work.
  if (incremental && input.changesFrom !== 'root-index' && input.indexSerial > 0) {
    const last = await upstream.changelogLastSerial();
    if (last !== null) {
      const changed = new Map<string, { serial: number; releases: Map<string, number> }>();
      for (const row of await upstream.changelogSinceSerial(input.indexSerial, last)) {
        const name = normalizeName(row.name);
        if (!filter.allowsProject(name)) continue;
        let entry = changed.get(name);
        if (entry === undefined) changed.set(name, (entry = { serial: 0, releases: new Map() }));
        entry.serial = Math.max(entry.serial, row.serial);
        if (row.version !== null) entry.releases.set(row.version, Math.max(entry.releases.get(row.version) ?? 0, row.serial));
      }
      const projects: PlannedProject[] = [];
      let upToDate = 0;
      for (const [name, { serial, releases }] of changed) {
        if ((projectSerials.get(name) ?? -1) >= serial) upToDate++;
        else projects.push({ name, serialHint: serial, releaseSerials: releases });
      }
      // A project added to the include list since the last run has no changelog rows to show.
      for (const name of filter.includedNames ?? []) {
        if (!changed.has(name) && !projectSerials.has(name) && filter.allowsProject(name)) projects.push(plain(name, null));
      }
      return { mode: 'incremental', changesFrom: 'xml-rpc', targetSerial: last, projects, missing: [], upToDate };
    }
    if (input.changesFrom === 'xml-rpc') throw new Error(`${upstream.simpleUrl} offers no XML-RPC changelog`);
  }

  const root = await upstream.rootIndex();
  const upstreamSerials = new Map(root.projects.map((p) => [p.name, p.serial]));
  const included = filter.includedNames;
  const names = included ?? root.projects.map((p) => p.name);
  const missing = names.filter((name) => !upstreamSerials.has(name));
  const candidates = names.filter((name) => upstreamSerials.has(name) && filter.allowsProject(name));
  const targetSerial = root.serial ?? (await upstream.changelogLastSerial());

  if (!incremental) {
    return { mode: 'full', changesFrom: null, targetSerial, projects: candidates.map((n) => plain(n, upstreamSerials.get(n) ?? null)), missing, upToDate: 0 };
  }
  const projects: PlannedProject[] = [];
  let upToDate = 0;
  for (const name of candidates) {
    const serial = upstreamSerials.get(name) ?? null;
    const committed = projectSerials.get(name);
    // An HTML root index has no per-project serial: every allowed project is fetched again
    // (metadata already held is not downloaded twice).
    if (serial !== null && committed !== undefined && committed >= serial) upToDate++;
    else projects.push(plain(name, serial));
  }
  return { mode: 'incremental', changesFrom: 'root-index', targetSerial, projects, missing, upToDate };
}
