import { json, sameOriginRoute } from "@/lib/http/route";
import { clearFlowCookie } from "@/lib/login-flow/flow";

// POST /api/login/restart — forget this browser's pending sign-in ("use another account")
export const POST = sameOriginRoute(async () => {
  await clearFlowCookie();
  return json({ ok: true });
});
