-- The audit log is append-only (SPEC §3): the database refuses to change or
-- remove an entry. Each database says it in its own words; the PostgreSQL
-- part is written commented out, and the migrator uncomments it there.
-- sqlite only
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
-- postgres only
-- CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
-- BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
-- CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
-- FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
-- CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
-- FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
-- both
