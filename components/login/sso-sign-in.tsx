"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLoginStep } from "./login-kit";
import { StepError } from "./step-card";

/**
 * LOGIN_REQUIRED, enterprise single sign-on: the work email decides the identity provider
 * (home-realm discovery). Shown under the password form; opens on demand.
 */
export function SsoSignIn({ returnTo }: { returnTo: string }) {
  const [open, setOpen] = useState(false);
  const sso = useLoginStep<{ email: string; returnTo: string }>("sso");
  if (!open) {
    return (
      <Button variant="outline" className="w-full max-w-md" onClick={() => setOpen(true)} data-testid="sso-open">
        Use single sign-on (SSO)
      </Button>
    );
  }
  return (
    <form
      className="grid w-full max-w-md gap-3 rounded-lg border p-4"
      data-testid="sso-sign-in"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const email = String(new FormData(e.currentTarget).get("email") ?? "");
        sso.mutate({ email, returnTo });
      }}
    >
      <FormField label="Work email" id="sso-email" description="We send you to your organization's identity provider.">
        <Input id="sso-email" name="email" type="email" autoComplete="username" required autoFocus />
      </FormField>
      <StepError message={sso.error?.message} testId="sso-error" />
      <Button type="submit" disabled={sso.isPending}>
        {sso.isPending ? "Please wait…" : "Continue with SSO"}
      </Button>
    </form>
  );
}
