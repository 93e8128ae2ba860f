import { cookies } from "next/headers";
import { readJson } from "@/lib/http/body";
import { cookieName } from "@/lib/http/cookies";
import { json, sameOriginRoute } from "@/lib/http/route";
import { createFirstAdmin, SETUP_COOKIE, setupSchema } from "@/lib/setup";

// POST /api/setup — first-run setup: create the first platform admin with the setup cookie's token
export const POST = sameOriginRoute(async ({ req, context }) => {
  const input = await readJson(req, setupSchema);
  const jar = await cookies();
  const admin = await createFirstAdmin(jar.get(cookieName(SETUP_COOKIE))?.value, input, context);
  jar.delete(cookieName(SETUP_COOKIE));
  return json({ email: admin.email }, { status: 201 });
});
