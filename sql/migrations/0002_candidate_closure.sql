-- What the candidate-closure and reverse-dependency queries (sql/queries/mirror/) need beyond 0001.
--
-- Requires-Python is specifier text; PostgreSQL cannot evaluate PEP 440, so each distinct text is
-- parsed once in TypeScript (RequiresPythonRepository.refresh) into the same flattened key ranges
-- as requirements.ranges. A text not parsed yet, or unparsable (ranges null), never excludes a
-- file: the SQL prefilter must stay a superset of what the exact TypeScript check admits.
CREATE TABLE requires_python_ranges (
  text    text PRIMARY KEY,
  ranges  bytea[]                                 -- [lo1, hi1, ...], '' = unbounded; null = unparsable
);

-- Whether a sortable version key lies in flattened half-open key ranges [lo1, hi1, lo2, hi2, ...]
-- where '' is unbounded ('' as lo already sorts below every key; as hi it means +infinity).
CREATE FUNCTION pep440_key_in_ranges(key bytea, ranges bytea[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN EXISTS (
  SELECT 1 FROM generate_series(1, coalesce(array_length(ranges, 1), 0), 2) AS i
  WHERE key >= ranges[i] AND (ranges[i + 1] = '' OR key < ranges[i + 1])
);

-- Whether two flattened range lists share at least one key (reverse dependencies "that allow 4.2").
CREATE FUNCTION pep440_ranges_overlap(a bytea[], b bytea[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN EXISTS (
  SELECT 1
  FROM generate_series(1, coalesce(array_length(a, 1), 0), 2) AS i,
       generate_series(1, coalesce(array_length(b, 1), 0), 2) AS j
  WHERE (a[i + 1] = '' OR b[j] < a[i + 1]) AND (b[j + 1] = '' OR a[i] < b[j + 1])
);
