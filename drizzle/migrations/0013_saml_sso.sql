ALTER TABLE "sso_connections" ADD COLUMN "saml_idp_entity_id" text;
--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "saml_sso_url" text;
--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "saml_idp_certs" text;
--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "saml_metadata_url" text;
--> statement-breakpoint
ALTER TABLE "sso_connections" ADD CONSTRAINT "sso_connections_saml_complete" CHECK ("kind" <> 'saml' OR ("saml_idp_entity_id" IS NOT NULL AND "saml_sso_url" IS NOT NULL AND "saml_idp_certs" IS NOT NULL));
--> statement-breakpoint
ALTER TABLE "sso_requests" ADD COLUMN "handoff_hash" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "sso_requests_handoff_key" ON "sso_requests" USING btree ("handoff_hash");
--> statement-breakpoint
CREATE TABLE "sso_saml_assertions" (
	"connection_id" uuid NOT NULL,
	"assertion_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_saml_assertions_pk" PRIMARY KEY("connection_id","assertion_id")
);
--> statement-breakpoint
ALTER TABLE "sso_saml_assertions" ADD CONSTRAINT "sso_saml_assertions_connection_id_sso_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."sso_connections"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "sso_saml_assertions_expires_idx" ON "sso_saml_assertions" USING btree ("expires_at");
