CREATE INDEX IF NOT EXISTS "sessions_expires_idx" ON "sessions" USING btree ("expires_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "email_tokens_expires_idx" ON "email_tokens" USING btree ("expires_at");
