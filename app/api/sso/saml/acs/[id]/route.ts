import { NextResponse } from "next/server";
import { getEnv } from "@/lib/env";
import { readFormBody } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { applyFlowVerdict, handleSamlAcs } from "@/lib/sso/saml-sign-in";

// POST /api/sso/saml/acs/[id] — the Assertion Consumer Service of one SAML connection (HTTP-POST binding)
export const POST = route<{ id: string }>(async ({ req, params, context }) => {
  const form = await readFormBody(req, 700 * 1024);
  const result = await handleSamlAcs(params.id, form.get("SAMLResponse"), context);
  await applyFlowVerdict(result);
  return NextResponse.redirect(new URL(result.redirect, getEnv().APP_URL ?? req.nextUrl.origin), 303);
});
