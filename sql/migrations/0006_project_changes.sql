-- A server keeps cached resolutions that it checked against the serials of the projects they
-- touched; instead of reading those serials again on every cache hit, it listens on the channel
-- venvfarm_project_changes and checks again after a notification. Every statement that adds,
-- re-serials or removes projects (rows actually changed) notifies on commit; identical
-- notifications of one transaction are delivered once.
CREATE FUNCTION venvfarm_notify_project_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Separate branches: a TRUNCATE trigger has no transition table to look into.
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('venvfarm_project_changes', '');
  ELSIF EXISTS (SELECT 1 FROM changed) THEN
    PERFORM pg_notify('venvfarm_project_changes', '');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER projects_inserted AFTER INSERT ON projects
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION venvfarm_notify_project_changes();
CREATE TRIGGER projects_updated AFTER UPDATE ON projects
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION venvfarm_notify_project_changes();
CREATE TRIGGER projects_deleted AFTER DELETE ON projects
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION venvfarm_notify_project_changes();
CREATE TRIGGER projects_truncated AFTER TRUNCATE ON projects
  FOR EACH STATEMENT EXECUTE FUNCTION venvfarm_notify_project_changes();
