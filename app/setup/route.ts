import { connection, type NextRequest, NextResponse } from "next/server";
import { getEnv } from "@/lib/env";
import { cookieName, hostCookieOptions } from "@/lib/http/cookies";
import { SETUP_COOKIE, setupTokenValid } from "@/lib/setup";

// GET /setup?token=… — the one-time link printed at start: moves the token into a cookie scoped to
// the setup pages and continues to the form. 404 once a platform admin exists, or for any other token.
export async function GET(req: NextRequest) {
  await connection();
  const token = req.nextUrl.searchParams.get("token");
  const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
  if (!(await setupTokenValid(token))) {
    return NextResponse.json({ error: { code: "not_found", message: "Not found." } }, { status: 404, headers });
  }
  const { APP_URL } = getEnv();
  const res = NextResponse.redirect(new URL("/setup/admin", APP_URL), { status: 303, headers });
  res.cookies.set(cookieName(SETUP_COOKIE), token!, { ...hostCookieOptions(), sameSite: "strict", maxAge: 3600 });
  return res;
}
