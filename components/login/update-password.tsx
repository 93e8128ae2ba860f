"use client";

import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLoginStep } from "@/lib/queries/login/use-login-step";
import { StepCard } from "./step-card";

/** UPDATE_PASSWORD_REQUIRED: choose a new password before going on. */
export function UpdatePassword({ passwordMinLength }: { passwordMinLength: number }) {
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
        <FormField label="New password" id="new-password" error={error} description={`At least ${passwordMinLength} characters.`}>
          <Input name="password" type="password" autoComplete="new-password" required {...fieldA11y("new-password", error)} />
        </FormField>
        <Button type="submit" disabled={step.isPending}>
          Save password
        </Button>
      </form>
    </StepCard>
  );
}
