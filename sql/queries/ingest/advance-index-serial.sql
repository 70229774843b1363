-- Records that index $1 holds everything up to serial $2 (never moves it back).
UPDATE indexes SET serial = GREATEST(serial, $2) WHERE id = $1;
