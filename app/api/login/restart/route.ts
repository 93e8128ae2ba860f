import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";
import { clearFlowCookie } from "@/lib/login-flow/flow";

// POST /api/login/restart — forget this browser's pending sign-in ("use another account")
export const POST = loginRoute(async () => {
  await clearFlowCookie();
  return json({ ok: true });
});

export const OPTIONS = loginPreflight;
