import { z } from "zod";
import { eventChainStatus } from "@/lib/audit/event-chain";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { withSupportAccess } from "@/lib/http/support";

const query = z.object({ org: z.uuid(), seq: z.coerce.number().int().min(1) });

// GET /api/audit/chain?org=&seq= — support staff: chain status of one event, within what their grant opened
export const GET = withSupportAccess(async ({ req, access }) => {
  const { org, seq } = validate(query, Object.fromEntries(req.nextUrl.searchParams));
  if (access.org && access.org.id !== org) throw notFound("No such event.");
  const status = await eventChainStatus(org, seq);
  if (!status) throw notFound("No such event.");
  return json(status);
});
