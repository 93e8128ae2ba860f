"use client";

import { EmailLinkAction } from "@/components/login/email-link-action";

export function MagicLink({ token }: { token: string }) {
  return (
    <EmailLinkAction
      token={token}
      endpoint="/api/login/magic-link/redeem"
      title="Sign in to Gatehouse"
      description="Press the button to sign in with this link. It works once."
      actionLabel="Sign in"
      done={() => ({ message: "Signing you in…", href: "/login", label: "Continue", auto: true })}
    />
  );
}
