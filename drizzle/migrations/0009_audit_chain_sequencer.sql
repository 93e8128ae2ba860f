-- The audit write path takes no lock shared by an org's writers: an event is written with a queue row
-- (audit_unchained) in its own transaction, and a sequencer links queued events into the chain
-- afterwards (audit_chain_links), one runner per chain at a time. The chain data leaves audit_events.
CREATE TABLE "audit_chain_links" (
	"chain_key" text NOT NULL,
	"seq" bigint NOT NULL,
	"event_id" uuid NOT NULL,
	"event_occurred_at" timestamp with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_chain_links_chain_key_seq_pk" PRIMARY KEY("chain_key","seq"),
	CONSTRAINT "audit_chain_links_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "audit_unchained" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"chain_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_unchained_chain_order_idx" ON "audit_unchained" USING btree ("chain_key","occurred_at","event_id");
--> statement-breakpoint
-- Existing chains move over as they are (a forked or tampered chain keeps its breaks: a duplicate
-- sequence number is kept once, so verification still reports it as missing or altered).
INSERT INTO "audit_chain_links" ("chain_key", "seq", "event_id", "event_occurred_at", "prev_hash", "hash", "linked_at")
SELECT coalesce("org_id"::text, 'platform'), "chain_seq", "id", "occurred_at", "prev_hash", "hash", "occurred_at"
FROM "audit_events"
ORDER BY "org_id", "chain_seq"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
DROP INDEX IF EXISTS "audit_events_org_seq_idx";
--> statement-breakpoint
ALTER TABLE "audit_events" DROP COLUMN "chain_seq";
--> statement-breakpoint
ALTER TABLE "audit_events" DROP COLUMN "prev_hash";
--> statement-breakpoint
ALTER TABLE "audit_events" DROP COLUMN "hash";
--> statement-breakpoint
-- Links are append-only like events: no UPDATE, DELETE or TRUNCATE.
CREATE TRIGGER audit_chain_links_append_only
  BEFORE UPDATE OR DELETE ON audit_chain_links
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
SELECT audit_guard_truncate('audit_chain_links'::regclass);
--> statement-breakpoint
-- The queue: rows are inserted with their event and deleted by the sequencer once linked; never
-- updated, never truncated (an event whose queue row is deleted without a link is reported by
-- verification as unlinked).
CREATE OR REPLACE FUNCTION audit_unchained_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_unchained rows are never updated'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_unchained_no_update
  BEFORE UPDATE ON audit_unchained
  FOR EACH ROW EXECUTE FUNCTION audit_unchained_refuse_update();
--> statement-breakpoint
SELECT audit_guard_truncate('audit_unchained'::regclass);
