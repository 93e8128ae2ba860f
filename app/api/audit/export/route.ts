import { auditedExport } from "@/lib/audit/audited-ops";
import { exportResponse } from "@/lib/audit/export-response";
import { parseAuditQuery, parseExportFormat } from "@/lib/audit/request";
import { resolveFilter } from "@/lib/audit/resolve-filter";
import { supportScope } from "@/lib/audit/support-access";
import { withSupportAccess } from "@/lib/http/support";

// POST /api/audit/export?format=csv|ndjson — support staff: stream the events for the filter (recorded with the reason)
export const POST = withSupportAccess(async ({ req, user, access, context }) => {
  const { params } = parseAuditQuery(req.nextUrl);
  const format = parseExportFormat(req.nextUrl);
  const filter = await resolveFilter(params, supportScope(access));
  const stream = await auditedExport({
    filter,
    params,
    format,
    action: "support.audit_exported",
    eventOrgId: access.org?.id ?? null,
    actor: { type: "support", id: user.id, name: user.email },
    context,
    metadata: { reason: access.reason },
  });
  return exportResponse(stream, format, access.org?.slug ?? "all-orgs");
});
