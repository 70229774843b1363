-- One import or export per index at a time: a session lock, released when the session ends
-- (so a killed importer does not leave it behind).
SELECT pg_try_advisory_lock(hashtext($1)) AS locked;
