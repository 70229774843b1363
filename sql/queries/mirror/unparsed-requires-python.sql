-- Distinct Requires-Python texts of files and releases not yet parsed into requires_python_ranges.
SELECT t.text
FROM (
  SELECT requires_python AS text FROM files WHERE requires_python IS NOT NULL
  UNION
  SELECT requires_python FROM releases WHERE requires_python IS NOT NULL
) AS t
WHERE NOT EXISTS (SELECT 1 FROM requires_python_ranges rp WHERE rp.text = t.text);
