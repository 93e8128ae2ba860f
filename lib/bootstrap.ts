import "server-only";
import { startAuditCheckpoints } from "@/lib/audit/checkpoint-job";
import { startAuditMaintenance } from "@/lib/audit/maintenance-job";
import { getDatabase } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { startMailWorker } from "@/lib/mail/deliver";
import { startOAuthCleanup } from "@/lib/oauth/cleanup";
import { seedDemo } from "@/lib/seed/demo";

/**
 * Start-up, inside the server process (the only process that may open embedded PGlite): validate
 * the environment, apply migrations, seed the demo on an empty database, start the mail worker.
 */
export async function bootstrap(): Promise<void> {
  const env = getEnv();
  const database = getDatabase();
  const where = database.kind === "pglite" ? `embedded PGlite in ${env.DATA_DIR}` : "PostgreSQL (DATABASE_URL)";
  await migrateDatabase(database);
  console.log(`[gatehouse] database ready: ${where}`);
  if (env.SEED_DEMO && (await seedDemo(database.db))) console.log("[gatehouse] demo tenants seeded");
  // Monthly audit partitions ahead of time, and retention by whole partitions.
  await startAuditMaintenance(database, {
    intervalMinutes: env.AUDIT_MAINTENANCE_INTERVAL_MINUTES,
    platformRetentionDays: env.AUDIT_PLATFORM_RETENTION_DAYS,
  });
  // Unused dynamically registered OAuth clients, expired codes and refresh tokens; key rotation.
  startOAuthCleanup(env.OAUTH_CLEANUP_INTERVAL_MINUTES, env.OAUTH_SIGNING_KEY_MAX_AGE_DAYS, database.db);
  if (env.SMTP_URL) {
    await startMailWorker(database.db, env.SMTP_URL, env.MAIL_FROM);
    console.log("[gatehouse] mail delivery over SMTP started");
  }
  // Signed audit checkpoints: on a schedule, on demand, and a last one at shutdown (before the database closes).
  const stopCheckpoints = startAuditCheckpoints(database);
  const close = async () => {
    try {
      await stopCheckpoints();
      await database.close();
    } catch {
      // already closed
    }
  };
  process.once("SIGTERM", close);
  process.once("SIGINT", close);
}
