import { signIn } from "@/lib/auth";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { AppError } from "@/lib/errors";
import { json, sameOriginRoute } from "@/lib/http/route";
import { clearFlowCookie, currentFlow } from "@/lib/login-flow/flow";

const notFinished = () => new AppError(409, "wrong_state", "Your sign-in is not finished yet.");

// POST /api/login/complete — LOGGED_IN: open the session (Auth.js "login-flow" provider consumes the flow once)
export const POST = sameOriginRoute(async () => {
  const flow = await currentFlow();
  if (!flow) throw notFinished();
  const redirectTo = safeNextPath(flow.returnTo);
  let url: unknown;
  try {
    url = await signIn("login-flow", { redirect: false, redirectTo });
  } catch (err) {
    if ((err as { type?: string }).type === "CredentialsSignin") throw notFinished();
    throw err;
  }
  if (typeof url === "string" && url.includes("error=")) throw notFinished();
  await clearFlowCookie();
  return json({ redirectTo });
});
