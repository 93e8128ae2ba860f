import { countAuditEvents } from "@/lib/audit/count";
import { auditHistogram } from "@/lib/audit/histogram";
import { parseAuditQuery } from "@/lib/audit/request";
import { resolveFilter } from "@/lib/audit/resolve-filter";
import { json, withOrg } from "@/lib/http/route";

// GET /api/orgs/[slug]/audit/summary — capped count and histogram for the filter
export const GET = withOrg(
  async ({ req, org }) => {
    const { params } = parseAuditQuery(req.nextUrl);
    const filter = await resolveFilter(params, org.id);
    const [count, histogram] = await Promise.all([countAuditEvents(filter), auditHistogram(filter)]);
    return json({ ...count, histogram });
  },
  { permission: "audit::read" },
);
