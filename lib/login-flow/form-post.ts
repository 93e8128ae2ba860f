import "server-only";
import { NextResponse } from "next/server";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { AppError } from "@/lib/errors";

/** The errors `/login?error=…` can show after a plain form post; anything else reads as `failed`. */
export const FORM_POST_ERRORS = {
  invalid_credentials: "That email and password do not match an account.",
  rate_limited: "Too many attempts. Wait a few minutes, then try again.",
  account_locked: "Password sign-in is locked for this account after too many failed attempts. Reset your password or ask for a sign-in link.",
  invalid_input: "Enter a valid email address and your password.",
  wrong_state: "Your sign-in has moved on: here is where it stands.",
  failed: "Something went wrong. Try again.",
  sso_failed: "Single sign-on did not complete. Try again, or ask your IT team; the reason is in your organization's audit log.",
  sso_required: "Your organization requires single sign-on: choose \"Use single sign-on (SSO)\".",
  no_sso: "Single sign-on is not set up for that address. Sign in with your password or a sign-in link.",
} as const;
export type FormPostError = keyof typeof FORM_POST_ERRORS;

const seeOther = (location: string) => new NextResponse(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });

/**
 * A sign-in step posted as a plain HTML form (the page works without JavaScript): run it, then send
 * the browser to `to` (default: back to `/login`, which renders the next state) with 303, or back
 * to `/login?error=<code>` when it failed. Only known error codes travel in the URL, never messages.
 */
export async function formPostStep(returnTo: string | null, run: () => Promise<string | void>): Promise<NextResponse> {
  try {
    return seeOther((await run()) || "/login");
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const code: FormPostError = err.code in FORM_POST_ERRORS ? (err.code as FormPostError) : "failed";
    const next = safeNextPath(returnTo);
    return seeOther(`/login?error=${code}${next !== "/" ? `&next=${encodeURIComponent(next)}` : ""}`);
  }
}
