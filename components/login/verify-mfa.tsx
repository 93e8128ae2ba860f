"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLoginStep } from "./login-kit";
import { StepCard } from "./step-card";

/** TWO_FACTOR_REQUIRED: a code from the authenticator, or a backup code. */
export function VerifyMfa({ attemptsLeft }: { attemptsLeft?: number }) {
  const [backup, setBackup] = useState(false);
  const step = useLoginStep<{ code: string } | { backupCode: string }>("mfa/verify");
  const error = step.error?.message;
  const id = backup ? "backup-code" : "mfa-code";
  return (
    <StepCard
      title="Two-factor authentication"
      testId="verify-mfa"
      description={backup ? "Enter one of your backup codes. Each works once." : "Enter the 6-digit code from your authenticator app."}
      footer={
        <Button variant="link" className="h-auto p-0" onClick={() => { setBackup((b) => !b); step.reset(); }}>
          {backup ? "Use your authenticator app" : "Use a backup code"}
        </Button>
      }
    >
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          const value = String(new FormData(e.currentTarget).get("code") ?? "").trim();
          step.mutate(backup ? { backupCode: value } : { code: value });
        }}
      >
        <FormField
          key={id}
          label={backup ? "Backup code" : "6-digit code"}
          id={id}
          error={error}
          description={attemptsLeft !== undefined && attemptsLeft < 5 ? `${attemptsLeft} attempts left.` : undefined}
        >
          <Input name="code" autoComplete="one-time-code" inputMode={backup ? "text" : "numeric"} required {...fieldA11y(id, error)} />
        </FormField>
        <Button type="submit" disabled={step.isPending}>
          Verify
        </Button>
      </form>
    </StepCard>
  );
}
