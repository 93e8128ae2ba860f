import { resolveFilter } from "@/lib/audit/resolve-filter";
import { searchAuditEvents } from "@/lib/audit/query";
import { parseAuditQuery } from "@/lib/audit/request";
import { json, withOrg } from "@/lib/http/route";

// GET /api/orgs/[slug]/audit — one page of the org's audit events for the filter in the query string
export const GET = withOrg(
  async ({ req, org }) => {
    const { params, page } = parseAuditQuery(req.nextUrl);
    const filter = await resolveFilter(params, org.id);
    return json(await searchAuditEvents(filter, page));
  },
  // Read-only: the page may be read alongside the session check (lib/http/read-ahead.ts).
  { permission: "audit::read", readAhead: true },
);
