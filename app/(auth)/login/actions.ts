"use server";

import { signIn } from "@/lib/auth";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { clearFlowCookie, currentFlow } from "@/lib/login-flow/flow";

export type CompleteResult = { ok: true; redirectTo: string } | { ok: false; error: { code: string; message: string } };

/**
 * LOGGED_IN → create the session through Auth.js (the "login-flow" provider consumes the pending
 * sign-in once) and say where to go.
 */
export async function completeSignIn(): Promise<CompleteResult> {
  const flow = await currentFlow();
  const redirectTo = safeNextPath(flow?.returnTo);
  let url: unknown;
  try {
    url = await signIn("login-flow", { redirect: false, redirectTo });
  } catch (err) {
    if ((err as { type?: string }).type === "CredentialsSignin") {
      return { ok: false, error: { code: "wrong_state", message: "Your sign-in is not finished yet." } };
    }
    throw err;
  }
  if (typeof url === "string" && url.includes("error=")) {
    return { ok: false, error: { code: "wrong_state", message: "Your sign-in is not finished yet." } };
  }
  await clearFlowCookie();
  return { ok: true, redirectTo };
}
