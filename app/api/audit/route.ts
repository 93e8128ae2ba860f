import { searchAuditEvents } from "@/lib/audit/query";
import { parseAuditQuery } from "@/lib/audit/request";
import { resolveFilter } from "@/lib/audit/resolve-filter";
import { supportScope } from "@/lib/audit/support-access";
import { json } from "@/lib/http/route";
import { withSupportAccess } from "@/lib/http/support";

// GET /api/audit — support staff: one page of events in the org (or all orgs) their access grant allows
export const GET = withSupportAccess(
  async ({ req, access }) => {
    const { params, page } = parseAuditQuery(req.nextUrl);
    const filter = await resolveFilter(params, supportScope(access));
    return json(await searchAuditEvents(filter, page));
  },
  // Read-only: the page may be read alongside the session check (lib/http/read-ahead.ts).
  { readAhead: true },
);
