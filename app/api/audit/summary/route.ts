import { countAuditEvents } from "@/lib/audit/count";
import { auditHistogram } from "@/lib/audit/histogram";
import { parseAuditQuery } from "@/lib/audit/request";
import { resolveFilter } from "@/lib/audit/resolve-filter";
import { supportScope } from "@/lib/audit/support-access";
import { json } from "@/lib/http/route";
import { withSupportAccess } from "@/lib/http/support";

// GET /api/audit/summary — support staff: capped count and histogram for the filter
export const GET = withSupportAccess(async ({ req, access }) => {
  const { params } = parseAuditQuery(req.nextUrl);
  const filter = await resolveFilter(params, supportScope(access));
  const [count, histogram] = await Promise.all([countAuditEvents(filter), auditHistogram(filter)]);
  return json({ ...count, histogram });
});
