"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useAction, useLoginKit } from "./login-kit";
import { StepCard, StepError } from "./step-card";

/** Ask for a password-reset link. The answer is the same whether or not the address has an account. */
export function RequestPasswordReset() {
  const { call, baseUrl } = useLoginKit();
  const request = useAction<string, unknown>((email) => call("/api/login/reset/request", { email }));
  return (
    <StepCard
      title="Reset your password"
      testId="request-password-reset"
      focusHeading={false}
      description="We will mail you a link to set a new password."
      footer={<Link href={`${baseUrl}/login`} className="underline-offset-4 hover:underline">Back to sign-in</Link>}
    >
      {request.isSuccess ? (
        <p aria-live="polite" data-testid="reset-requested">
          If that address has an account, a reset link is on its way. It works once, for 30 minutes.
        </p>
      ) : (
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            request.mutate(String(new FormData(e.currentTarget).get("email") ?? ""));
          }}
        >
          <FormField label="Email" id="reset-email">
            <Input id="reset-email" name="email" type="email" autoComplete="username" required autoFocus />
          </FormField>
          <StepError message={request.error?.message} />
          <Button type="submit" disabled={request.isPending}>
            Send reset link
          </Button>
        </form>
      )}
    </StepCard>
  );
}
