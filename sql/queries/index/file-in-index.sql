-- Whether index $1 holds a file named $2, in any project or release (uploads are immutable).
SELECT 1
FROM indexes i
JOIN projects p ON p.index_id = i.id AND p.name = $3
JOIN releases r ON r.project_id = p.id
JOIN files f ON f.release_id = r.id AND f.filename = $2
WHERE i.name = $1
LIMIT 1;
