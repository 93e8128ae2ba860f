import { readJson } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { claimDomain, listDomains } from "@/lib/sso/domains";
import { domainClaimSchema } from "@/lib/sso/schemas";

// POST /api/orgs/[slug]/sso/domains — claim an email domain; routes sign-ins once verified (needs sso::manage)
export const POST = withOrg<{ slug: string }>(
  async ({ req, user, org, context }) => {
    const { domain } = await readJson(req, domainClaimSchema);
    return json(await claimDomain(org.id, user, domain, context), { status: 201 });
  },
  { permission: "sso::manage" },
);

// GET /api/orgs/[slug]/sso/domains — the org's domain claims and their TXT records
export const GET = withOrg<{ slug: string }>(async ({ org }) => json({ domains: await listDomains(org.id) }), { permission: "sso::manage" });
