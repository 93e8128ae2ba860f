import { fillMissingProperties, propertiesSchema } from "@/lib/login-flow/profile-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/properties — USER_MISSING_REQUIRED_PROPERTIES: fill in the missing fields
export const POST = sameOriginRoute(async ({ req, context }) => {
  await fillMissingProperties(await readJson(req, propertiesSchema), context);
  return json({ ok: true });
});
