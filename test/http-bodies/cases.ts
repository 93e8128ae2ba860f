/**
 * The body of every write route (POST/PUT/PATCH/DELETE under app/), for the body tests: who calls it
 * and a sample whose every string field gets a NUL or a lone surrogate. A new write route without an
 * entry here fails bodies.test.ts: add its body, or `none` with the reason it reads no body.
 */
export type Caller = "anonymous" | "member" | "owner" | "platform-admin" | "support" | "mcp-token" | "platform-api-key";

export interface BodyCase {
  as: Caller;
  path: string;
  params?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

export interface NoBody {
  none: string;
}

const UUID = "00000000-0000-4000-8000-000000000000";
const TOKEN = "t".repeat(32);
const ASSERTION = {
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA", userHandle: "AAAA" },
  clientExtensionResults: {},
};
const ATTESTATION = { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "AAAA", attestationObject: "AAAA", transports: ["internal"] }, clientExtensionResults: {} };

export const BODY_CASES: Record<string, BodyCase | NoBody> = {
  "app/api/account/mfa/backup-codes/route.ts POST": { as: "member", path: "/api/account/mfa/backup-codes", json: { code: "123456" } },
  "app/api/account/mfa/confirm/route.ts POST": { as: "member", path: "/api/account/mfa/confirm", json: { code: "123456" } },
  "app/api/account/mfa/enroll/route.ts POST": { none: "starts an enrollment for the session user" },
  "app/api/account/mfa/route.ts DELETE": { as: "member", path: "/api/account/mfa", json: { code: "123456" } },
  "app/api/account/passkeys/route.ts POST": { as: "member", path: "/api/account/passkeys", json: { name: "Laptop", response: ATTESTATION } },
  "app/api/account/passkeys/[id]/route.ts DELETE": { as: "member", path: `/api/account/passkeys/${UUID}`, params: { id: UUID }, json: { code: "123456" } },
  "app/api/account/passkeys/options/route.ts POST": { none: "registration options for the session user" },
  "app/api/account/passkeys/reauth/route.ts POST": { none: "a challenge for the session user's passkeys" },
  "app/api/account/passkeys/offer/route.ts POST": { none: "marks the session user's passkey offer as shown" },
  "app/api/account/sessions/route.ts DELETE": { none: "query string only (?keepCurrent=1)" },
  "app/api/admin/api-keys/[id]/route.ts DELETE": { none: "the key id is in the path" },
  "app/api/account/api-keys/route.ts POST": { as: "member", path: "/api/account/api-keys", json: { name: "Script", expiresInDays: 30, mode: "live" } },
  "app/api/account/api-keys/[id]/route.ts DELETE": { none: "the key id is in the path" },
  "app/api/orgs/[slug]/api-keys/route.ts POST": { as: "owner", path: "/api/orgs/xcorp/api-keys", params: { slug: "xcorp" }, json: { name: "Script", expiresInDays: 30, permissions: ["reports::read"] } },
  "app/api/orgs/[slug]/api-keys/[id]/route.ts DELETE": { none: "the key id is in the path" },
  "app/api/admin/webhooks/route.ts POST": { as: "platform-admin", path: "/api/admin/webhooks", json: { url: "https://hooks.example.com/in", description: "Billing", eventTypes: ["user.created"] } },
  "app/api/admin/webhooks/[id]/route.ts PATCH": { as: "platform-admin", path: `/api/admin/webhooks/${UUID}`, params: { id: UUID }, json: { enabled: true, description: "Billing" } },
  "app/api/admin/webhooks/[id]/route.ts DELETE": { none: "the endpoint id is in the path" },
  "app/api/admin/webhooks/deliveries/[id]/resend/route.ts POST": { none: "the delivery id is in the path" },
  "app/api/dev/webhooks/route.ts POST": { as: "anonymous", path: "/api/dev/webhooks", json: { type: "org.updated", data: { name: "XCorp" } } },
  "app/api/v1/api-keys/validate/route.ts POST": { as: "platform-api-key", path: "/api/v1/api-keys/validate", json: { apiKey: "ghk_live_abc", permission: "reports::read" } },
  "app/api/admin/api-keys/route.ts POST": { as: "platform-admin", path: "/api/admin/api-keys", json: { name: "Billing" } },
  "app/api/admin/mappings/[id]/cells/route.ts PUT": {
    as: "platform-admin",
    path: `/api/admin/mappings/${UUID}/cells`,
    params: { id: UUID },
    json: { cells: [{ roleId: UUID, permissionId: "members::read" }] },
  },
  "app/api/admin/mappings/[id]/cells/preview/route.ts POST": {
    as: "platform-admin",
    path: `/api/admin/mappings/${UUID}/cells/preview`,
    params: { id: UUID },
    json: { cells: [{ roleId: UUID, permissionId: "members::read" }] },
  },
  "app/api/admin/mappings/[id]/route.ts PATCH": { as: "platform-admin", path: `/api/admin/mappings/${UUID}`, params: { id: UUID }, json: { name: "Pro" } },
  "app/api/admin/mappings/route.ts POST": { as: "platform-admin", path: "/api/admin/mappings", json: { name: "Pro", description: "For teams", copyFrom: UUID } },
  "app/api/admin/orgs/[slug]/subscription/route.ts PUT": { as: "platform-admin", path: "/api/admin/orgs/xcorp/subscription", params: { slug: "xcorp" }, json: { mappingId: UUID } },
  "app/api/admin/orgs/route.ts POST": { as: "platform-admin", path: "/api/admin/orgs", json: { name: "ACME", slug: "acme", mappingId: UUID, ownerEmail: "o@acme.example" } },
  "app/api/admin/permissions/[id]/route.ts DELETE": { none: "the permission id is in the path" },
  "app/api/admin/permissions/route.ts POST": { as: "platform-admin", path: "/api/admin/permissions", json: { id: "reports::export", description: "Export reports" } },
  "app/api/admin/platform-settings/route.ts PATCH": { as: "platform-admin", path: "/api/admin/platform-settings", json: { require_mfa: false, note: "x" } },
  "app/api/admin/roles/[id]/route.ts DELETE": { none: "the role id is in the path" },
  "app/api/admin/roles/[id]/route.ts PATCH": { as: "platform-admin", path: `/api/admin/roles/${UUID}`, params: { id: UUID }, json: { name: "Manager" } },
  "app/api/admin/roles/route.ts POST": { as: "platform-admin", path: "/api/admin/roles", json: { name: "Billing", key: "billing", belowRoleId: UUID } },
  "app/api/audit/access/route.ts POST": { as: "support", path: "/api/audit/access", json: { org: "xcorp", reason: "Ticket 42" } },
  "app/api/audit/export/route.ts POST": { none: "the filter is in the query string, the grant in a header" },
  "app/api/audit/verify/route.ts POST": { none: "the grant is in a header" },
  "app/api/auth/[...nextauth]/route.ts POST": {
    as: "anonymous",
    path: "/api/auth/callback/login-flow",
    params: {},
    form: { csrfToken: "x", callbackUrl: "http://localhost:3000/" },
  },
  "app/api/orgs/[slug]/transfer-ownership/route.ts POST": { as: "owner", path: "/api/orgs/xcorp/transfer-ownership", params: { slug: "xcorp" }, json: { userId: UUID } },
  "app/api/orgs/[slug]/leave/route.ts POST": { none: "leaves the org named in the path" },
  "app/api/orgs/[slug]/members/[userId]/require-password-change/route.ts POST": { none: "the member id is in the path" },
  "app/api/admin/users/[userId]/require-password-change/route.ts POST": { none: "the user id is in the path" },
  "app/api/audit/checkpoints/route.ts POST": { none: "signs every moved chain head; nothing to send" },
  "app/api/setup/route.ts POST": { as: "anonymous", path: "/api/setup", json: { email: "ops@example.com", name: "Olga", password: "a long passphrase 42" } },
  "app/api/invitations/accept/route.ts POST": { as: "member", path: "/api/invitations/accept", json: { token: TOKEN } },
  "app/api/login/change-email/route.ts POST": { as: "anonymous", path: "/api/login/change-email", json: { email: "a@b.example" } },
  "app/api/login/complete/route.ts POST": { none: "consumes the flow of the cookie; a form post is only told apart by its type" },
  "app/api/login/confirm-email/route.ts POST": { as: "anonymous", path: "/api/login/confirm-email", json: { token: TOKEN } },
  "app/api/login/join/route.ts POST": { as: "anonymous", path: "/api/login/join", json: { createOrg: { name: "ACME" } } },
  "app/api/login/magic-link/redeem/route.ts POST": { as: "anonymous", path: "/api/login/magic-link/redeem", json: { token: TOKEN } },
  "app/api/login/magic-link/route.ts POST": { as: "anonymous", path: "/api/login/magic-link", json: { email: "a@b.example", returnTo: "/orgs" } },
  "app/api/login/mfa/confirm/route.ts POST": { as: "anonymous", path: "/api/login/mfa/confirm", json: { code: "123456" } },
  "app/api/login/mfa/enroll/route.ts POST": { none: "starts an enrollment for the pending sign-in" },
  "app/api/login/mfa/verify/route.ts POST": { as: "anonymous", path: "/api/login/mfa/verify", json: { backupCode: "abcdefghij" } },
  "app/api/login/passkey/options/route.ts POST": { as: "anonymous", path: "/api/login/passkey/options", json: { returnTo: "/orgs" } },
  "app/api/login/passkey/verify/route.ts POST": { as: "anonymous", path: "/api/login/passkey/verify", json: { response: ASSERTION } },
  "app/api/login/passkey/enroll/route.ts POST": { as: "anonymous", path: "/api/login/passkey/enroll", json: { name: "Laptop", response: ATTESTATION } },
  "app/api/login/password/route.ts POST": { as: "anonymous", path: "/api/login/password", json: { email: "a@b.example", password: "pw", returnTo: "/" } },
  "app/api/login/properties/route.ts POST": { as: "anonymous", path: "/api/login/properties", json: { values: { jobTitle: "CTO", newsletter: true } } },
  "app/api/login/resend/route.ts POST": { none: "resends to the pending sign-in's address" },
  "app/api/login/reset/request/route.ts POST": { as: "anonymous", path: "/api/login/reset/request", json: { email: "a@b.example" } },
  "app/api/login/reset/route.ts POST": { as: "anonymous", path: "/api/login/reset", json: { token: TOKEN, password: "a long password" } },
  "app/api/login/restart/route.ts POST": { none: "drops the pending sign-in" },
  "app/api/login/signup/route.ts POST": { as: "anonymous", path: "/api/login/signup", json: { email: "a@b.example", password: "a long password" } },
  "app/api/login/update-password/route.ts POST": { as: "anonymous", path: "/api/login/update-password", json: { password: "a long password" } },
  "app/api/mcp/route.ts POST": {
    as: "mcp-token",
    path: "/api/mcp",
    json: { jsonrpc: "2.0", id: "1", method: "tools/call", params: { name: "whoami", arguments: { note: "hello" } } },
  },
  "app/api/orgs/[slug]/audit/export/route.ts POST": { none: "the filter is in the query string" },
  "app/api/orgs/[slug]/audit/verify/route.ts POST": { none: "verifies the org's chain, no input" },
  "app/api/orgs/[slug]/invitations/[id]/resend/route.ts POST": { none: "the invitation id is in the path" },
  "app/api/orgs/[slug]/invitations/[id]/route.ts DELETE": { none: "the invitation id is in the path" },
  "app/api/orgs/[slug]/invitations/route.ts POST": { as: "owner", path: "/api/orgs/xcorp/invitations", params: { slug: "xcorp" }, json: { email: "new@xcorp.example", roleKey: "member" } },
  "app/api/orgs/[slug]/members/[userId]/route.ts DELETE": { none: "the member id is in the path" },
  "app/api/orgs/[slug]/members/[userId]/route.ts PATCH": {
    as: "owner",
    path: `/api/orgs/xcorp/members/${UUID}`,
    params: { slug: "xcorp", userId: UUID },
    json: { roleKey: "admin" },
  },
  "app/api/orgs/[slug]/route.ts PATCH": { as: "owner", path: "/api/orgs/xcorp", params: { slug: "xcorp" }, json: { name: "XCorp", autoJoinDomains: ["xcorp.example"] } },
  "app/oauth/decision/route.ts POST": { as: "member", path: "/oauth/decision", form: { request: "sealed", decision: "approve", org: UUID } },
  "app/oauth/introspect/route.ts POST": { as: "anonymous", path: "/oauth/introspect", form: { token: "abc", token_type_hint: "access_token" } },
  "app/oauth/register/route.ts POST": {
    as: "anonymous",
    path: "/oauth/register",
    json: { client_name: "Agent", redirect_uris: ["http://127.0.0.1:5000/cb"], token_endpoint_auth_method: "none" },
  },
  "app/oauth/revoke/route.ts POST": { as: "anonymous", path: "/oauth/revoke", form: { token: "abc", client_id: "c" } },
  "app/oauth/token/route.ts POST": {
    as: "anonymous",
    path: "/oauth/token",
    form: { grant_type: "authorization_code", code: "abc", redirect_uri: "http://127.0.0.1/cb", client_id: "c", code_verifier: "v", resource: "http://localhost:3000/api/mcp" },
  },
  // Enterprise SSO
  "app/api/login/sso/route.ts POST": { as: "anonymous", path: "/api/login/sso", json: { email: "someone@xcorp.example", returnTo: "/" } },
  "app/api/orgs/[slug]/sso/connections/route.ts POST": {
    as: "owner",
    path: "/api/orgs/xcorp/sso/connections",
    params: { slug: "xcorp" },
    json: { name: "Okta", issuer: "https://idp.example/", clientId: "abc", clientSecret: "secret", scopes: "openid email", defaultRoleKey: "member", groupsClaim: "groups" },
  },
  "app/api/orgs/[slug]/sso/connections/[id]/route.ts PATCH": {
    as: "owner",
    path: `/api/orgs/xcorp/sso/connections/${UUID}`,
    params: { slug: "xcorp", id: UUID },
    json: { name: "Okta", clientSecret: "secret", scopes: "openid email", defaultRoleKey: "member", groupsClaim: "groups", roleRules: [{ group: "eng", roleKey: "admin" }] },
  },
  "app/api/orgs/[slug]/sso/connections/[id]/enable/route.ts POST": { as: "owner", path: `/api/orgs/xcorp/sso/connections/${UUID}/enable`, params: { slug: "xcorp", id: UUID }, json: { enabled: true, reason: "IdP set up" } },
  "app/api/orgs/[slug]/sso/domains/route.ts POST": { as: "owner", path: "/api/orgs/xcorp/sso/domains", params: { slug: "xcorp" }, json: { domain: "xcorp.example" } },
  "app/api/orgs/[slug]/sso/domains/[id]/verify/route.ts POST": { none: "the claim id is in the path" },
  "app/api/orgs/[slug]/sso/settings/route.ts PUT": { as: "owner", path: "/api/orgs/xcorp/sso/settings", params: { slug: "xcorp" }, json: { requireSso: false, breakGlassEmail: "owner@xcorp.example" } },
  "app/api/admin/sso-domains/[id]/approve/route.ts POST": { none: "the claim id is in the path" },
  "app/api/sso/saml/acs/[id]/route.ts POST": { as: "anonymous", path: `/api/sso/saml/acs/${UUID}`, params: { id: UUID }, form: { SAMLResponse: "PHNhbWxwOlJlc3BvbnNlLz4=", RelayState: "" } },
};
