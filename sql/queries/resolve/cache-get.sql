-- A cached resolution by key.
SELECT entry FROM resolve_cache WHERE key = $1;
