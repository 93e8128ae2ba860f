import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { applyFlowVerdict, finishSamlAnswer } from "@/lib/sso/saml-sign-in";

// GET /api/sso/saml/finish?handoff=… — the same-site leg of a SAML answer: browser binding, JIT, sign-in
export const GET = route(async ({ req, context }) => {
  const user = await getCurrentUser();
  const result = await finishSamlAnswer(req.nextUrl.searchParams.get("handoff"), context, user?.id ?? null);
  await applyFlowVerdict(result);
  return NextResponse.redirect(new URL(result.redirect, getEnv().APP_URL ?? req.nextUrl.origin), 303);
});
