import { readJsonValue, validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { createOidcConnection, createSamlConnection, listConnections } from "@/lib/sso/connections";
import { oidcConnectionSchema, samlConnectionSchema } from "@/lib/sso/schemas";

// POST /api/orgs/[slug]/sso/connections — add an OIDC connection, or a SAML one (`kind: "saml"` with the
// IdP's metadata as XML or URL), disabled until tested (needs sso::manage)
export const POST = withOrg<{ slug: string }>(
  async ({ req, user, org, context }) => {
    const body = await readJsonValue(req, 600 * 1024);
    if (body && typeof body === "object" && (body as { kind?: unknown }).kind === "saml") {
      return json(await createSamlConnection(org.id, user, validate(samlConnectionSchema, body), context), { status: 201 });
    }
    return json(await createOidcConnection(org.id, user, validate(oidcConnectionSchema, body), context), { status: 201 });
  },
  { permission: "sso::manage" },
);

// GET /api/orgs/[slug]/sso/connections — the org's connections (never their secrets)
export const GET = withOrg<{ slug: string }>(async ({ org }) => json({ connections: await listConnections(org.id) }), { permission: "sso::manage" });
