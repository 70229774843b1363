-- The candidate closure: every release and dependency edge a solver may need for some roots on
-- one target, in one round trip. A conservative superset; the exact PEP 440 / marker checks run
-- in TypeScript afterwards.
--
-- $1 jsonb   roots: [{"name": normalized, "ranges": [hex lo, hex hi, ...] ('' = unbounded), "extras": [..]}]
-- $2 text[]  the target's supported wheel tags
-- $3 int     window: per reach, the newest N candidate releases within its key ranges
-- $4 text[]  the indexes, first first: a name is the project of the first index that has it
--            (a private index before the upstream behind it: ['acme', 'pypi'])
-- $5 text[]  the Requires-Python texts that exclude the target's Python (from requires_python_ranges,
--            evaluated in TypeScript and cached): a text not listed never excludes a file
--
-- A "reach" is (project, key ranges, extras): a root, or a valid requirement of a candidate.
-- Each distinct reach contributes the newest $3 releases inside its ranges that survive the
-- prefilter: a compatible file, i.e. a wheel whose tags meet the target's or an sdist, whose
-- Requires-Python (the file's, else the release's) is not among those excluding the target. The union over a
-- project's reaches contains the newest $3 of the union of its ranges, so the bound never hides
-- a version the window would show. Recursion follows the requirements of every compatible file's
-- metadata; a requirement whose marker only applies under extras nobody requested is not
-- followed (it is still returned: the solver decides).
--
-- The recursive table holds three kinds of rows:
--   reach      (target, ranges, extras)    yields its window: candidate and metadata rows;
--   candidate  (release_id, file_ids)      the release and its compatible files; yields nothing;
--   metadata   (metadata_id, extras)       yields a reach per followed requirement.
-- UNION passes on only rows it has not seen, so each reach's window is computed once, each
-- metadata row (shared by many files and versions) is read once per set of extras, and cycles
-- terminate.
--
-- Output rows, by kind:
--   release      release_id, project, version, key, yanked, yanked_reason, requires_python
--   file         release_id, filename, file_kind, sha256, url, tags, requires_python, yanked, metadata_id
--   metadata     metadata_id, requires_python, provides_extras
--   requirement  metadata_id, position, requirement_id, text, target, extras, specifier, marker, url
--                (an unparsable one too, with a null target: the release is then unusable, as
--                modern pip and uv treat a release with invalid metadata)
--   missing      project (a reached name the mirror does not have: a lazy fetch candidate)
-- A project of negative serial is only listed, its metadata still being fetched (libs/mirror
-- sync/ensure-project.ts): for the resolver it is not mirrored yet.
WITH RECURSIVE
-- The indexes in the order given: a name is the project of the first of them that has it.
layers AS MATERIALIZED (
  SELECT x.id, i.n FROM unnest($4::text[]) WITH ORDINALITY AS i (name, n) JOIN indexes x ON x.name = i.name
),
-- An uncorrelated IN over this becomes one hash table per execution, also in a generic plan
-- (`IS TRUE` keeps the planner from turning it into a join per file).
target_tags AS MATERIALIZED (
  SELECT unnest($2::text[]) AS tag
),
python_excluded AS MATERIALIZED (
  SELECT unnest($5::text[]) AS text
),
roots AS (
  SELECT root.name AS target,
         ARRAY(SELECT decode(x.hex, 'hex') FROM jsonb_array_elements_text(root.ranges) WITH ORDINALITY AS x (hex, n) ORDER BY x.n) AS ranges,
         ARRAY(SELECT DISTINCT lower(regexp_replace(e, '[-_.]+', '-', 'g')) FROM jsonb_array_elements_text(root.extras) AS e ORDER BY 1) AS extras
  FROM jsonb_to_recordset($1::jsonb) AS root (name text, ranges jsonb, extras jsonb)
),
walk (target, ranges, extras, release_id, file_ids, metadata_id) AS (
  SELECT target, ranges, extras, NULL::bigint, NULL::bigint[], NULL::int FROM roots
  UNION
  SELECT step.target, step.ranges, step.extras, step.release_id, step.file_ids, step.metadata_id
  FROM walk w
  CROSS JOIN LATERAL (
    -- A reach yields its window: newest $3 per range (an index range scan each), then newest $3
    -- overall; each as a candidate row plus a row per metadata of its compatible files.
    SELECT NULL::text AS target, NULL::bytea[] AS ranges, out.extras, out.release_id, out.file_ids, out.metadata_id
    FROM projects p
    CROSS JOIN LATERAL (
      SELECT c.id, c.file_ids, c.metadata_ids
      FROM generate_series(1, coalesce(array_length(w.ranges, 1), 0), 2) AS i
      CROSS JOIN LATERAL (
        SELECT r.id, r.key, compatible.file_ids, compatible.metadata_ids
        FROM releases r
        CROSS JOIN LATERAL (
          SELECT array_agg(f.id) AS file_ids,
                 array_agg(DISTINCT f.metadata_id) FILTER (WHERE f.metadata_id IS NOT NULL) AS metadata_ids
          FROM files f
          WHERE f.release_id = r.id
            -- Most wheels have one or two expanded tags: test those as plain expressions, which
            -- is much cheaper than unnesting each file's array.
            AND (f.kind = 'sdist'
                 OR (f.kind = 'wheel'
                     AND (f.tags[1] IN (SELECT tag FROM target_tags)
                          OR f.tags[2] IN (SELECT tag FROM target_tags)
                          OR (cardinality(f.tags) > 2
                              AND EXISTS (SELECT 1 FROM unnest(f.tags[3:]) AS t (tag) WHERE (t.tag IN (SELECT tag FROM target_tags)) IS TRUE)))))
            AND (coalesce(f.requires_python, r.requires_python) IN (SELECT text FROM python_excluded)) IS NOT TRUE
        ) AS compatible
        WHERE r.project_id = p.id
          AND r.key >= w.ranges[i]
          AND r.key < CASE WHEN w.ranges[i + 1] = '' THEN '\xff'::bytea ELSE w.ranges[i + 1] END
          AND compatible.file_ids IS NOT NULL
        ORDER BY r.key DESC
        LIMIT $3
      ) AS c
      ORDER BY c.key DESC
      LIMIT $3
    ) AS candidate
    CROSS JOIN LATERAL (
      SELECT NULL::text[] AS extras, candidate.id AS release_id, candidate.file_ids, NULL::int AS metadata_id
      UNION ALL
      SELECT w.extras, NULL, NULL, mid FROM unnest(candidate.metadata_ids) AS mid
    ) AS out
    WHERE w.target IS NOT NULL
      -- A scalar subquery: an index probe per layer, planned with the query (a function would be planned per call).
      AND p.id = (SELECT lp.id FROM layers l JOIN projects lp ON lp.index_id = l.id AND lp.name = w.target AND lp.serial >= 0 ORDER BY l.n LIMIT 1)
    UNION ALL
    -- A metadata row yields a reach per valid, followed requirement.
    SELECT q.target,
           q.ranges,
           CASE WHEN coalesce(cardinality(q.extras), 0) = 0 THEN '{}'::text[] ELSE ARRAY(SELECT DISTINCT e FROM unnest(q.extras) AS e ORDER BY 1) END,
           NULL::bigint,
           NULL::bigint[],
           NULL::int
    FROM metadata m
    CROSS JOIN LATERAL unnest(m.requirement_ids) AS u (requirement_id)
    JOIN requirements q ON q.id = u.requirement_id
    WHERE w.metadata_id IS NOT NULL
      AND m.id = w.metadata_id
      AND q.invalid IS NULL
      AND q.target IS NOT NULL
      AND q.ranges IS NOT NULL
      AND q.url IS NULL
      -- only_extras (migration 0003): null unless the marker plainly needs one of those extras.
      AND (q.only_extras IS NULL OR q.only_extras && w.extras)
  ) AS step
),
candidates AS MATERIALIZED (
  SELECT DISTINCT release_id AS id, file_ids FROM walk WHERE release_id IS NOT NULL
),
chosen_files AS MATERIALIZED (
  SELECT f.release_id, f.filename, f.kind, f.sha256, f.url, f.tags, f.requires_python, f.yanked, f.yanked_reason, f.metadata_id
  FROM candidates c
  CROSS JOIN LATERAL unnest(c.file_ids) AS u (file_id)
  JOIN files f ON f.id = u.file_id
),
chosen_metadata AS MATERIALIZED (
  SELECT DISTINCT metadata_id AS id FROM walk WHERE metadata_id IS NOT NULL
)
SELECT 'release' AS kind, r.id AS release_id, r.name AS project, r.version, r.key, r.yanked, r.yanked_reason, r.requires_python,
       NULL::text AS filename, NULL::text AS file_kind, NULL::text AS sha256, NULL::text AS url, NULL::text[] AS tags,
       NULL::int AS metadata_id, NULL::text[] AS provides_extras, NULL::int AS position, NULL::int AS requirement_id,
       NULL::text AS text, NULL::text AS target, NULL::text[] AS extras, NULL::text AS specifier, NULL::text AS marker
FROM candidates c
-- OFFSET 0 keeps this a probe per candidate: a generic plan cannot know the closure is small and
-- would otherwise merge-join against every release.
CROSS JOIN LATERAL (SELECT r.*, p.name FROM releases r JOIN projects p ON p.id = r.project_id WHERE r.id = c.id OFFSET 0) AS r
UNION ALL
SELECT 'file', f.release_id, NULL, NULL, NULL, f.yanked, f.yanked_reason, f.requires_python,
       f.filename, f.kind, encode(f.sha256, 'hex'), f.url, f.tags,
       f.metadata_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM chosen_files f
UNION ALL
SELECT 'metadata', NULL, NULL, NULL, NULL, NULL, NULL, m.requires_python,
       NULL, NULL, NULL, NULL, NULL,
       m.id, m.provides_extras, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM chosen_metadata cm
JOIN metadata m ON m.id = cm.id
UNION ALL
SELECT 'requirement', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, q.url, NULL,
       m.id, NULL, u.position::int, q.id, q.text, q.target, q.extras, q.specifier, q.marker
FROM chosen_metadata cm
JOIN metadata m ON m.id = cm.id
CROSS JOIN LATERAL unnest(m.requirement_ids) WITH ORDINALITY AS u (requirement_id, position)
JOIN requirements q ON q.id = u.requirement_id
UNION ALL
SELECT DISTINCT 'missing', NULL::bigint, w.target, NULL, NULL::bytea, NULL::boolean, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL::text[],
       NULL::int, NULL::text[], NULL::int, NULL::int, NULL, NULL, NULL::text[], NULL, NULL
FROM walk w
WHERE w.target IS NOT NULL
  -- A function call per reached name: a probe of the projects index, also in a generic plan.
  AND NOT EXISTS (SELECT 1 FROM layers l JOIN projects lp ON lp.index_id = l.id AND lp.name = w.target AND lp.serial >= 0);
