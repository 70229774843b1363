-- COPY text (see libs/mirror/src/ingest/copy-text.ts) into the staging table.
COPY stage_requirements (text, target, extras, specifier, ranges, marker, url, invalid) FROM STDIN
