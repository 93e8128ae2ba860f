-- Tamper evidence. TRUNCATE is refused on every audit table, like UPDATE and DELETE on events:
-- retention drops whole partitions through lib/audit/maintenance.ts, which signs a checkpoint first.
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: TRUNCATE is not allowed', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_guard_truncate(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'audit_no_truncate') THEN
    EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()', tbl);
  END IF;
END;
$$;
--> statement-breakpoint
-- A statement trigger on the parent does not guard `TRUNCATE <one partition>`: each partition gets its own.
SELECT audit_guard_truncate(c.oid) FROM pg_class c
WHERE c.relname IN ('audit_events', 'audit_chain_heads', 'audit_chain_anchors')
   OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit_events'::regclass);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_ensure_partitions(months_back integer, months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  first_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  m date;
  part text;
  created integer := 0;
BEGIN
  FOR i IN -months_back..months_ahead LOOP
    m := (first_month + make_interval(months => i))::date;
    part := 'audit_events_' || to_char(m, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      BEGIN
        EXECUTE format(
          'CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
          part,
          (m::timestamp AT TIME ZONE 'UTC'),
          ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC')
        );
        PERFORM audit_guard_truncate(part::regclass);
        created := created + 1;
      EXCEPTION WHEN check_violation THEN
        -- The default partition already holds rows of that month: they stay there.
        RAISE NOTICE 'audit partition % skipped: default partition has rows in range', part;
      END;
    END IF;
  END LOOP;
  RETURN created;
END;
$$;
--> statement-breakpoint
-- Signed checkpoints of each chain's head (kind 'head') or of where retention cut it ('retention'),
-- one chain of checkpoints per audit chain. `line` is the exact signed JSON line the sinks receive.
CREATE TABLE "audit_checkpoints" (
	"chain_key" text NOT NULL,
	"n" bigint NOT NULL,
	"kind" text NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"id" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"line" text NOT NULL,
	CONSTRAINT "audit_checkpoints_chain_key_n_pk" PRIMARY KEY("chain_key","n"),
	CONSTRAINT "audit_checkpoints_kind_valid" CHECK ("audit_checkpoints"."kind" in ('head', 'retention'))
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
SELECT audit_guard_truncate('audit_checkpoints'::regclass);
--> statement-breakpoint
-- Checkpoints waiting for a sink (directory or HTTP): a row per sink, deleted once delivered.
CREATE TABLE "audit_checkpoint_deliveries" (
	"chain_key" text NOT NULL,
	"n" bigint NOT NULL,
	"sink" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	CONSTRAINT "audit_checkpoint_deliveries_chain_key_n_sink_pk" PRIMARY KEY("chain_key","n","sink"),
	CONSTRAINT "audit_checkpoint_deliveries_checkpoint_fk" FOREIGN KEY ("chain_key","n") REFERENCES "audit_checkpoints"("chain_key","n")
);
--> statement-breakpoint
CREATE INDEX "audit_checkpoint_deliveries_due_idx" ON "audit_checkpoint_deliveries" USING btree ("sink","next_attempt_at");
--> statement-breakpoint
-- Mail written before bodies were sealed: what was delivered, failed or is past every link's lifetime goes.
UPDATE mail_outbox SET text = '', html = NULL WHERE status <> 'pending' OR created_at < now() - interval '7 days';
