-- The parsed Requires-Dist of some metadata rows, in published order.
SELECT m.id AS metadata_id, m.provides_extras, q.text, q.target, q.specifier, q.marker, q.url, q.invalid
FROM metadata m
CROSS JOIN LATERAL unnest(m.requirement_ids) WITH ORDINALITY AS u (requirement_id, position)
JOIN requirements q ON q.id = u.requirement_id
WHERE m.id = ANY ($1::int[])
ORDER BY m.id, u.position;
