-- Whether this session may set session_replication_role (superusers only).
SELECT rolsuper AS allowed FROM pg_roles WHERE rolname = current_user;
