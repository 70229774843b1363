-- Ids of metadata digests ($1: hex digests), for digests a batch references but did not stage.
SELECT id, encode(digest, 'hex') AS digest
FROM metadata
WHERE digest = ANY (SELECT decode(d, 'hex') FROM unnest($1::text[]) AS d);
