-- Per-connection staging tables for the ingest writer: COPY fills them, set-based merges move
-- their rows into the mirror. Temporary (no WAL, invisible to other sessions) and emptied at
-- every commit, so a failed batch leaves nothing behind. `ord` keeps the source order, which
-- the merges insert in so that ids follow it. Project and release ids are looked up between
-- the merges (by index scans) and staged with the rows, so no merge joins a big table.
CREATE TEMP TABLE IF NOT EXISTS stage_requirements (
  text text NOT NULL, target text, extras text[], specifier text, ranges bytea[], marker text, url text, invalid text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_metadata (
  digest bytea NOT NULL, requires_python text, provides_extras text[] NOT NULL, requirement_ids int[] NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_projects (
  ord int NOT NULL, name text NOT NULL, serial bigint NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_releases (
  project_id int NOT NULL, ord int NOT NULL, version text NOT NULL, key bytea, invalid boolean NOT NULL,
  yanked boolean NOT NULL, yanked_reason text, requires_python text, upload_time timestamptz, serial bigint NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_files (
  release_id bigint NOT NULL, ord int NOT NULL, filename text NOT NULL, kind text NOT NULL,
  tags text[], sha256 bytea, size bigint, url text, requires_python text, yanked boolean NOT NULL, yanked_reason text,
  metadata_sha256 bytea, synthetic boolean NOT NULL, upload_time timestamptz, metadata_id int
) ON COMMIT DELETE ROWS;
