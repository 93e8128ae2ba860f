"use client";

import { Button } from "@/components/ui/button";
import { type PasswordPolicy, useLoginStep } from "./login-kit";
import { PasswordField } from "./password-field";
import { StepCard } from "./step-card";

/** UPDATE_PASSWORD_REQUIRED: choose a new password before going on. */
export function UpdatePassword({ passwordMinLength, passwordPolicy }: { passwordMinLength: number; passwordPolicy?: PasswordPolicy }) {
  const step = useLoginStep<{ password: string }>("update-password");
  const error = step.error?.fields?.password ?? step.error?.message;
  return (
    <StepCard title="Choose a new password" testId="update-password" description="Your password must be changed before you continue.">
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          step.mutate({ password: String(new FormData(e.currentTarget).get("password") ?? "") });
        }}
      >
        <PasswordField
          id="new-password"
          label="New password"
          autoComplete="new-password"
          policy={passwordPolicy ?? { minLength: passwordMinLength, maxLength: 1024 }}
          error={error ?? ""}
        />
        <Button type="submit" disabled={step.isPending}>
          Save password
        </Button>
      </form>
    </StepCard>
  );
}
