import { z } from "zod";
import { eventChainStatus } from "@/lib/audit/event-chain";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/http/body";
import { json, withOrg } from "@/lib/http/route";

// GET /api/orgs/[slug]/audit/chain?seq=N — whether one event of the org is intact and linked both ways
export const GET = withOrg(
  async ({ req, org }) => {
    const seq = validate(z.coerce.number().int().min(1), req.nextUrl.searchParams.get("seq"));
    const status = await eventChainStatus(org.id, seq);
    if (!status) throw notFound("No such event.");
    return json(status);
  },
  { permission: "audit::read" },
);
