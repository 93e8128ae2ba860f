import { credentialsSchema, signInWithPassword } from "@/lib/login-flow/sign-in";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/password — LOGIN_REQUIRED: email and password start a pending sign-in
export const POST = sameOriginRoute(async ({ req, context }) => {
  await signInWithPassword(await readJson(req, credentialsSchema), context);
  return json({ ok: true });
});
