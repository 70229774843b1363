-- Stores or replaces a cached resolution.
INSERT INTO resolve_cache (key, entry) VALUES ($1, $2::jsonb)
ON CONFLICT (key) DO UPDATE SET entry = excluded.entry, created_at = now();
