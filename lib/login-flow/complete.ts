import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { loginFlows } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { createSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { flowByToken, snapshot } from "./flow";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

/**
 * LOGGED_IN → the session. The flow is consumed by an UPDATE that requires `completed_at is null`,
 * so one pending sign-in yields exactly one session. Returns null when the flow is not LOGGED_IN.
 */
export async function completeFlow(token: string, context: RequestContext): Promise<{ userId: string; sid: string; returnTo: string } | null> {
  const flow = await flowByToken(token);
  const snap = await snapshot(flow);
  if (!flow || snap.state !== "LOGGED_IN" || !snap.user) return null;
  const user = snap.user;
  return getDb().transaction(async (tx) => {
    const [done] = await tx
      .update(loginFlows)
      .set({ completedAt: new Date() })
      .where(and(eq(loginFlows.id, flow.id), isNull(loginFlows.completedAt)))
      .returning({ id: loginFlows.id });
    if (!done) return null;
    const sid = await createSession(tx, user.id, context);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "login.succeeded",
      target: { type: "user", id: user.id, name: user.email },
      context,
      metadata: { method: flow.method, mfa: Boolean(flow.mfaVerifiedAt), passkey: Boolean(flow.passkeyVerifiedAt) },
    });
    await emitWebhookEvent(tx, "user.signed_in", `user:${user.id}`, { id: user.id, email: user.email, method: flow.method });
    return { userId: user.id, sid, returnTo: flow.returnTo };
  });
}
