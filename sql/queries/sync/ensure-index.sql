-- The upstream index a sync writes into, created on first use; $1 = name, $2 = upstream URL.
-- The URL is recorded the first time, so a later sync can tell it is following the same upstream.
INSERT INTO indexes (name, kind, url) VALUES ($1, 'upstream', $2)
ON CONFLICT (name) DO UPDATE SET url = COALESCE(indexes.url, EXCLUDED.url)
RETURNING id, url, serial, kind;
