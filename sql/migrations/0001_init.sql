-- The metadata mirror: indexes, projects, releases, files, and core metadata stored once.
-- Versions carry the PEP 440 sortable key (libs/pep440 version-key.ts), so specifiers become
-- indexed range predicates; requirement strings are parsed once, at ingest.

CREATE TABLE indexes (
  id          smallserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,               -- 'pypi' (the upstream) or a private index name
  kind        text NOT NULL CHECK (kind IN ('upstream', 'private')),
  url         text,                               -- upstream simple-index URL
  serial      bigint NOT NULL DEFAULT 0,          -- last upstream serial committed
  last_sync   timestamptz
);

CREATE TABLE projects (
  id          serial PRIMARY KEY,
  index_id    smallint NOT NULL REFERENCES indexes (id),
  name        text NOT NULL,                      -- PEP 503 normalized
  serial      bigint NOT NULL DEFAULT 0,          -- the project's last serial upstream
  synced_at   timestamptz,
  UNIQUE (index_id, name)
);

-- One row per distinct (Requires-Python, Requires-Dist, Provides-Extra): shared by every file
-- and release that declares exactly the same metadata.
CREATE TABLE metadata (
  id               serial PRIMARY KEY,
  digest           bytea NOT NULL UNIQUE,         -- sha256 of the canonical JSON of the three fields
  requires_python  text,
  provides_extras  text[] NOT NULL DEFAULT '{}',
  requirement_ids  int[] NOT NULL DEFAULT '{}'    -- requirements.id, in Requires-Dist order
);

-- One row per distinct requirement string, parsed once. Unparsable strings are kept and flagged.
CREATE TABLE requirements (
  id          serial PRIMARY KEY,
  text        text NOT NULL UNIQUE,
  target      text,                               -- normalized project name; null when invalid
  extras      text[],                             -- extras requested of the target
  specifier   text,                               -- normalized specifier set ('' = any)
  ranges      bytea[],                            -- key ranges flattened [lo1, hi1, lo2, hi2, ...]; '' = unbounded
  marker      text,
  url         text,                               -- direct URL reference
  invalid     text                                -- why it does not parse, or null
);

CREATE TABLE releases (
  id               bigserial PRIMARY KEY,
  project_id       int NOT NULL REFERENCES projects (id),
  version          text NOT NULL,                 -- as published
  key              bytea,                         -- PEP 440 sortable key; null for invalid versions
  invalid          boolean NOT NULL DEFAULT false,
  yanked           boolean NOT NULL DEFAULT false,
  yanked_reason    text,
  requires_python  text,
  upload_time      timestamptz,
  serial           bigint NOT NULL DEFAULT 0,
  UNIQUE (project_id, version)
);

CREATE TABLE files (
  id               bigserial PRIMARY KEY,
  release_id       bigint NOT NULL REFERENCES releases (id),
  filename         text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('wheel', 'sdist', 'other')),
  tags             text[],                        -- expanded wheel tags; null for sdists
  sha256           bytea,
  size             bigint,
  url              text,
  requires_python  text,
  yanked           boolean NOT NULL DEFAULT false,
  yanked_reason    text,
  metadata_id      int REFERENCES metadata (id),
  metadata_sha256  bytea,                         -- PEP 658 hash of the .metadata file, when known
  synthetic        boolean NOT NULL DEFAULT false,
  upload_time      timestamptz,
  UNIQUE (release_id, filename)
);

CREATE INDEX releases_project_key ON releases (project_id, key);
CREATE INDEX files_metadata ON files (metadata_id);
CREATE INDEX requirements_target ON requirements (target);
CREATE INDEX metadata_requirement_ids ON metadata USING gin (requirement_ids);

-- Long operations report progress here so the API can show it (GET /v1/mirror/status).
CREATE TABLE mirror_jobs (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL,                      -- 'import' | 'sync' | 'export'
  state       text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  params      jsonb NOT NULL DEFAULT '{}',
  progress    jsonb NOT NULL DEFAULT '{}',
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz,
  finished_at timestamptz
);

INSERT INTO indexes (name, kind) VALUES ('pypi', 'upstream');
