-- Which requested extras a requirement's marker needs, computed once per requirement so the
-- candidate closure can skip extra-only edges nobody asked for without matching regular
-- expressions per candidate at query time.
--
-- only_extras is null when the requirement may apply without any extra (no marker, no `extra`
-- in it, or an `or` / `extra !=` that this simple reading cannot rule out: always followed), else
-- the normalized names of its `extra == "name"` comparisons: followed when one of them is requested.
CREATE FUNCTION pep508_marker_only_extras(marker text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN marker IS NULL OR marker !~ '\mextra\M' OR marker ~* '\mor\M' OR marker ~ 'extra\s*!=' THEN NULL
  ELSE (
    SELECT array_agg(DISTINCT lower(regexp_replace(x[1], '[-_.]+', '-', 'g')))
    FROM regexp_matches(marker, 'extra\s*==\s*[''"]([^''"]*)[''"]', 'g') AS x
  )
END;

ALTER TABLE requirements ADD COLUMN only_extras text[] GENERATED ALWAYS AS (pep508_marker_only_extras(marker)) STORED;
