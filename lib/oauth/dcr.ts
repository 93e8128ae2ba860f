import "server-only";
import { z } from "zod";
import { oauthClients } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken, sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { enforce } from "@/lib/rate-limit";
import { OAuthError } from "./errors";
import { presetsMatching } from "./presets";
import { checkRedirectUris } from "./redirect-policy";
import { ALL_SCOPES, parseScope } from "./scopes";
import { isDynamicRegistrationEnabled } from "./settings";

const metadataSchema = z.object({
  redirect_uris: z.array(z.string()).min(1).max(20),
  client_name: z.string().trim().min(1).max(120).optional(),
  token_endpoint_auth_method: z.enum(["none", "client_secret_basic", "client_secret_post"]).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  scope: z.string().max(500).optional(),
});

const SUPPORTED_GRANTS = ["authorization_code", "refresh_token"] as const;

const metadataError = (d: string) => new OAuthError(400, "invalid_client_metadata", d);

/**
 * RFC 7591 dynamic registration, when a platform admin switched it on: the same redirect policy as
 * the form (one bad URI refuses the request), validated before it is rate-limited per IP and
 * globally, unknown grant types ignored, clients unverified.
 */
export async function registerDynamicClient(
  body: unknown,
  context: RequestContext,
): Promise<Record<string, unknown>> {
  if (!(await isDynamicRegistrationEnabled()))
    throw new OAuthError(403, "access_denied", "Dynamic client registration is turned off.");
  const parsed = metadataSchema.safeParse(body);
  if (!parsed.success)
    throw metadataError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const m = parsed.data;
  const uris = checkRedirectUris(m.redirect_uris);
  if (!uris.ok) throw new OAuthError(400, "invalid_redirect_uri", `${uris.uri} ${uris.reason}.`);
  // RFC 7591 §2: grant types we will not issue (e.g. jwt-bearer) are ignored, the rest registered.
  const grantTypes = m.grant_types ? SUPPORTED_GRANTS.filter((g) => m.grant_types!.includes(g)) : [...SUPPORTED_GRANTS];
  if (!grantTypes.includes("authorization_code"))
    throw metadataError("The authorization_code grant type is required; it is the only one issued with refresh_token.");
  if (m.response_types?.some((r) => r !== "code"))
    throw metadataError("Only the code response type is supported.");
  const scope = parseScope(m.scope);
  if (!scope.ok) throw metadataError(`Unknown scope: ${scope.invalid.join(", ")}.`);
  // Only a valid request spends the budgets, so junk cannot use up the global one.
  const env = getEnv();
  await enforce(`dcr:ip:${context.ip ?? "unknown"}`, { max: env.DCR_PER_IP_PER_MINUTE, windowSeconds: 60 });
  await enforce("dcr:global", { max: env.DCR_GLOBAL_PER_HOUR, windowSeconds: 3600 });
  const allowedScopes = scope.scopes.length ? scope.scopes : ALL_SCOPES;
  const method = m.token_endpoint_auth_method ?? "client_secret_basic";
  const confidential = method !== "none";
  const clientId = `ghd_${randomToken(18)}`;
  const secret = confidential ? `ghs_${randomToken(32)}` : null;
  const name = m.client_name ?? "Unnamed application";
  const now = new Date();
  await getDb().transaction(async (tx) => {
    await tx.insert(oauthClients).values({
      id: clientId,
      orgId: null,
      name,
      type: confidential ? "confidential" : "public",
      secretHash: secret ? sha256(secret) : null,
      redirectUris: m.redirect_uris,
      presets: presetsMatching(m.redirect_uris).map((p) => p.id),
      allowedScopes: [...allowedScopes],
      registration: "dynamic",
      verified: false,
      createdAt: now,
    });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "agent", id: clientId, name },
      clientId,
      action: "oauth_client.registered",
      target: { type: "oauth_client", id: clientId, name },
      context,
      metadata: { redirect_uris: m.redirect_uris, token_endpoint_auth_method: method },
    });
  });
  return {
    client_id: clientId,
    client_id_issued_at: Math.floor(now.getTime() / 1000),
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    client_name: name,
    redirect_uris: m.redirect_uris,
    token_endpoint_auth_method: method,
    grant_types: grantTypes,
    response_types: ["code"],
    scope: allowedScopes.join(" "),
  };
}
