-- One project page of an index (PEP 503/691): every file with a known sha256 of every release,
-- in PyPI's order (invalid versions first, then PEP 440 order), a file's own requires-python and
-- yank before its release's. One indexed query: projects (index_id, name), releases
-- (project_id, key), files (release_id, filename).
SELECT p.name, greatest(p.serial, 0) AS serial, r.version, f.filename,
       encode(f.sha256, 'hex') AS sha256, f.size,
       coalesce(f.requires_python, r.requires_python) AS requires_python,
       (f.yanked OR r.yanked) AS yanked,
       coalesce(f.yanked_reason, r.yanked_reason) AS yanked_reason,
       encode(f.metadata_sha256, 'hex') AS metadata_sha256,
       coalesce(f.upload_time, r.upload_time) AS upload_time
FROM indexes i
JOIN projects p ON p.index_id = i.id AND p.name = $2
LEFT JOIN releases r ON r.project_id = p.id
LEFT JOIN files f ON f.release_id = r.id AND f.sha256 IS NOT NULL
WHERE i.name = $1
ORDER BY r.key NULLS FIRST, r.version, f.filename;
