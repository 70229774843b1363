-- The resolve cache when no Redis is configured (REDIS_URL unset): one row per canonical
-- request. An entry stays valid while the projects it touched keep their serials; the reader
-- checks that, so rows are never invalidated here, only replaced.
CREATE TABLE resolve_cache (
  key         text PRIMARY KEY,                  -- sha256 of the canonical request
  entry       jsonb NOT NULL,                    -- the answer and the touched projects' serials
  created_at  timestamptz NOT NULL DEFAULT now()
);
