import { readJson } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { createOidcConnection, listConnections } from "@/lib/sso/connections";
import { oidcConnectionSchema } from "@/lib/sso/schemas";

// POST /api/orgs/[slug]/sso/connections — add an OIDC connection, disabled until tested (needs sso::manage)
export const POST = withOrg<{ slug: string }>(
  async ({ req, user, org, context }) => {
    const input = await readJson(req, oidcConnectionSchema);
    return json(await createOidcConnection(org.id, user, input, context), { status: 201 });
  },
  { permission: "sso::manage" },
);

// GET /api/orgs/[slug]/sso/connections — the org's connections (never their secrets)
export const GET = withOrg<{ slug: string }>(async ({ org }) => json({ connections: await listConnections(org.id) }), { permission: "sso::manage" });
