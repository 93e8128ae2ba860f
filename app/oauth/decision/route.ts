import { NextResponse } from "next/server";
import { z } from "zod";
import { readFormBody, validate } from "@/lib/http/body";
import { withUser } from "@/lib/http/route";
import { decideConsent } from "@/lib/oauth/consent";

const decisionSchema = z.object({
  request: z.string().min(1).max(8192),
  decision: z.enum(["approve", "deny"]),
  org: z.uuid().optional(),
});

// POST /oauth/decision — the consent form (same-origin only, session-bound request): approve or deny
export const POST = withUser(async ({ req, user, context }) => {
  const form = Object.fromEntries(await readFormBody(req, 16 * 1024));
  const input = validate(decisionSchema, { ...form, org: form.org || undefined });
  const location = await decideConsent(
    user,
    { sealed: input.request, approve: input.decision === "approve", orgId: input.org },
    context,
  );
  return new NextResponse(null, {
    status: 303,
    headers: { Location: location, "Cache-Control": "no-store" },
  });
});
