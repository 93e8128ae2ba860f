ALTER TABLE "role_mappings" ADD COLUMN "is_default" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "role_mappings_one_default" ON "role_mappings" USING btree ("is_default") WHERE "role_mappings"."is_default";
