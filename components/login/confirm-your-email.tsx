"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLoginStep } from "./login-kit";
import { StepCard, StepError } from "./step-card";

/** EMAIL_NOT_CONFIRMED_YET: check your inbox; resend; fix a mistyped address. */
export function ConfirmYourEmail({ email }: { email: string | null }) {
  const [changing, setChanging] = useState(false);
  const [notice, setNotice] = useState<string>();
  const resend = useLoginStep<object>("resend", { advance: false });
  const change = useLoginStep<{ email: string }>("change-email");
  return (
    <StepCard
      title="Check your inbox"
      testId="confirm-your-email"
      description={
        <>
          We sent a confirmation link to <strong>{email}</strong>. Open it to continue; this page moves on by itself.
        </>
      }
    >
      <p aria-live="polite" className="text-sm text-muted-foreground">
        {notice}
      </p>
      <StepError message={resend.error?.message ?? change.error?.message} />
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" disabled={resend.isPending} onClick={() => resend.mutate({}, { onSuccess: () => setNotice("Sent again. It can take a minute.") })}>
          Resend the email
        </Button>
        <Button variant="ghost" onClick={() => setChanging((c) => !c)}>
          Change email address
        </Button>
      </div>
      {changing && (
        <form
          className="grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const next = String(new FormData(e.currentTarget).get("new-email") ?? "");
            change.mutate({ email: next }, { onSuccess: () => { setChanging(false); setNotice("We sent a new link to the new address."); } });
          }}
        >
          <FormField label="New email address" id="new-email">
            <Input id="new-email" name="new-email" type="email" required />
          </FormField>
          <Button type="submit" disabled={change.isPending}>
            Use this address
          </Button>
        </form>
      )}
    </StepCard>
  );
}
