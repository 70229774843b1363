-- Stores parsed Requires-Python texts: $1 text[], $2 jsonb (per text, its flattened key ranges in
-- hex with '' = unbounded, or null when the text does not parse). Concurrent refreshes may race.
INSERT INTO requires_python_ranges (text, ranges)
SELECT t.text,
       CASE WHEN jsonb_typeof(r.value) = 'array'
            THEN ARRAY(SELECT decode(x.hex, 'hex') FROM jsonb_array_elements_text(r.value) WITH ORDINALITY AS x (hex, n) ORDER BY x.n)
       END
FROM unnest($1::text[]) WITH ORDINALITY AS t (text, n)
JOIN jsonb_array_elements($2::jsonb) WITH ORDINALITY AS r (value, n) ON r.n = t.n
ON CONFLICT (text) DO NOTHING;
