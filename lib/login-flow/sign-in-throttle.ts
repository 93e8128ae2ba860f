import "server-only";
import { inArray, sql } from "drizzle-orm";
import { rateLimitBuckets } from "@/drizzle/schema";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import { AppError, RateLimitedError } from "@/lib/errors";
import { type LimitResult, refund, type Reservation } from "@/lib/rate-limit";
import { MAX_BACKOFF_WINDOW_SECONDS, signInLimits } from "./limits";

/** The budgets one password attempt draws on. Keys are by address, so unknown addresses behave alike. */
export function signInKeys(email: string, device: string | null, ip: string | null) {
  const client = ip ?? "unknown";
  return {
    consecutive: `signin:consecutive:${email}`,
    pair: device ? `signin:device:${email}:${device}` : `signin:client:${email}:${client}`,
    account: `signin:account:${email}`,
    ip: `signin:ip:${client}`,
  };
}
export type SignInKeys = ReturnType<typeof signInKeys>;
export type ThrottleScope = "client" | "device" | "account" | "ip" | "hard_stop";

export const accountLocked = () =>
  new AppError(
    423,
    "account_locked",
    "Signing in with a password is locked for this account after too many failed attempts. Reset your password or ask for a sign-in link.",
  );

export interface SignInReservation {
  keys: SignInKeys;
  /** Refused: which budget ran out, and whether this is the first refusal of that lock (audit it once). */
  refused: { scope: ThrottleScope; firstOfLock: boolean; error: AppError } | null;
  /** Consecutive failures including this attempt (counted before the password is checked). */
  consecutive: number;
}

/**
 * The budgets one password attempt reserves before the password is checked, with the scope each one
 * speaks for (the hard stop first): the pair budget (per account and client, or per remembered device),
 * the account and IP budgets for clients without a device cookie, and the consecutive-failure count.
 * Reserved in one atomic statement (the sign-in's admission), so of N concurrent attempts at most the
 * budget get through.
 */
export function signInReservations(email: string, device: string | null, ip: string | null) {
  const limits = signInLimits();
  const keys = signInKeys(email, device, ip);
  const scoped: [ThrottleScope, Reservation][] = [
    ["hard_stop", { key: keys.consecutive, limit: limits.hardStop }],
    [device ? "device" : "client", { key: keys.pair, limit: device ? limits.perDevice : limits.perClient }],
  ];
  if (!device) {
    scoped.push(
      [
        "account",
        {
          key: keys.account,
          limit: limits.perAccount,
          backoff: { fromKey: keys.consecutive, per: limits.perAccount.max, maxWindowSeconds: MAX_BACKOFF_WINDOW_SECONDS },
        },
      ],
      ["ip", { key: keys.ip, limit: limits.perIp }],
    );
  }
  return { keys, scoped, reservations: scoped.map(([, r]) => r) };
}

/** What the reserved counts mean for the attempt (a refused attempt gives its consecutive hit back). */
export async function judgeSignInReservation(
  { keys, scoped }: ReturnType<typeof signInReservations>,
  results: Record<string, LimitResult>,
  db: Executor = getDb(),
): Promise<SignInReservation> {
  const consecutive = results[keys.consecutive]!.hits;
  const over = (r: Reservation): LimitResult | null => (results[r.key]!.allowed ? null : results[r.key]!);
  for (const [scope, r] of scoped) {
    const result = over(r);
    if (!result) continue;
    if (scope !== "hard_stop") await refund(keys.consecutive, db);
    return {
      keys,
      consecutive,
      refused: {
        scope,
        // The hard stop locks with the failure that reaches it (audited there); others on the first refusal.
        firstOfLock: scope !== "hard_stop" && result.hits === r.limit.max + 1,
        error: scope === "hard_stop" ? accountLocked() : new RateLimitedError(result.retryAfterSeconds),
      },
    };
  }
  return { keys, consecutive, refused: null };
}

/**
 * A correct password: the consecutive count starts over and the failure budgets get their hit back,
 * in one statement that locks its rows in key order, as every reservation does (two statements locking
 * the same buckets in different orders could deadlock).
 */
export async function settleSuccessfulSignIn(keys: SignInKeys, device: string | null, db: Executor = getDb()): Promise<void> {
  const budgets = device ? [keys.pair] : [keys.pair, keys.account, keys.ip];
  await preparedRows(
    db,
    "gh_sign_in_settle",
    sql`update rate_limit_buckets b set
        hits = case when b.key = ${keys.consecutive} then 0 else greatest(0, b.hits - 1) end,
        -- The consecutive count's window ends now: the next failure starts a new one at 1.
        reset_at = case when b.key = ${keys.consecutive} then now() else b.reset_at end
      where b.key in (
        select key from rate_limit_buckets
        where key = any(array(select jsonb_array_elements_text(${JSON.stringify([keys.consecutive, ...budgets])}::jsonb)))
          and (key = ${keys.consecutive} or reset_at > now())
        order by key
        for update
      )
      -- No wait for the WAL flush: a settlement lost in a crash leaves the budgets stricter, never looser.
      and (select set_config('synchronous_commit', 'off', true)) = 'off'
      returning b.key`,
  );
}

/** After a reset or a magic link: the hard stop no longer applies (the owner proved the mailbox). */
export async function clearConsecutiveFailures(keyOrEmail: string, db: Executor = getDb()): Promise<void> {
  const key = keyOrEmail.startsWith("signin:") ? keyOrEmail : signInKeys(keyOrEmail, null, null).consecutive;
  await db.delete(rateLimitBuckets).where(inArray(rateLimitBuckets.key, [key]));
}
