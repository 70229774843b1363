-- The next serial of index $1: each upload changes its project's serial, which is what tells
-- cached resolutions that touched the project to check again.
UPDATE indexes SET serial = serial + 1, last_sync = now() WHERE name = $1 RETURNING id, serial;
