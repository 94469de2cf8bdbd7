-- The disclosure log is append-only: no UPDATE, DELETE or TRUNCATE on its tables,
-- whoever asks. A database superuser can still disable these triggers: witnesses and
-- the checkpoints that clients and auditors save are what detect that (docs/audit-log.md).
CREATE OR REPLACE FUNCTION vigie_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the disclosure log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER log_leaves_append_only BEFORE UPDATE OR DELETE ON log_leaves FOR EACH ROW EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves FOR EACH STATEMENT EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_nodes_append_only BEFORE UPDATE OR DELETE ON log_nodes FOR EACH ROW EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_nodes_no_truncate BEFORE TRUNCATE ON log_nodes FOR EACH STATEMENT EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints FOR EACH ROW EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_cosignatures_append_only BEFORE UPDATE OR DELETE ON log_cosignatures FOR EACH ROW EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_cosignatures_no_truncate BEFORE TRUNCATE ON log_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
-- Least privilege: the role the hub should log in with (a member of vigie_hub) may only
-- INSERT and SELECT the log tables; the queue of pending leaves is also emptied by it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    CREATE ROLE vigie_hub NOLOGIN;
  END IF;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'vigie_hub role not created: %', SQLERRM;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT ON log_leaves, log_nodes, log_checkpoints, log_cosignatures TO vigie_hub';
    EXECUTE 'GRANT SELECT, INSERT, DELETE ON log_queue TO vigie_hub';
    EXECUTE 'GRANT USAGE ON SEQUENCE log_queue_id_seq TO vigie_hub';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vigie_hub';
    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON log_leaves, log_nodes, log_checkpoints, log_cosignatures FROM vigie_hub';
    EXECUTE 'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vigie_hub';
  END IF;
END
$$;
