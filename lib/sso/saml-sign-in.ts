import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { orgs, ssoConnections, ssoRequests, ssoSamlAssertions } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { decryptSecret, encryptSecret, sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { clearFlowCookie, currentFlow } from "@/lib/login-flow/flow";
import { enforce } from "@/lib/rate-limit";
import { completeLoginAnswer, recordTestAnswer } from "./idp-answer";
import { MAX_SAML_RESPONSE_CHARS, SAML_CLOCK_SKEW_MS, SamlInvalid, samlInResponseTo, validateSamlResponse } from "./saml";
import { samlSettings } from "./sign-in";

const HANDOFF_TTL_MS = 2 * 60 * 1000;
/** Answers that match no pending request can be posted by anyone: their audit events are bounded per IP. */
export const SAML_UNMATCHED_PER_IP = { max: 100, windowSeconds: 600 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Connection = typeof ssoConnections.$inferSelect;
type Request = typeof ssoRequests.$inferSelect;

async function orgSlug(orgId: string) {
  const [org] = await getDb().select({ slug: orgs.slug }).from(orgs).where(eq(orgs.id, orgId));
  return org?.slug ?? "";
}

/**
 * A refused answer: the pending request (if any) is consumed so it cannot be retried, a test shows the
 * reason to its admin, and `login.sso_failed` / `sso.connection_tested` (failure) says why in the org's log.
 */
async function refuse(
  connection: Connection,
  request: Request | null,
  reason: string,
  message: string,
  context: RequestContext,
  userName?: string,
  stage: "acs" | "finish" = "acs",
): Promise<{ redirect: string; clearFlow: boolean }> {
  if (!request) await enforce(`sso:saml:unmatched:ip:${context.ip ?? "unknown"}`, SAML_UNMATCHED_PER_IP);
  await getDb().transaction(async (tx) => {
    if (request) {
      // At the ACS only a request nobody answered yet is ended (a racing replay must not touch the winner's);
      // at the finish the handoff was already redeemed by this call.
      await tx
        .update(ssoRequests)
        .set({ consumedAt: sql`coalesce(${ssoRequests.consumedAt}, now())`, ...(request.purpose === "test" ? { result: { ok: false, reason, message } } : {}) })
        .where(stage === "acs" ? and(eq(ssoRequests.id, request.id), isNull(ssoRequests.consumedAt)) : eq(ssoRequests.id, request.id));
    }
    await recordAudit(tx, {
      orgId: connection.orgId,
      actor: { type: "user", id: request?.startedBy ?? null, name: userName ?? null },
      action: request?.purpose === "test" ? "sso.connection_tested" : "login.sso_failed",
      outcome: "failure",
      target: { type: "sso_connection", id: connection.id, name: connection.name },
      context,
      metadata: { kind: "saml", reason, message },
    });
  });
  if (request?.purpose === "test") return { redirect: `/orgs/${await orgSlug(connection.orgId)}/sso/test/${request.id}`, clearFlow: false };
  return { redirect: "/login?error=sso_failed", clearFlow: true };
}

/**
 * POST /api/sso/saml/acs/<connection>: the IdP's answer (HTTP-POST binding). It arrives as a cross-site
 * POST, so the browser's SameSite=Lax cookies are not sent: the answer is fully validated here (node-saml:
 * signature, issuer, audience, time; then destination, recipient, InResponseTo bound to a pending request
 * of this connection, and the assertion id recorded once), and the validated claims are handed to
 * `finishSamlAnswer` through a one-time token on a same-site GET, where the browser binding is checked.
 * IdP-initiated answers (no InResponseTo) are refused.
 */
export async function handleSamlAcs(connectionId: string, samlResponse: string | null, context: RequestContext): Promise<{ redirect: string; clearFlow: boolean }> {
  if (!UUID.test(connectionId)) throw new AppError(404, "not_found", "No such connection.");
  const db = getDb();
  const [connection] = await db.select().from(ssoConnections).where(and(eq(ssoConnections.id, connectionId), eq(ssoConnections.kind, "saml")));
  if (!connection) throw new AppError(404, "not_found", "No such connection.");
  if (!samlResponse) throw new AppError(400, "invalid_request", "The identity provider's answer has no SAMLResponse.");
  if (samlResponse.length > MAX_SAML_RESPONSE_CHARS) throw new AppError(400, "invalid_request", "The SAMLResponse is too large.");
  const envelope = samlInResponseTo(samlResponse);
  if (!envelope) return refuse(connection, null, "invalid_response", "The SAMLResponse is not a SAML 2.0 Response.", context);
  if (!envelope.inResponseTo) return refuse(connection, null, "idp_initiated", "IdP-initiated sign-in is off: start at Gatehouse's sign-in page.", context);

  const [request] = await db
    .select()
    .from(ssoRequests)
    .where(
      and(
        eq(ssoRequests.stateHash, sha256(envelope.inResponseTo)),
        eq(ssoRequests.connectionId, connection.id),
        isNull(ssoRequests.consumedAt),
        gt(ssoRequests.expiresAt, new Date()),
      ),
    );
  if (!request) return refuse(connection, null, "unknown_request", "The answer does not match a pending sign-in of this connection (unknown, expired or already used).", context);
  if (request.purpose === "login" && !connection.enabled) return refuse(connection, request, "connection_disabled", "The connection was disabled.", context);

  let answer;
  try {
    answer = await validateSamlResponse(samlSettings(connection), samlResponse, envelope.inResponseTo, connection.groupsClaim);
  } catch (err) {
    if (err instanceof SamlInvalid) return refuse(connection, request, err.reason, err.message, context);
    throw err;
  }

  // The assertion id is accepted once per connection: one atomic insert, whoever loses is a replay.
  // Ids are kept until their subject confirmation's NotOnOrAfter + skew (node-saml refuses the assertion after
  // that anyway); expired ones of any connection are swept on the way.
  const keepUntil = new Date(Math.max(answer.notOnOrAfter.getTime(), Date.now()) + SAML_CLOCK_SKEW_MS);
  await db.delete(ssoSamlAssertions).where(lt(ssoSamlAssertions.expiresAt, new Date()));
  const [fresh] = await db
    .insert(ssoSamlAssertions)
    .values({ connectionId: connection.id, assertionId: answer.assertionId, expiresAt: keepUntil })
    .onConflictDoNothing()
    .returning({ id: ssoSamlAssertions.assertionId });
  if (!fresh) return refuse(connection, request, "replayed_assertion", `The assertion ${answer.assertionId.slice(0, 100)} was already used.`, context);

  const handoff = randomBytes(32).toString("base64url");
  const [consumed] = await db
    .update(ssoRequests)
    .set({ consumedAt: new Date(), handoffHash: sha256(handoff), secretsEnc: encryptSecret(JSON.stringify(answer.claims)) })
    .where(and(eq(ssoRequests.id, request.id), isNull(ssoRequests.consumedAt)))
    .returning({ id: ssoRequests.id });
  if (!consumed) return refuse(connection, null, "unknown_request", "The pending sign-in was already answered.", context);
  return { redirect: `/api/sso/saml/finish?handoff=${handoff}`, clearFlow: false };
}

/**
 * GET /api/sso/saml/finish?handoff=…: the same-site leg. The token is redeemed once (conditional UPDATE),
 * within two minutes; a login must come back to the browser whose pending sign-in started it, a test to
 * the admin who started it. Then the same JIT provisioning, role rules and MFA rule as OIDC.
 */
export async function finishSamlAnswer(handoff: string | null, context: RequestContext, currentUserId: string | null): Promise<{ redirect: string; clearFlow: boolean }> {
  if (!handoff || handoff.length > 100) throw new AppError(400, "invalid_state", "This sign-in answer is unknown, expired or already used. Start again.");
  const db = getDb();
  const [request] = await db
    .update(ssoRequests)
    .set({ handoffHash: null })
    .where(and(eq(ssoRequests.handoffHash, sha256(handoff)), gt(ssoRequests.consumedAt, new Date(Date.now() - HANDOFF_TTL_MS))))
    .returning();
  if (!request) throw new AppError(400, "invalid_state", "This sign-in answer is unknown, expired or already used. Start again.");
  const [connection] = await db.select().from(ssoConnections).where(eq(ssoConnections.id, request.connectionId));
  if (!connection) throw new AppError(400, "invalid_state", "This connection no longer exists.");
  const claims = JSON.parse(decryptSecret(request.secretsEnc)) as Record<string, unknown> & { sub: string; iss: string };
  const email = typeof claims.email === "string" ? claims.email : undefined;

  if (request.purpose === "test") {
    if (currentUserId !== request.startedBy) return refuse(connection, request, "browser_mismatch", "The test answer came back to a different user.", context, undefined, "finish");
    await recordTestAnswer(request, connection, claims, context, { kind: "saml", sub: claims.sub, email: email ?? null });
    return { redirect: `/orgs/${await orgSlug(connection.orgId)}/sso/test/${request.id}`, clearFlow: false };
  }

  const flow = await currentFlow();
  if (flow?.id !== request.loginFlowId) return refuse(connection, request, "browser_mismatch", "The answer came back to a different browser than the one that started the sign-in.", context, email, "finish");
  if (!connection.enabled) return refuse(connection, request, "connection_disabled", "The connection was disabled.", context, email, "finish");
  const refused = await completeLoginAnswer(request, connection, claims, context, (mfaFromIdp) => ({
    kind: "saml",
    sub: claims.sub,
    iss: claims.iss,
    authnContext: claims.acr ?? null,
    mfaFromIdp,
  }));
  if (refused) return refuse(connection, request, refused.reason, refused.message, context, email, "finish");
  return { redirect: "/login", clearFlow: false };
}

/** Apply a handler's verdict to the browser's pending sign-in cookie. */
export async function applyFlowVerdict(result: { clearFlow: boolean }) {
  if (result.clearFlow) await clearFlowCookie();
}
