import { signIn } from "@/lib/auth";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { AppError } from "@/lib/errors";
import { isFormPost } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";
import { clearFlowCookie, currentFlow } from "@/lib/login-flow/flow";
import { rememberSignInDevice } from "@/lib/login-flow/device-sign-in";
import { formPostStep } from "@/lib/login-flow/form-post";

const notFinished = () => new AppError(409, "wrong_state", "Your sign-in is not finished yet.");

/** Open the session (the Auth.js "login-flow" provider consumes the flow once); where to go next. */
async function complete(): Promise<string> {
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
  if (flow.userId && flow.email) await rememberSignInDevice(flow.userId, flow.email);
  return redirectTo;
}

// POST /api/login/complete — LOGGED_IN: open the session. JSON from the sign-in page; a plain form
// post (no JavaScript) gets a 303 to where the user was going.
export const POST = loginRoute(async ({ req }) => {
  if (isFormPost(req)) return formPostStep(null, complete);
  return json({ redirectTo: await complete() });
});

export const OPTIONS = loginPreflight;
