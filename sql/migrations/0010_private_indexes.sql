-- Private indexes (issue 10): named indexes that take uploads, optionally layered in front of
-- another index (`private -> pypi`). A name means the project of the first index in the layering
-- that has it, so a private project is never taken from the upstream behind it (the
-- dependency-confusion rule, like uv's first-index strategy).
ALTER TABLE indexes ADD COLUMN upstream_id smallint REFERENCES indexes (id);
ALTER TABLE indexes ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

-- Upload tokens, one index each: only their sha256 is kept, so the table leaks no credential.
CREATE TABLE index_tokens (
  id          serial PRIMARY KEY,
  index_id    smallint NOT NULL REFERENCES indexes (id),
  digest      bytea NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
