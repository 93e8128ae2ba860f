import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { loginFlows, ssoConnections, ssoRequests } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { idpAssertsMfa } from "./claims";
import { provisionFromIdp, SsoRefusal } from "./provision";

// The tail shared by OIDC (sign-in.ts) and SAML (saml-sign-in.ts) once the IdP's answer is validated
// and bound to the browser or admin that started it. Each protocol names its own audit metadata.

type Connection = typeof ssoConnections.$inferSelect;
type Request = typeof ssoRequests.$inferSelect;
type Claims = Record<string, unknown>;

/** The claims a test shows: what the mapping and routing read, nothing else. */
export function shownClaims(claims: Claims, groupsClaim: string) {
  const keys = ["iss", "sub", "email", "email_verified", "name", "amr", "acr", groupsClaim];
  return Object.fromEntries(keys.filter((k) => k in claims).map((k) => [k, claims[k]]));
}

/** A test answered: its claims kept for the admin who started it, the connection marked tested, `sso.connection_tested`. */
export async function recordTestAnswer(
  request: Request,
  connection: Connection,
  claims: Claims,
  context: RequestContext,
  metadata: Record<string, unknown>,
): Promise<void> {
  await getDb().transaction(async (tx) => {
    await tx.update(ssoRequests).set({ result: { ok: true, claims: shownClaims(claims, connection.groupsClaim), mfa: idpAssertsMfa(claims) } }).where(eq(ssoRequests.id, request.id));
    await tx.update(ssoConnections).set({ testedAt: new Date() }).where(and(eq(ssoConnections.orgId, request.orgId), eq(ssoConnections.id, connection.id)));
    await recordAudit(tx, {
      orgId: request.orgId,
      actor: { type: "user", id: request.startedBy },
      action: "sso.connection_tested",
      target: { type: "sso_connection", id: connection.id, name: connection.name },
      context,
      metadata,
    });
  });
}

/**
 * A login answered, in one transaction: JIT provisioning and role rules, the pending sign-in moved past
 * the password (and past MFA when the connection trusts the IdP's MFA and the answer asserts it), and
 * `login.sso_succeeded` with `metadata(mfa)`. A refusal (provisioning's, or the pending sign-in ended)
 * rolls it all back and is returned for the caller to record; other errors are thrown.
 */
export async function completeLoginAnswer(
  request: Request,
  connection: Connection,
  claims: Claims,
  context: RequestContext,
  metadata: (mfaFromIdp: boolean) => Record<string, unknown>,
): Promise<SsoRefusal | null> {
  try {
    await getDb().transaction(async (tx) => {
      const { userId, email } = await provisionFromIdp(tx, connection, claims, context);
      const mfa = connection.idpEnforcesMfa && idpAssertsMfa(claims);
      const [updated] = await tx
        .update(loginFlows)
        .set({ userId, email, passwordVerifiedAt: new Date(), mfaVerifiedAt: mfa ? new Date() : null })
        .where(and(eq(loginFlows.id, request.loginFlowId!), isNull(loginFlows.completedAt), isNull(loginFlows.passwordVerifiedAt)))
        .returning({ id: loginFlows.id });
      if (!updated) throw new SsoRefusal("flow_ended", "The pending sign-in ended before the identity provider answered.");
      await recordAudit(tx, {
        orgId: connection.orgId,
        actor: { type: "user", id: userId, name: email },
        action: "login.sso_succeeded",
        target: { type: "sso_connection", id: connection.id, name: connection.name },
        context,
        metadata: metadata(mfa),
      });
    });
    return null;
  } catch (err) {
    if (err instanceof SsoRefusal) return err;
    throw err;
  }
}
