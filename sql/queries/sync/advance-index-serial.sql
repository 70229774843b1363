-- Records a finished sync: the serial every project of the run is known to reflect, never going
-- back, and when. $1 = index id, $2 = serial (null: leave it), $3 = upstream URL.
UPDATE indexes
SET serial = GREATEST(serial, COALESCE($2, serial)), last_sync = now(), url = $3
WHERE id = $1
RETURNING serial;
