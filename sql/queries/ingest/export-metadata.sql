-- Provides-Extra and Requires-Dist (as text, in published order) of some metadata rows ($1).
SELECT m.id, m.provides_extras,
       ARRAY(SELECT q.text
             FROM unnest(m.requirement_ids) WITH ORDINALITY AS u (requirement_id, position)
             JOIN requirements q ON q.id = u.requirement_id
             ORDER BY u.position) AS requires_dist
FROM metadata m
WHERE m.id = ANY ($1::int[]);
