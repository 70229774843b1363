-- Mirror jobs moved to the job queue (libs/queue on BullMQ): sync requests are queue jobs now,
-- with leases, retries and de-duplication the table never had. What stays in the database is
-- the bookkeeping of import and export runs (`venvfarm mirror import|export`): which chunks of a
-- run committed, so an interrupted run resumes, and its outcome. No queue semantics: a run is
-- started by the process that does it, and one run per index and kind holds an advisory lock.

CREATE TABLE mirror_runs (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('import', 'export')),
  state       text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  params      jsonb NOT NULL DEFAULT '{}',      -- includes "index": the index the run writes or reads
  progress    jsonb NOT NULL DEFAULT '{}',      -- committed in the same transaction as the rows it counts
  error       text,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE INDEX mirror_runs_kind_params ON mirror_runs (kind, (params ->> 'index'), state);

-- Import and export runs keep their history, so an interrupted import resumes across the upgrade.
INSERT INTO mirror_runs (kind, state, params, progress, error, started_at, finished_at)
SELECT kind, CASE WHEN state = 'queued' THEN 'failed' ELSE state END, params, progress,
       CASE WHEN state = 'queued' THEN 'never started' ELSE error END,
       COALESCE(started_at, created_at), finished_at
FROM mirror_jobs
WHERE kind IN ('import', 'export')
ORDER BY id;

-- Queued or running sync jobs of the old table are not carried over: they had no lease, so a
-- "running" one may be long dead; ask for the sync again.
DROP TABLE mirror_jobs;
