-- COPY text (see libs/mirror/src/ingest/copy-text.ts) into the staging table.
COPY stage_projects (ord, name, serial) FROM STDIN
