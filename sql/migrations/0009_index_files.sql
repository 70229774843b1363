-- The package index (issue 10) serves files at /files/{sha256}/{filename}: content-addressed,
-- so one stored copy serves every index and project that lists the same bytes, and the server
-- finds the upstream URL of a file from its own rows, never from the client.
CREATE INDEX files_sha256 ON files (sha256);
