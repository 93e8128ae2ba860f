import "server-only";
import { startAuditCheckpoints } from "@/lib/audit/checkpoint-job";
import { startAuditMaintenance } from "@/lib/audit/maintenance-job";
import { flushAuditChains, startAuditSequencer } from "@/lib/audit/sequencer";
import { getDatabase } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { startMailScrubber, startMailWorker } from "@/lib/mail/deliver";
import { startHousekeeping } from "@/lib/housekeeping";
import { startOAuthCleanup } from "@/lib/oauth/cleanup";
import { getActiveSigningKey } from "@/lib/oauth/keys";
import { checkSecretsFingerprint } from "@/lib/platform/secrets-check";
import { seedDemo } from "@/lib/seed/demo";
import { startWebhookWorker } from "@/lib/webhooks/worker";
import { issueSetupToken } from "@/lib/setup";

/**
 * Start-up, inside the server process (the only process that may open embedded PGlite): validate
 * the environment, apply migrations and the catalogue, check the secrets against the database,
 * seed the demo (never in production), make sure an OAuth signing key exists, print the first-run
 * setup link while no platform admin exists, and start the background jobs. Throws on anything
 * that would make the app answer wrongly; instrumentation.ts then exits the process.
 */
export async function bootstrap(): Promise<void> {
  const env = getEnv();
  const database = getDatabase();
  // At SIGTERM/SIGINT: the shutdown hooks (a last audit checkpoint), then the database.
  const shutdown: (() => Promise<void>)[] = [];
  closeOnSignals(async () => {
    for (const hook of shutdown) await hook().catch((err: unknown) => console.error("[gatehouse] shutdown step failed", err));
    await database.close();
  });
  const where = database.kind === "pglite" ? `embedded PGlite in ${env.DATA_DIR}` : "PostgreSQL (DATABASE_URL)";
  await migrateDatabase(database);
  console.log(`[gatehouse] database ready: ${where}`);
  const secrets = await checkSecretsFingerprint(database.db, env);
  if (secrets === "auth_secret_changed") {
    console.warn("[gatehouse] AUTH_SECRET differs from the one this database last saw: earlier sessions have ended. Every node must use the same AUTH_SECRET.");
  }

  if (env.isProduction && process.env.SEED_DEMO && process.env.SEED_DEMO !== "false") {
    console.warn("[gatehouse] SEED_DEMO is ignored in production: the demo publishes known passwords.");
  }
  if (env.SEED_DEMO && (await seedDemo(database.db))) console.log("[gatehouse] demo tenants seeded");

  // The JWKS is never empty: the first start creates the signing key.
  await getActiveSigningKey(database.db);

  const setupToken = await issueSetupToken(database.db);
  if (setupToken) {
    console.log(
      `\n[gatehouse] No platform admin yet. Create the first one with this one-time link (a restart prints a new one):\n` +
        `  ${env.APP_URL}/setup?token=${setupToken}\n`,
    );
  }

  // Audit events are linked into their chains off the request path: woken by each commit, plus a sweep.
  // At shutdown it stops and links what is left, before the last checkpoint below signs the heads.
  const sequencer = startAuditSequencer(database, { sweepMs: env.AUDIT_CHAIN_SWEEP_MS, batchWaitMs: env.AUDIT_CHAIN_BATCH_WAIT_MS });
  shutdown.push(async () => {
    await sequencer.stop();
    await flushAuditChains(database, { timeoutMs: 3000 });
  });
  // Monthly audit partitions ahead of time, and retention by whole partitions.
  await startAuditMaintenance(database, {
    intervalMinutes: env.AUDIT_MAINTENANCE_INTERVAL_MINUTES,
    platformRetentionDays: env.AUDIT_PLATFORM_RETENTION_DAYS,
  });
  // Unused dynamically registered OAuth clients, expired codes and refresh tokens; key rotation.
  startOAuthCleanup(env.OAUTH_CLEANUP_INTERVAL_MINUTES, env.OAUTH_SIGNING_KEY_MAX_AGE_DAYS, database.db);
  // Expired limiter windows, pending sign-ins, SSO requests, passkey challenges, mail links, sessions.
  startHousekeeping(env.HOUSEKEEPING_INTERVAL_MINUTES, database.db);
  if (env.SMTP_URL) {
    await startMailWorker(database.db, env.SMTP_URL, env.MAIL_FROM);
    console.log("[gatehouse] mail delivery over SMTP started");
  } else {
    startMailScrubber(database.db);
  }
  // Webhook deliveries from the outbox (every node runs one; claims never overlap).
  shutdown.push(startWebhookWorker(database.db, env.WEBHOOK_WORKER_INTERVAL_MS));
  // Signed audit checkpoints: on a schedule, on demand, and a last one at shutdown (before the database closes).
  shutdown.push(startAuditCheckpoints(database));
}

/**
 * Start, or print why not and end the process with a non-zero code (bad or missing configuration,
 * an unreachable database, a broken catalogue), instead of listening and answering every request
 * with a 500.
 */
export async function bootstrapOrExit(): Promise<void> {
  try {
    await bootstrap();
  } catch (err) {
    console.error(`\n[gatehouse] cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

/**
 * On SIGTERM/SIGINT close the database (PGlite flushes and its data-folder lock is released), then
 * exit: a handler of our own replaces Node's default exit, so it must exit itself.
 */
function closeOnSignals(close: () => Promise<void>) {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(signal === "SIGINT" ? 130 : 143), 5000);
    force.unref();
    close()
      .catch(() => {
        // already closed
      })
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
