import "server-only";
import { oauthGrants } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import type { CurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { forbidden } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { listUserOrgs, type MembershipDto, type OrgDto } from "@/lib/orgs/queries";
import { listPermissions } from "@/lib/rbac";
import { type AuthorizeRequest, redirectWith } from "./authorize";
import { findClient, isClientBlocked, type OAuthClientRow } from "./clients";
import { createCode } from "./codes";
import { openConsentRequest } from "./consent-request";
import { findPreset } from "./presets";
import { matchRedirectUri, redirectKinds } from "./redirect-policy";
import { offerScopes, type ScopeOffer } from "./effective-access";
import { grantMaxAgeDays } from "./grant-lifetime";
import type { Scope } from "./scopes";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

/** An org the user may pick, with the requested scopes they can exercise there and those left out. */
export interface ConsentOrg extends OrgDto {
  role: string;
  offer: ScopeOffer;
}

export interface ConsentView {
  clientName: string;
  clientId: string;
  verified: boolean;
  presetNames: string[];
  redirectHost: string;
  redirectScheme: string;
  warnings: string[];
  orgs: ConsentOrg[];
  resource: string;
  /** How long access lasts: each access token, and the grant before the user must approve again. */
  lifetime: { accessTokenMinutes: number; grantDays: number };
}

/**
 * The orgs this user may let the client act in (their memberships, minus blocks and other tenants'
 * clients), each with the requested scopes the user can exercise there — read now, so consent
 * never grants more than the user holds.
 */
async function eligibleOrgs(user: CurrentUser, client: OAuthClientRow, requested: Scope[]): Promise<ConsentOrg[]> {
  const memberships = (await listUserOrgs(user.id)).filter((m) => !client.orgId || m.org.id === client.orgId);
  const blocked = await Promise.all(memberships.map((m) => isClientBlocked(m.org.id, client.id)));
  const allowed = memberships.filter((_, i) => !blocked[i]);
  const held = await Promise.all(allowed.map((m) => listPermissions(user, m.org)));
  return allowed.map((m: MembershipDto, i) => ({ ...m.org, role: m.role.name, offer: offerScopes(requested, held[i]!) }));
}

async function load(
  user: CurrentUser,
  sealed: string,
): Promise<{ request: AuthorizeRequest; client: OAuthClientRow } | null> {
  const request = await openConsentRequest(sealed, user.sessionIdHash);
  if (!request) return null;
  const client = await findClient(request.clientId);
  if (!client || client.disabledAt || !matchRedirectUri(client.redirectUris, request.redirectUri))
    return null;
  return { request, client };
}

/** What the consent screen shows, or null when the sealed request is not valid for this session. */
export async function getConsentView(user: CurrentUser, sealed: string): Promise<ConsentView | null> {
  const loaded = await load(user, sealed);
  if (!loaded) return null;
  const { request, client } = loaded;
  const redirect = new URL(request.redirectUri);
  const kinds = redirectKinds(client.redirectUris);
  const warnings: string[] = [];
  if (!client.verified)
    warnings.push("This application registered itself. Gatehouse has not verified who publishes it.");
  if (kinds.size === 1 && kinds.has("loopback")) {
    warnings.push(
      "This application only receives its answer on your own computer (localhost). Approve only if you started it yourself.",
    );
  }
  if (redirect.protocol !== "https:" && redirect.protocol !== "http:") {
    warnings.push(
      `The answer goes to an app on your device through the ${redirect.protocol} link scheme. Any app that claims it could receive it.`,
    );
  }
  return {
    clientName: client.name,
    clientId: client.id,
    verified: client.verified,
    presetNames: client.presets.map((p) => findPreset(p)?.name ?? p),
    redirectHost: redirect.host || redirect.protocol,
    redirectScheme: redirect.protocol,
    warnings,
    orgs: await eligibleOrgs(user, client, request.scopes as Scope[]),
    resource: request.resource,
    lifetime: { accessTokenMinutes: Math.round(client.accessTokenTtlSeconds / 60), grantDays: grantMaxAgeDays() },
  };
}

/**
 * Record the user's decision. Approval creates the grant (the record of consent) and a code in one
 * transaction with the audit event; either way the answer is the client's redirect URI.
 */
export async function decideConsent(
  user: CurrentUser,
  input: { sealed: string; approve: boolean; orgId?: string },
  context: RequestContext,
): Promise<string> {
  const loaded = await load(user, input.sealed);
  if (!loaded)
    throw forbidden(
      "This consent request has expired or belongs to another sign-in. Start again from the application.",
    );
  const { request, client } = loaded;
  if (!input.approve) {
    return redirectWith(request.redirectUri, {
      error: "access_denied",
      error_description: "The user denied the request.",
      state: request.state,
    });
  }
  const org = (await eligibleOrgs(user, client, request.scopes as Scope[])).find((o) => o.id === input.orgId);
  if (!org) throw forbidden("Choose an organization you belong to where this application is allowed.");
  // Only what the user can exercise in that org now; a permission gained later does not widen it.
  const scopes = org.offer.available.map((s) => s.scope);
  const code = await getDb().transaction(async (tx) => {
    const [grant] = await tx
      .insert(oauthGrants)
      .values({
        clientId: client.id,
        userId: user.id,
        orgId: org.id,
        scopes,
        resource: request.resource,
      })
      .returning({ id: oauthGrants.id });
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: user.id, name: user.email },
      clientId: client.id,
      grantId: grant!.id,
      action: "oauth.consent_granted",
      target: { type: "oauth_client", id: client.id, name: client.name },
      context,
      metadata: {
        scopes,
        scopes_left_out: org.offer.unavailable.map((s) => s.scope),
        resource: request.resource,
        redirect_uri: request.redirectUri,
        verified: client.verified,
      },
    });
    await emitWebhookEvent(tx, "oauth_grant.created", `oauth_grant:${grant!.id}`, { id: grant!.id, clientId: client.id, userId: user.id, orgId: org.id, scopes });
    return createCode(tx, {
      grantId: grant!.id,
      clientId: client.id,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes,
      resource: request.resource,
    });
  });
  return redirectWith(request.redirectUri, { code, state: request.state });
}
