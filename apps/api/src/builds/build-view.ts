import type { BuildRow } from '@venvfarm/builds';
import type { BuildView } from './dto/builds.dto';

/** The download path of a key's tarball. */
export const envPath = (key: string) => `/v1/envs/${key}.tar.gz`;

/** A row as the API shows it. */
export function buildView(row: BuildRow): BuildView {
  return {
    id: row.id,
    key: row.key,
    status: row.status,
    python: row.python,
    platform: row.platform,
    pins: row.pins.map(({ name, version, filename, sha256 }) => ({ name, version, filename, sha256 })),
    requested_by: row.requestedBy,
    requested_at: row.requestedAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    timings: row.timings,
    size: row.sizeBytes,
    sha256: row.tarballSha256,
    builder_digest: row.builderDigest,
    executor: row.executor,
    error: row.error,
    download: envPath(row.key),
  };
}
