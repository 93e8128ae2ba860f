import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { normalizeEmail } from "@/lib/users/queries";
import { verifyPassword } from "./password";
import { createSession } from "./sessions";

export type PasswordSignInResult = { ok: true; userId: string; sid: string } | { ok: false };

/**
 * Check an email and password and open a session. Unknown emails and wrong passwords take the same
 * time and give the same answer; both are audited with their reason.
 */
export async function signInWithPassword(
  emailInput: string,
  password: string,
  context: RequestContext,
): Promise<PasswordSignInResult> {
  const email = normalizeEmail(emailInput);
  const db = getDb();
  const [user] = await db
    .select({ id: users.id, name: users.name, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email));
  const valid = await verifyPassword(user?.passwordHash, password);
  return db.transaction(async (tx) => {
    if (!user || !valid || user.disabledAt) {
      const reason = !user ? "unknown_email" : user.disabledAt ? "account_disabled" : "wrong_password";
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "user", id: user?.id ?? null, name: email },
        action: "login.failed",
        outcome: "failure",
        target: { type: "user", id: user?.id ?? null, name: email },
        context,
        metadata: { reason, method: "password" },
      });
      return { ok: false } as const;
    }
    const sid = await createSession(tx, user.id, context);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? email },
      action: "login.succeeded",
      target: { type: "user", id: user.id, name: email },
      context,
      metadata: { method: "password" },
    });
    return { ok: true, userId: user.id, sid } as const;
  });
}
