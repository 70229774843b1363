-- Every release of a project with its files, oldest version first (invalid versions first, as
-- PyPI lists them), wheels before sdists.
SELECT r.id AS release_id, r.version, r.invalid, r.yanked, r.yanked_reason, r.requires_python,
       r.upload_time, r.serial,
       f.filename, f.kind, encode(f.sha256, 'hex') AS sha256, f.size, f.url,
       f.requires_python AS file_requires_python, f.yanked AS file_yanked, f.yanked_reason AS file_yanked_reason,
       f.metadata_id
FROM releases r
LEFT JOIN files f ON f.release_id = r.id
WHERE r.project_id = $1
ORDER BY r.key NULLS FIRST, r.version, f.kind DESC, f.filename;
