import { and, count, eq } from "drizzle-orm";
import { auditEvents, mailOutbox, users } from "@/drizzle/schema";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { currentCode, consumeTotp, startEnrollment } from "@/lib/mfa/totp";

/** A confirmed user with a password (and TOTP when `totp`); returns its id and TOTP secret. */
export async function createUser(email: string, password: string, opts: { totp?: boolean; confirmed?: boolean } = {}) {
  const db = getDb();
  const [user] = await db
    .insert(users)
    .values({ email, passwordHash: await hashPassword(password), emailVerifiedAt: opts.confirmed === false ? null : new Date() })
    .returning({ id: users.id });
  let secret: string | null = null;
  if (opts.totp) {
    const enrollment = await db.transaction((tx) => startEnrollment(tx, { id: user!.id, email }));
    await consumeTotp(db, user!.id, currentCode(enrollment.secret, Date.now() - 30_000), { enabling: true });
    secret = enrollment.secret;
  }
  return { id: user!.id, secret };
}

export const ctx = (ip: string | null): RequestContext => ({ ip, userAgent: "vitest", requestId: crypto.randomUUID() });

/** Audit events with `action` about the user with this address. */
export async function eventCount(action: string, email: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetName, email)));
  return row?.n ?? 0;
}

export async function mailCount(to: string, template: string): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(mailOutbox).where(and(eq(mailOutbox.to, to), eq(mailOutbox.template, template)));
  return row?.n ?? 0;
}

/** The status and code of a rejected promise, or "ok". */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    const e = err as { status?: number; code?: string };
    if (e.status === undefined) throw err;
    return `${e.status} ${e.code}`;
  }
}
