-- Builds (issue 9): one row per requested build of a pinned set for a target. The tarball is
-- content-addressed by the build key in the artifact store; a row says who asked, how it went
-- and where the time went. Several rows may share a key (a second request for a built key is
-- answered from the first, and records nothing new); at most one build of a key is unfinished.
CREATE TABLE builds (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key           text        NOT NULL CHECK (key ~ '^[0-9a-f]{64}$'),
  status        text        NOT NULL CHECK (status IN ('queued', 'building', 'done', 'failed')),
  python        text        NOT NULL,
  platform      text        NOT NULL,
  -- The plan: pins with their files and hashes, as the worker installs them.
  pins          jsonb       NOT NULL,
  requested_by  text        NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  -- Milliseconds per phase: stage, container, install, pack, store.
  timings       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  size_bytes    bigint,
  tarball_sha256 text,
  builder_digest text       NOT NULL,
  executor      text        NOT NULL,
  error         text,
  -- The build log, written when the build ends (the live log streams from the worker).
  log           text
);

CREATE UNIQUE INDEX builds_one_unfinished_per_key ON builds (key) WHERE status IN ('queued', 'building');
CREATE INDEX builds_key ON builds (key, id DESC);
CREATE INDEX builds_status_id ON builds (status, id DESC);
