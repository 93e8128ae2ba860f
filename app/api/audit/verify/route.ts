import { auditedVerify } from "@/lib/audit/audited-ops";
import { badRequest } from "@/lib/errors";
import { json } from "@/lib/http/route";
import { withSupportAccess } from "@/lib/http/support";

// POST /api/audit/verify — support staff: verify the hash chain of the org their access grant opened (recorded)
export const POST = withSupportAccess(async ({ user, access, context }) => {
  if (!access.org) throw badRequest("Open one organization to verify its chain.", "org_required");
  const report = await auditedVerify({
    orgId: access.org.id,
    eventOrgId: access.org.id,
    actor: { type: "support", id: user.id, name: user.email },
    context,
    metadata: { reason: access.reason },
  });
  return json(report);
});
