"use client";

import { EmailLinkAction } from "@/components/login/email-link-action";

export function ConfirmEmailLink({ token }: { token: string }) {
  return (
    <EmailLinkAction
      token={token}
      endpoint="/api/login/confirm-email"
      title="Confirm your email"
      description="Press the button to confirm this address."
      actionLabel="Confirm my email"
      done={(r) =>
        r.continueSignIn
          ? { message: "Email confirmed. Continuing your sign-in…", href: "/login", label: "Continue", auto: true }
          : { message: "Email confirmed. You can close this tab, or sign in here.", href: "/login", label: "Sign in" }
      }
    />
  );
}
