-- COPY text (see libs/mirror/src/ingest/copy-text.ts) into the staging table.
COPY stage_metadata (digest, requires_python, provides_extras, requirement_ids) FROM STDIN
