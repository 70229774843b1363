-- The queue job of a build (issue 9): a build whose job failed for good without its processor
-- recording it (its workers were lost more often than the stall limit allows) is found by the job
-- it names and marked failed, so that its key is not held by a row nobody will finish.
ALTER TABLE builds ADD COLUMN job_id text;
