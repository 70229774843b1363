-- COPY text (see libs/mirror/src/ingest/copy-text.ts) into the staging table.
COPY stage_releases (project_id, ord, version, key, invalid, yanked, yanked_reason, requires_python, upload_time, serial) FROM STDIN
