CREATE TABLE "access_refusals" (
	"org_id" uuid NOT NULL,
	"actor_key" text NOT NULL,
	"route" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_refusals_pk" PRIMARY KEY("org_id","actor_key","route","minute")
);
--> statement-breakpoint
ALTER TABLE "access_refusals" ADD CONSTRAINT "access_refusals_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "access_refusals_minute_idx" ON "access_refusals" USING btree ("minute");
