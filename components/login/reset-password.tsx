"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { gatehouseCall, type PasswordPolicy, useAction } from "./login-kit";
import { PasswordField } from "./password-field";
import { StepCard } from "./step-card";

/** Set a new password from a mailed reset link. */
export function ResetPassword({ token, passwordMinLength, passwordPolicy }: { token: string; passwordMinLength: number; passwordPolicy?: PasswordPolicy }) {
  const reset = useAction<string, unknown>((password) => gatehouseCall("", "/api/login/reset", { token, password }));
  if (reset.isSuccess) {
    return (
      <StepCard title="Password changed" testId="password-reset-done">
        <p aria-live="polite">Your password is set, and every other session was signed out.</p>
        <Button asChild>
          <Link href="/login">Sign in</Link>
        </Button>
      </StepCard>
    );
  }
  const error = reset.error?.fields?.password ?? reset.error?.message;
  return (
    <StepCard title="Set a new password" testId="reset-password">
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate(String(new FormData(e.currentTarget).get("password") ?? ""));
        }}
      >
        <PasswordField
          id="reset-new-password"
          label="New password"
          autoComplete="new-password"
          policy={passwordPolicy ?? { minLength: passwordMinLength, maxLength: 1024 }}
          error={error ?? ""}
        />
        <Button type="submit" disabled={reset.isPending}>
          Set password
        </Button>
      </form>
    </StepCard>
  );
}
