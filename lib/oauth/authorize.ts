import "server-only";
import { findClient, type OAuthClientRow } from "./clients";
import { isS256Challenge } from "./pkce";
import { issuer, isKnownResource, mcpResource } from "./issuer";
import { matchRedirectUri } from "./redirect-policy";
import { parseScope, resolveRequestedScopes } from "./scopes";
import { resolveMetadataDocumentClient } from "./metadata-document";

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  codeChallenge: string;
  resource: string;
}

export type AuthorizeValidation =
  | { kind: "ok"; request: AuthorizeRequest; client: OAuthClientRow }
  /** Errors about the client or redirect URI: shown to the user, never redirected (RFC 9700 §4.11). */
  | { kind: "page_error"; error: string; description: string }
  /** Everything else goes back to the (validated) redirect URI. */
  | { kind: "redirect_error"; redirectUri: string; error: string; description: string; state: string | null };

const SINGLE = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
  "resource",
  "prompt",
];

/** Validate an authorization request in the order RFC 6749 §4.1.2.1 asks: client first, then the rest. */
export async function validateAuthorizeRequest(params: URLSearchParams): Promise<AuthorizeValidation> {
  const clientId = params.get("client_id");
  if (!clientId)
    return {
      kind: "page_error",
      error: "invalid_request",
      description: "The request names no client (client_id is missing).",
    };
  if (params.getAll("client_id").length > 1 || params.getAll("redirect_uri").length > 1) {
    return {
      kind: "page_error",
      error: "invalid_request",
      description: "client_id or redirect_uri is repeated.",
    };
  }
  let client = await findClient(clientId);
  if (!client && /^https:\/\//.test(clientId)) {
    const resolved = await resolveMetadataDocumentClient(clientId);
    if (!resolved.ok) return { kind: "page_error", error: "invalid_client", description: resolved.message };
    client = resolved.client;
  } else if (client?.registration === "metadata_document") {
    const resolved = await resolveMetadataDocumentClient(clientId);
    if (resolved.ok) client = resolved.client;
  }
  if (!client)
    return {
      kind: "page_error",
      error: "invalid_client",
      description: "This application is not registered.",
    };
  if (client.disabledAt)
    return {
      kind: "page_error",
      error: "invalid_client",
      description: "This application has been disabled.",
    };
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri)
    return { kind: "page_error", error: "invalid_request", description: "The request has no redirect_uri." };
  if (!matchRedirectUri(client.redirectUris, redirectUri)) {
    return {
      kind: "page_error",
      error: "invalid_request",
      description: "The redirect_uri is not registered for this application.",
    };
  }
  const state = params.get("state");
  const fail = (error: string, description: string): AuthorizeValidation => ({
    kind: "redirect_error",
    redirectUri,
    error,
    description,
    state,
  });
  for (const name of SINGLE)
    if (params.getAll(name).length > 1) return fail("invalid_request", `${name} is repeated.`);
  if (params.get("response_type") !== "code")
    return fail("unsupported_response_type", "Only response_type=code is supported.");
  const challenge = params.get("code_challenge");
  if (!challenge)
    return fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
  if (params.get("code_challenge_method") !== "S256")
    return fail("invalid_request", "Only code_challenge_method=S256 is supported.");
  if (!isS256Challenge(challenge))
    return fail("invalid_request", "code_challenge is not a valid S256 challenge.");
  const parsed = parseScope(params.get("scope"));
  if (!parsed.ok) return fail("invalid_scope", `Unknown scope: ${parsed.invalid.join(", ")}.`);
  // Scopes the client may not have are left out (RFC 6749 §3.3: the token response names what was
  // granted), as MCP clients ask for every scope the server lists; nothing left is an error.
  const { scopes } = resolveRequestedScopes(parsed.scopes, client.allowedScopes);
  if (!scopes.length)
    return fail("invalid_scope", "None of the requested scopes is allowed for this application.");
  const resources = params.getAll("resource");
  if (resources.length > 1) return fail("invalid_target", "Only one resource per request is supported.");
  const resource = resources[0] ?? mcpResource();
  if (!isKnownResource(resource))
    return fail("invalid_target", "The resource is not one this server issues tokens for.");
  if (params.get("prompt") === "none")
    return fail("consent_required", "Consent is needed; prompt=none cannot be honoured.");
  return {
    kind: "ok",
    client,
    request: { clientId: client.id, redirectUri, scopes, state, codeChallenge: challenge, resource },
  };
}

/** The client's redirect URI with response parameters and `iss` (RFC 9207) appended. */
export function redirectWith(redirectUri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v != null) url.searchParams.set(k, v);
  url.searchParams.set("iss", issuer());
  return url.toString();
}
