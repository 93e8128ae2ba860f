import { eq } from "drizzle-orm";
import { orgs, roles, ssoConnections, ssoDomains } from "@/drizzle/schema";
import { encryptSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { oidcRedirectUri } from "@/lib/sso/oidc";
import { startTestIdp } from "@/test/sso/oidc-idp";
import type { CoverageCase } from "./cases";

async function orgId(slug: string) {
  const [org] = await getDb().select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug));
  return org!.id;
}

/** A connection row made outside the counted run. */
async function connection(slug: string, opts: { tested?: boolean; enabled?: boolean } = {}) {
  const [member] = await getDb().select({ id: roles.id }).from(roles).where(eq(roles.key, "member"));
  const [row] = await getDb()
    .insert(ssoConnections)
    .values({
      orgId: await orgId(slug),
      kind: "oidc",
      name: `Coverage IdP ${Math.random().toString(36).slice(2, 8)}`,
      issuer: "https://idp.coverage.example",
      clientId: "gatehouse",
      clientSecretEnc: encryptSecret("coverage-secret"),
      defaultRoleId: member!.id,
      testedAt: opts.tested || opts.enabled ? new Date() : null,
      enabled: opts.enabled ?? false,
    })
    .returning({ id: ssoConnections.id });
  return row!.id;
}

/** A SAML connection row (its certificate is never used: the answer below is refused before any signature check). */
async function samlConnection(slug: string) {
  const [member] = await getDb().select({ id: roles.id }).from(roles).where(eq(roles.key, "member"));
  const [row] = await getDb()
    .insert(ssoConnections)
    .values({
      orgId: await orgId(slug),
      kind: "saml",
      name: `Coverage SAML ${Math.random().toString(36).slice(2, 8)}`,
      samlIdpEntityId: "https://idp.coverage.example/saml",
      samlSsoUrl: "https://idp.coverage.example/saml/sso",
      samlIdpCerts: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      defaultRoleId: member!.id,
      testedAt: new Date(),
      enabled: true,
    })
    .returning({ id: ssoConnections.id });
  return row!.id;
}

async function domain(slug: string, name: string, verified: boolean) {
  const [row] = await getDb()
    .insert(ssoDomains)
    .values({ orgId: await orgId(slug), domain: name, verificationToken: "coverage-token", verifiedAt: verified ? new Date() : null, verifiedBy: verified ? "dns" : null })
    .returning({ id: ssoDomains.id });
  return row!.id;
}

async function expectStatus(res: Response | Promise<Response>, status: number) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected HTTP ${status}, got ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
}

/** Enterprise SSO (lib/sso): every write route leaves its one event. */
export const SSO_COVERAGE_CASES: Record<string, CoverageCase> = {
  "app/api/sso/saml/acs/[id]/route.ts POST": {
    action: "login.sso_failed",
    setup: async ({ state }) => {
      state.id = await samlConnection("xcorp");
    },
    run: async ({ entry, as, call, state }) => {
      await as(null);
      // An IdP-initiated answer (no InResponseTo) is refused, and says so in the org's log.
      const SAMLResponse = Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_c" Version="2.0"/>').toString("base64");
      const body = new URLSearchParams({ SAMLResponse }).toString();
      await expectStatus(call(entry, `/api/sso/saml/acs/${state.id}`, { method: "POST", params: { id: state.id! }, body, headers: { "content-type": "application/x-www-form-urlencoded" } }), 303);
    },
  },
  "app/api/orgs/[slug]/sso/connections/route.ts POST": {
    action: "sso.connection_created",
    setup: async ({ state }) => {
      const idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
      Object.assign(state, { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
    },
    run: async ({ entry, as, call, state }) => {
      await as("owner@xcorp.example");
      const json = { name: "XCorp Okta", issuer: state.issuer, clientId: state.clientId, clientSecret: state.clientSecret, defaultRoleKey: "member" };
      await expectStatus(call(entry, "/api/orgs/xcorp/sso/connections", { method: "POST", params: { slug: "xcorp" }, json }), 201);
    },
  },
  "app/api/orgs/[slug]/sso/connections/[id]/route.ts PATCH": {
    action: "sso.connection_changed",
    setup: async ({ state }) => {
      state.id = await connection("xcorp");
    },
    run: async ({ entry, as, call, state }) => {
      await as("owner@xcorp.example");
      const json = { name: "Renamed", roleRules: [{ group: "eng-admins", roleKey: "admin" }] };
      await expectStatus(call(entry, `/api/orgs/xcorp/sso/connections/${state.id}`, { method: "PATCH", params: { slug: "xcorp", id: state.id! }, json }), 200);
    },
  },
  "app/api/orgs/[slug]/sso/connections/[id]/enable/route.ts POST": {
    action: "sso.connection_enabled",
    setup: async ({ state }) => {
      state.id = await connection("xcorp", { tested: true });
    },
    run: async ({ entry, as, call, state }) => {
      await as("owner@xcorp.example");
      await expectStatus(call(entry, `/api/orgs/xcorp/sso/connections/${state.id}/enable`, { method: "POST", params: { slug: "xcorp", id: state.id! }, json: { enabled: true } }), 200);
    },
  },
  "app/api/orgs/[slug]/sso/domains/route.ts POST": {
    action: "sso.domain_claimed",
    run: async ({ entry, as, call }) => {
      await as("owner@xcorp.example");
      await expectStatus(call(entry, "/api/orgs/xcorp/sso/domains", { method: "POST", params: { slug: "xcorp" }, json: { domain: "claimed.xcorp.example" } }), 201);
    },
  },
  "app/api/orgs/[slug]/sso/domains/[id]/verify/route.ts POST": {
    // No TXT record can exist for this name: the failed check is the one event (and a 409).
    action: "sso.domain_verified",
    setup: async ({ state }) => {
      state.id = await domain("xcorp", "unpublished.xcorp.example", false);
    },
    run: async ({ entry, as, call, state }) => {
      await as("owner@xcorp.example");
      await expectStatus(call(entry, `/api/orgs/xcorp/sso/domains/${state.id}/verify`, { method: "POST", params: { slug: "xcorp", id: state.id! } }), 409);
    },
  },
  "app/api/orgs/[slug]/sso/settings/route.ts PUT": {
    action: "sso.settings_changed",
    run: async ({ entry, as, call }) => {
      await as("owner@xcorp.example");
      await expectStatus(call(entry, "/api/orgs/xcorp/sso/settings", { method: "PUT", params: { slug: "xcorp" }, json: { requireSso: false, breakGlassEmail: "owner@xcorp.example" } }), 200);
    },
  },
  "app/api/admin/sso-domains/[id]/approve/route.ts POST": {
    action: "sso.domain_approved",
    setup: async ({ state }) => {
      state.id = await domain("techcorp", "approve-me.techcorp.example", false);
    },
    run: async ({ entry, as, call, state }) => {
      await as("admin@gatehouse.example");
      await expectStatus(call(entry, `/api/admin/sso-domains/${state.id}/approve`, { method: "POST", params: { id: state.id! } }), 200);
    },
  },
  "app/api/login/sso/route.ts POST": {
    action: "login.sso_routed",
    setup: async () => {
      await connection("techcorp", { enabled: true });
      await domain("techcorp", "sso.techcorp.example", true);
    },
    run: async ({ entry, call }) => {
      await expectStatus(call(entry, "/api/login/sso", { method: "POST", json: { email: "someone@sso.techcorp.example" } }), 200);
    },
  },
};
