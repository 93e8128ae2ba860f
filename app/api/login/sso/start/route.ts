import { connection } from "next/server";
import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { idpRedirectForFlow } from "@/lib/sso/sign-in";

// GET /api/login/sso/start — SSO_REDIRECT: send the browser to its org's identity provider
export const GET = route(async () => {
  await connection();
  return NextResponse.redirect(await idpRedirectForFlow(), 303);
});
