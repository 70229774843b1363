-- A file the mirror lists under this sha256 and filename, with where it comes from upstream (null
-- for an uploaded file) and the hash of its PEP 658 metadata. The filename must match too, so a
-- URL cannot name one file's bytes under another's name.
SELECT f.filename, f.size, f.url, encode(f.metadata_sha256, 'hex') AS metadata_sha256, p.name AS project
FROM files f
JOIN releases r ON r.id = f.release_id
JOIN projects p ON p.id = r.project_id
WHERE f.sha256 = decode($1, 'hex') AND f.filename = $2
ORDER BY f.url IS NULL, f.id
LIMIT 1;
