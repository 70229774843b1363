-- Reverse dependencies: the releases whose metadata requires a project, and (with $4 > 1) the
-- releases that require those, breadth first up to depth $4. One row per (dependent release,
-- requirement); a project appears only at the depth where it is first reached, with the edges
-- that reach it there.
--
-- $1 text     the project (normalized name)
-- $2 text     index name ('pypi')
-- $3 bytea[]  key ranges a direct requirement must admit part of (flattened, '' = unbounded),
--             e.g. those of ==4.2.* for "dependents that allow Django 4.2"; null = any. Deeper
--             levels depend on any version of their intermediate project.
-- $4 int      depth bound (1 = direct dependents only)
-- $5 int      row limit
--
-- Metadata is found through the GIN index on metadata.requirement_ids with one `@>` probe per
-- requirement string (an `&&` with thousands of ids, as django has, is many times slower), files
-- through files_metadata (the OFFSET 0 subqueries fix the join order
-- requirement -> metadata -> files -> releases -> projects: PostgreSQL guesses thousands of
-- rows for an `@>` probe and CTE sizes blindly, and would otherwise scan all files or all
-- releases of the reached projects). Invalid requirements never match. The root is never its own dependent.
-- The answer is driven by the edges found, so a popular project costs what its dependents weigh,
-- not what all their releases weigh.
WITH RECURSIVE
target_index AS MATERIALIZED (
  SELECT id FROM indexes WHERE name = $2
),
walk (name, depth) AS (
  SELECT $1::text, 0
  UNION
  SELECT dependent.name, w.depth + 1
  FROM walk w
  CROSS JOIN LATERAL (
    SELECT DISTINCT e.name
    FROM requirements q
    CROSS JOIN LATERAL (SELECT m.id FROM metadata m WHERE m.requirement_ids @> ARRAY[q.id] OFFSET 0) AS m
    CROSS JOIN LATERAL (
      SELECT p.name
      FROM files f
      JOIN releases r ON r.id = f.release_id
      JOIN projects p ON p.id = r.project_id
      WHERE f.metadata_id = m.id
        AND p.index_id = (SELECT id FROM target_index)
        AND p.name <> $1::text
      OFFSET 0
    ) AS e
    WHERE q.target = w.name
      AND q.invalid IS NULL
      AND (w.depth > 0 OR $3::bytea[] IS NULL OR pep440_ranges_overlap(q.ranges, $3::bytea[]))
  ) AS dependent
  WHERE w.depth < $4
),
reached AS MATERIALIZED (
  SELECT name, min(depth) AS depth FROM walk GROUP BY name
),
-- Looked up per edge by key, whatever the planner believes about the CTE's size.
reached_depths AS MATERIALIZED (
  SELECT jsonb_object_agg(name, depth) AS depths FROM reached
)
SELECT DISTINCT
       d.depth + 1 AS depth,
       e.project,
       e.version,
       e.key,
       e.yanked,
       d.name AS dependency,
       q.text AS requirement,
       q.specifier,
       q.marker
FROM reached d
CROSS JOIN reached_depths rd
CROSS JOIN LATERAL (
  SELECT q.id, q.text, q.specifier, q.marker
  FROM requirements q
  WHERE q.target = d.name
    AND q.invalid IS NULL
    AND (d.depth > 0 OR $3::bytea[] IS NULL OR pep440_ranges_overlap(q.ranges, $3::bytea[]))
  OFFSET 0
) AS q
CROSS JOIN LATERAL (SELECT m.id FROM metadata m WHERE m.requirement_ids @> ARRAY[q.id] OFFSET 0) AS m
CROSS JOIN LATERAL (
  SELECT p.name AS project, r.version, r.key, r.yanked
  FROM files f
  JOIN releases r ON r.id = f.release_id
  JOIN projects p ON p.id = r.project_id
  WHERE f.metadata_id = m.id
    AND p.index_id = (SELECT id FROM target_index)
    AND p.name <> $1::text
  OFFSET 0
) AS e
WHERE d.depth < $4
  -- Each dependent only at the depth where it is first reached.
  AND (rd.depths ->> e.project)::int = d.depth + 1
ORDER BY 1, e.project, e.key DESC NULLS LAST, e.version, q.text
LIMIT $5;
