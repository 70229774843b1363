-- A run started by this process: $1 kind ('import' | 'export'), $2 params (with "index").
INSERT INTO mirror_runs (kind, params)
VALUES ($1, $2::jsonb)
RETURNING id;
