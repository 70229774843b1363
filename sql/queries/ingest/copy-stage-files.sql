-- COPY text (see libs/mirror/src/ingest/copy-text.ts) into the staging table.
COPY stage_files (release_id, ord, filename, kind, tags, sha256, size, url, requires_python, yanked, yanked_reason, metadata_sha256, synthetic, upload_time, metadata_id) FROM STDIN
