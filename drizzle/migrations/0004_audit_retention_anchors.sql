CREATE TABLE "audit_chain_anchors" (
	"chain_key" text PRIMARY KEY NOT NULL,
	"first_seq" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
