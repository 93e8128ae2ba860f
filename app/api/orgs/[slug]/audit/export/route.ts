import { auditedExport } from "@/lib/audit/audited-ops";
import { exportResponse } from "@/lib/audit/export-response";
import { parseAuditQuery, parseExportFormat } from "@/lib/audit/request";
import { resolveFilter } from "@/lib/audit/resolve-filter";
import { withOrg } from "@/lib/http/route";

// POST /api/orgs/[slug]/audit/export?format=csv|ndjson — stream the org's events for the filter (recorded)
export const POST = withOrg(
  async ({ req, org, user, context }) => {
    const { params } = parseAuditQuery(req.nextUrl);
    const format = parseExportFormat(req.nextUrl);
    const filter = await resolveFilter(params, org.id);
    const stream = await auditedExport({
      filter,
      params,
      format,
      action: "audit.exported",
      eventOrgId: org.id,
      actor: { type: "user", id: user.id, name: user.email },
      context,
    });
    return exportResponse(stream, format, org.slug);
  },
  { permission: "audit::read" },
);
