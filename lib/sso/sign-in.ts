import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { loginFlows, orgs, ssoConnections, ssoRequests } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { decryptSecret, encryptSecret, sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { clearFlowCookie, createFlow, currentFlow, requireFlowState } from "@/lib/login-flow/flow";
import { enforce } from "@/lib/rate-limit";
import { normalizeEmail } from "@/lib/users/queries";
import { completeLoginAnswer, recordTestAnswer } from "./idp-answer";
import { authorizationUrl, newRequestSecrets, type OidcRequestSecrets, oidcRedirectUri, redeemCode } from "./oidc";
import { routeEmail } from "./routing";
import { samlLoginUrl } from "./saml";

const REQUEST_TTL_MS = 10 * 60 * 1000;
const SSO_STARTS_PER_ADDRESS = { max: 20, windowSeconds: 600 };
const SSO_STARTS_PER_IP = { max: 1000, windowSeconds: 600 };

/**
 * LOGIN_REQUIRED → SSO_REDIRECT: home-realm discovery for the address typed at /login. An address on
 * a verified domain with an enabled connection starts a pending sign-in routed to that IdP.
 */
export async function startSsoSignIn(input: { email: string; returnTo?: string }, context: RequestContext): Promise<{ connection: string }> {
  const email = normalizeEmail(input.email);
  // Each start writes a pending sign-in and an event: bounded per address, and loosely per IP (offices share one).
  await enforce(`sso:start:${email}`, SSO_STARTS_PER_ADDRESS);
  await enforce(`sso:start:ip:${context.ip ?? "unknown"}`, SSO_STARTS_PER_IP);
  const route = await routeEmail(email, "sso");
  if (route.decision !== "IDP" || !route.connectionId || !route.orgId) {
    throw new AppError(404, "no_sso", "Single sign-on is not set up for that address. Sign in with your password or a sign-in link.");
  }
  await getDb().transaction(async (tx) => {
    const flow = await createFlow(tx, { userId: null, email, method: "sso", returnTo: input.returnTo, authenticated: false, context });
    await tx.update(loginFlows).set({ ssoConnectionId: route.connectionId }).where(eq(loginFlows.id, flow.id));
    await recordAudit(tx, {
      orgId: route.orgId,
      actor: { type: "user", id: null, name: email },
      action: "login.sso_routed",
      target: { type: "sso_connection", id: route.connectionId, name: route.connectionName },
      context,
    });
  });
  return { connection: route.connectionName ?? "" };
}

async function enabledConnection(id: string) {
  const [c] = await getDb().select().from(ssoConnections).where(eq(ssoConnections.id, id));
  return c ?? null;
}

type RequestValues = { connectionId: string; orgId: string; purpose: "login" | "test"; loginFlowId?: string; startedBy?: string };

/** SAML: an AuthnRequest whose id (hashed) the answer's InResponseTo must name; nothing secret to keep yet. */
async function samlRedirect(connection: typeof ssoConnections.$inferSelect, values: RequestValues): Promise<URL> {
  const { url, requestId } = await samlLoginUrl(samlSettings(connection));
  await getDb()
    .insert(ssoRequests)
    .values({ ...values, stateHash: sha256(requestId), secretsEnc: encryptSecret("{}"), expiresAt: new Date(Date.now() + REQUEST_TTL_MS) });
  return url;
}

export function samlSettings(c: typeof ssoConnections.$inferSelect) {
  return { id: c.id, samlIdpEntityId: c.samlIdpEntityId!, samlSsoUrl: c.samlSsoUrl!, samlIdpCerts: c.samlIdpCerts! };
}

async function saveRequest(values: RequestValues, secrets: OidcRequestSecrets) {
  await getDb()
    .insert(ssoRequests)
    .values({
      ...values,
      stateHash: sha256(secrets.state),
      secretsEnc: encryptSecret(JSON.stringify({ nonce: secrets.nonce, codeVerifier: secrets.codeVerifier })),
      expiresAt: new Date(Date.now() + REQUEST_TTL_MS),
    });
}

/** SSO_REDIRECT → the IdP: the authorization URL for this browser's pending sign-in. */
export async function idpRedirectForFlow(): Promise<URL> {
  const snap = await requireFlowState("SSO_REDIRECT");
  const connection = snap.flow.ssoConnectionId ? await enabledConnection(snap.flow.ssoConnectionId) : null;
  if (!connection?.enabled) throw new AppError(409, "connection_unavailable", "Your organization's single sign-on is not available right now. Start again.");
  if (connection.kind === "saml") return samlRedirect(connection, { connectionId: connection.id, orgId: connection.orgId, purpose: "login", loginFlowId: snap.flow.id });
  const secrets = newRequestSecrets();
  const url = await authorizationUrl(oidcSettings(connection), connection.scopes, secrets);
  await saveRequest({ connectionId: connection.id, orgId: connection.orgId, purpose: "login", loginFlowId: snap.flow.id }, secrets);
  return url;
}

/** "Test connection": an authorization URL whose answer shows the claims to the admin who started it. */
export async function idpRedirectForTest(orgId: string, userId: string, connectionId: string): Promise<URL> {
  const connection = await enabledConnection(connectionId);
  if (!connection || connection.orgId !== orgId) throw notFound("No such connection.");
  if (connection.kind === "saml") return samlRedirect(connection, { connectionId, orgId, purpose: "test", startedBy: userId });
  const secrets = newRequestSecrets();
  const url = await authorizationUrl(oidcSettings(connection), connection.scopes, secrets);
  await saveRequest({ connectionId, orgId, purpose: "test", startedBy: userId }, secrets);
  return url;
}

function oidcSettings(c: typeof ssoConnections.$inferSelect) {
  return { id: c.id, issuer: c.issuer!, clientId: c.clientId!, clientSecretEnc: c.clientSecretEnc!, updatedAt: c.updatedAt };
}

/**
 * GET /api/sso/oidc/callback: redeem the IdP's answer. The request (found by the hash of `state`) is
 * consumed once, atomically; a login must come back to the browser whose pending sign-in started it,
 * a test to the admin who started it. Every outcome is audited in the connection's org.
 */
export async function handleOidcCallback(
  params: URLSearchParams,
  context: RequestContext,
  currentUserId: string | null,
): Promise<{ redirect: string }> {
  const state = params.get("state");
  if (!state) throw new AppError(400, "invalid_request", "The identity provider's answer has no state.");
  const db = getDb();
  const [request] = await db
    .update(ssoRequests)
    .set({ consumedAt: new Date() })
    .where(and(eq(ssoRequests.stateHash, sha256(state)), isNull(ssoRequests.consumedAt), gt(ssoRequests.expiresAt, new Date())))
    .returning();
  if (!request) throw new AppError(400, "invalid_state", "This sign-in answer is unknown, expired or already used. Start again.");
  const [connection] = await db.select().from(ssoConnections).where(eq(ssoConnections.id, request.connectionId));
  const [org] = await db.select({ slug: orgs.slug }).from(orgs).where(eq(orgs.id, request.orgId));
  if (!connection || !org) throw new AppError(400, "invalid_state", "This connection no longer exists.");
  const { nonce, codeVerifier } = JSON.parse(decryptSecret(request.secretsEnc)) as { nonce: string; codeVerifier: string };
  const failTo = request.purpose === "test" ? `/orgs/${org.slug}/sso/test/${request.id}` : "/login?error=sso_failed";

  const fail = async (reason: string, message: string, userName?: string) => {
    await db.transaction(async (tx) => {
      if (request.purpose === "test") await tx.update(ssoRequests).set({ result: { ok: false, reason, message } }).where(eq(ssoRequests.id, request.id));
      await recordAudit(tx, {
        orgId: request.orgId,
        actor: { type: "user", id: request.startedBy, name: userName ?? null },
        action: request.purpose === "test" ? "sso.connection_tested" : "login.sso_failed",
        outcome: "failure",
        target: { type: "sso_connection", id: connection.id, name: connection.name },
        context,
        metadata: { reason, message },
      });
    });
    // The pending sign-in of this browser ends: back at LOGIN_REQUIRED with the message, not a redirect loop.
    if (request.purpose === "login") await clearFlowCookie();
    return { redirect: failTo };
  };

  // The answer must return to whoever started the request.
  const flow = request.purpose === "login" ? await currentFlow() : null;
  if (request.purpose === "login" && flow?.id !== request.loginFlowId) return fail("browser_mismatch", "The answer came back to a different browser than the one that started the sign-in.");
  if (request.purpose === "test" && currentUserId !== request.startedBy) return fail("browser_mismatch", "The test answer came back to a different user.");
  if (request.purpose === "login" && !connection.enabled) return fail("connection_disabled", "The connection was disabled.");

  let claims: Record<string, unknown>;
  try {
    const callbackUrl = new URL(oidcRedirectUri());
    for (const [k, v] of params) callbackUrl.searchParams.append(k, v);
    claims = await redeemCode(oidcSettings(connection), callbackUrl, { state, nonce, codeVerifier });
  } catch (err) {
    const e = err as { error?: string; error_description?: string; code?: string; message?: string };
    const reason = e.error ?? e.code ?? "invalid_response";
    return fail(reason, (e.error_description ?? e.message ?? "The identity provider's answer was refused.").slice(0, 300));
  }

  if (request.purpose === "test") {
    await recordTestAnswer(request, connection, claims, context, { sub: claims.sub, email: claims.email ?? null });
    return { redirect: `/orgs/${org.slug}/sso/test/${request.id}` };
  }

  const refused = await completeLoginAnswer(request, connection, claims, context, (mfaFromIdp) => ({
    sub: claims.sub,
    iss: claims.iss,
    amr: claims.amr ?? null,
    acr: claims.acr ?? null,
    mfaFromIdp,
  }));
  if (refused) return fail(refused.reason, refused.message, typeof claims.email === "string" ? claims.email : undefined);
  return { redirect: "/login" };
}
