"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { StepCard } from "./step-card";

/** Set a new password from a mailed reset link. */
export function ResetPassword({ token, passwordMinLength }: { token: string; passwordMinLength: number }) {
  const reset = useMutation<unknown, ApiError, string>({
    mutationFn: (password) => fetchJson("/api/login/reset", { method: "POST", json: { token, password } }),
  });
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
        <FormField label="New password" id="reset-new-password" error={error} description={`At least ${passwordMinLength} characters.`}>
          <Input name="password" type="password" autoComplete="new-password" required {...fieldA11y("reset-new-password", error)} />
        </FormField>
        <Button type="submit" disabled={reset.isPending}>
          Set password
        </Button>
      </form>
    </StepCard>
  );
}
