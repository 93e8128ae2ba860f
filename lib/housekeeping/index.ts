import "server-only";
import { sql } from "drizzle-orm";
import { type Executor, getDb, queryRows } from "@/lib/db";

/**
 * Rows whose purpose has ended, by table: each rule deletes what no code path can read any more,
 * plus a margin (an expired pending sign-in still says "expired, start again" for a day; a used or
 * expired mail link still says so for a week). Every row kind that only grows has a rule here.
 */
const RULES: { table: string; expired: string }[] = [
  // Limiter windows: an ended window counts for nothing (the back-off reads only live rows).
  { table: "rate_limit_buckets", expired: "reset_at < now() - interval '1 hour'" },
  // Pending sign-ins (their SSO requests and passkey challenges go with them, on delete cascade).
  { table: "login_flows", expired: "expires_at < now() - interval '1 day'" },
  { table: "sso_requests", expired: "expires_at < now() - interval '1 day'" },
  { table: "webauthn_challenges", expired: "expires_at < now() - interval '1 hour'" },
  // A SAML assertion id is remembered only while the assertion could still be replayed.
  { table: "sso_saml_assertions", expired: "expires_at < now()" },
  { table: "email_tokens", expired: "expires_at < now() - interval '7 days'" },
  // Sessions: kept 30 days past their end for the account page's and support's history.
  { table: "sessions", expired: "expires_at < now() - interval '30 days'" },
];

/** At most this many rows per statement, so no delete holds its locks for long. */
const BATCH = 5000;

/** Delete every expired row. Safe on any number of nodes at once (each batch deletes what it finds). */
export async function cleanUpExpiredRows(db: Executor = getDb()): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const { table, expired } of RULES) {
    removed[table] = 0;
    for (;;) {
      const [row] = await queryRows<{ n: number | string }>(
        db,
        // SKIP LOCKED: the clean-up never waits on a row a request holds, so it can never be part of a deadlock.
        sql.raw(
          `with gone as (delete from ${table} where ctid in (select ctid from ${table} where ${expired} limit ${BATCH} for update skip locked) returning 1)` +
            ` select count(*) as n from gone`,
        ),
      );
      const n = Number(row?.n ?? 0);
      removed[table] += n;
      if (n < BATCH) break;
    }
  }
  return removed;
}

/** Run the clean-up now and then every `intervalMinutes` (unref'd timer: never keeps the process alive). */
export function startHousekeeping(intervalMinutes: number, db?: Executor): () => void {
  const run = async () => {
    try {
      const removed = await cleanUpExpiredRows(db);
      const total = Object.values(removed).reduce((a, b) => a + b, 0);
      if (total) console.log(`[housekeeping] removed ${total} expired rows`, removed);
    } catch (err) {
      console.error("[housekeeping] clean-up failed", err);
    }
  };
  void run();
  const timer = setInterval(run, intervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
