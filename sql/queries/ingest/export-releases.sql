-- Releases and files of some projects ($1) in dump order: versions by PEP 440 key, invalid
-- versions first, ties (invalid, or equal under PEP 440 like 1.0 and 1.0.0) in the order they
-- were stored, which is source order; files in stored order.
SELECT r.project_id, r.id AS release_id, r.version, r.invalid, r.yanked, r.yanked_reason, r.serial, r.upload_time,
       f.filename, f.requires_python, f.metadata_id, f.synthetic, encode(f.sha256, 'hex') AS sha256, f.size, f.url,
       f.yanked AS file_yanked, f.yanked_reason AS file_yanked_reason, encode(f.metadata_sha256, 'hex') AS metadata_sha256,
       f.upload_time AS file_upload_time
FROM releases r
LEFT JOIN files f ON f.release_id = r.id
WHERE r.project_id = ANY ($1::int[])
ORDER BY r.project_id, r.key NULLS FIRST, r.id, f.id;
