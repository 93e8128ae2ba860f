import { connection, NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { handleOidcCallback } from "@/lib/sso/sign-in";

// GET /api/sso/oidc/callback — the redirect URI of every OIDC connection: redeem the IdP's answer
export const GET = route(async ({ req, context }) => {
  await connection();
  const user = await getCurrentUser();
  const { redirect } = await handleOidcCallback(req.nextUrl.searchParams, context, user?.id ?? null);
  return NextResponse.redirect(new URL(redirect, getEnv().APP_URL ?? req.nextUrl.origin), 303);
});
