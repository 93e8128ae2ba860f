import { auditedVerify } from "@/lib/audit/audited-ops";
import { json, withOrg } from "@/lib/http/route";

// POST /api/orgs/[slug]/audit/verify — walk the org's hash chain and report the first broken link (recorded)
export const POST = withOrg(
  async ({ org, user, context }) => {
    const report = await auditedVerify({
      orgId: org.id,
      eventOrgId: org.id,
      actor: { type: "user", id: user.id, name: user.email },
      context,
    });
    return json(report);
  },
  { permission: "audit::read" },
);
