/**
 * The pins of a lock, with their files from the mirror: each locked release's files that install
 * on the target, kept only where the lock allows their sha256, best first (as a resolution lists
 * them). The lock's own URLs are never used: the files come from the configured upstream through
 * the mirror, and a project the mirror lacks is fetched from there (lazily, as for a resolve).
 */
import { Injectable } from '@nestjs/common';
import type { ResolvedPin } from '@venvfarm/builds';
import { UnbuildablePinError } from '@venvfarm/builds';
import { Database } from '@venvfarm/db';
import type { ParsedLock } from '@venvfarm/lockfile';
import { LazyMirror } from '@venvfarm/mirror';
import { parseProjectName, Target } from '@venvfarm/pep508';
import { MirrorProvider, RESOLVE_WINDOW } from '@venvfarm/resolution';

@Injectable()
export class LockedPins {
  constructor(
    private readonly db: Database,
    private readonly lazyMirror: LazyMirror,
  ) {}

  /** @throws UnbuildablePinError naming the first pin the mirror cannot give a locked file of */
  async of(lock: ParsedLock, target: Target): Promise<ResolvedPin[]> {
    const wanted = lock.requirements.filter((r) => r.marker === null || r.marker.evaluate(target.markers));
    const provider = new MirrorProvider(this.db.pool, {
      target,
      window: RESOLVE_WINDOW,
      fetchMissing: async (name) => (await this.lazyMirror.ensure(parseProjectName(name))) === 'fetched',
    });
    const listed = await Promise.all(wanted.map((r) => provider.listCandidates(r.name)));
    const unknown = wanted.find((_, i) => listed[i] === null);
    if (unknown !== undefined) throw new UnbuildablePinError(`${unknown.name}==${unknown.version}`, 'no index has this project');
    const files = await provider.pinnedFiles(wanted.map((r) => ({ name: r.name, version: r.version })));
    return wanted.map((r) => {
      const installable = files.get(`${r.name}\0${r.version}`) ?? [];
      const allowed = new Set(r.sha256);
      const locked = installable.filter((file) => file.sha256 !== null && allowed.has(file.sha256));
      if (locked.length === 0) {
        const reason =
          installable.length === 0
            ? `the index has no file of this release that installs on ${target.name}`
            : `none of the lock's ${r.sha256.length} sha256 hash(es) is a file of this release that installs on ${target.name} (the index has ${installable.map((f) => f.filename).join(', ')})`;
        throw new UnbuildablePinError(`${r.name}==${r.version}`, reason);
      }
      return { name: r.name, version: r.version, files: locked.map((f) => ({ filename: f.filename, url: f.url, sha256: f.sha256 })) };
    });
  }
}
