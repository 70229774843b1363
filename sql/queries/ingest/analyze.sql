-- Fresh planner statistics after a bulk load (autovacuum would get there, but later).
ANALYZE projects, releases, files, metadata, requirements;
