import { joinOrganization, joinSchema } from "@/lib/login-flow/join-steps";
import { readJson } from "@/lib/http/body";
import { json, sameOriginRoute } from "@/lib/http/route";

// POST /api/login/join — USER_MUST_BE_IN_AT_LEAST_ONE_ORG: accept an invitation, join by domain or create an org
export const POST = sameOriginRoute(async ({ req, context }) => {
  return json(await joinOrganization(await readJson(req, joinSchema), context));
});
