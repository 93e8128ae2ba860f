import type { Metadata } from "next";
import { LoginStateManager, type LoginStateResponse } from "@/components/login/login-state-manager";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getBrand } from "@/lib/brand";
import { FORM_POST_ERRORS, type FormPostError } from "@/lib/login-flow/form-post";
import { loginStateResponse } from "@/lib/login-flow/state-response";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string; sso?: string }> }) {
  const { next, error, sso } = await searchParams;
  // Rendered with the current state, so the first step shows (and posts as a plain form) without JavaScript.
  const initial = JSON.parse(JSON.stringify(await loginStateResponse())) as LoginStateResponse;
  const initialError = error && error in FORM_POST_ERRORS ? FORM_POST_ERRORS[error as FormPostError] : undefined;
  const { productName, logoUrl, supportUrl } = getBrand();
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <LoginStateManager returnTo={safeNextPath(next)} initial={initial} initialError={initialError} ssoOpen={sso === "1"} brand={{ productName, logoUrl, supportUrl }} />
    </main>
  );
}
