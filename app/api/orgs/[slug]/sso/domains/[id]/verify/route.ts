import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";
import { verifyDomainByDns } from "@/lib/sso/domains";

// POST /api/orgs/[slug]/sso/domains/[id]/verify — look up the claim's DNS TXT record (needs sso::manage)
export const POST = withOrg<{ slug: string; id: string }>(
  async ({ params, user, org, context }) => {
    const id = validate(z.uuid("No such domain claim."), params.id);
    await verifyDomainByDns(org.id, user, id, context);
    return json({ ok: true });
  },
  { permission: "sso::manage" },
);
