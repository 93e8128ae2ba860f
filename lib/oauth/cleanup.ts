import "server-only";
import { sql } from "drizzle-orm";
import { oauthClients, oauthCodes, oauthRefreshTokens } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { rotateSigningKeysIfDue } from "./keys";

/**
 * Remove dynamically registered clients never used within a day of registering, or unused for 30
 * days, and expired codes and refresh tokens. Returns how many clients went.
 */
export async function cleanUpOAuth(db: Executor = getDb()): Promise<{ clients: number }> {
  const removed = await db
    .delete(oauthClients)
    .where(
      sql`${oauthClients.registration} = 'dynamic' and (
        (${oauthClients.lastUsedAt} is null and ${oauthClients.createdAt} < now() - interval '1 day')
        or ${oauthClients.lastUsedAt} < now() - interval '30 days')`,
    )
    .returning({ id: oauthClients.id });
  await db.delete(oauthCodes).where(sql`${oauthCodes.expiresAt} < now() - interval '1 day'`);
  await db.delete(oauthRefreshTokens).where(sql`${oauthRefreshTokens.expiresAt} < now() - interval '1 day'`);
  return { clients: removed.length };
}

/**
 * Run the clean-up and the signing-key rotation check now and then every `intervalMinutes`
 * (unref'd timer: never keeps the process alive).
 */
export function startOAuthCleanup(intervalMinutes: number, keyMaxAgeDays: number, db?: Executor) {
  const run = async () => {
    try {
      await cleanUpOAuth(db);
      const kid = await rotateSigningKeysIfDue(keyMaxAgeDays, db);
      if (kid) console.log(`[oauth] signing key rotated, new kid ${kid}`);
    } catch (err) {
      console.error("[oauth] clean-up failed", err);
    }
  };
  void run();
  const timer = setInterval(run, intervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
