"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { loginKeys } from "@/lib/queries/login/keys";
import { useLoginStep } from "@/lib/queries/login/use-login-step";
import { StepCard, StepError } from "./step-card";

interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** TWO_FACTOR_ENROLLMENT_REQUIRED: scan or type the secret, confirm with a code, then save the backup codes. */
export function EnrollInMfa() {
  const queryClient = useQueryClient();
  const start = useLoginStep<object, Enrollment>("mfa/enroll", { advance: false });
  const confirm = useLoginStep<{ code: string }, { backupCodes: string[] }>("mfa/confirm", { advance: false });
  const [codes, setCodes] = useState<string[] | null>(null);
  const { mutate: startEnrollment } = start;
  useEffect(() => startEnrollment({}), [startEnrollment]);

  if (codes) {
    return (
      <StepCard title="Save your backup codes" testId="backup-codes-step" description="Each code works once if you lose your authenticator. They are shown only now.">
        <ul data-testid="backup-codes" className="grid grid-cols-2 gap-2 rounded-md border p-3 font-mono text-sm">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" onClick={() => void navigator.clipboard?.writeText(codes.join("\n"))}>
            Copy codes
          </Button>
          <Button onClick={() => void queryClient.invalidateQueries({ queryKey: loginKeys.state() })}>I saved my backup codes</Button>
        </div>
      </StepCard>
    );
  }

  const error = confirm.error?.message;
  return (
    <StepCard title="Set up two-factor authentication" testId="enroll-in-mfa" description="Scan the QR code with an authenticator app, or type the key, then enter the 6-digit code it shows.">
      {start.data ? (
        <div className="grid justify-items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
          <img src={start.data.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} className="rounded-md border bg-white p-2" />
          <p className="text-sm text-muted-foreground">Or enter this key:</p>
          <code data-testid="mfa-secret" className="break-all rounded bg-muted px-2 py-1 font-mono text-sm">
            {start.data.secret}
          </code>
        </div>
      ) : start.error ? (
        <StepError message={start.error.message} />
      ) : (
        <Skeleton className="mx-auto size-[200px]" />
      )}
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          const code = String(new FormData(e.currentTarget).get("code") ?? "").trim();
          confirm.mutate({ code }, { onSuccess: (r) => setCodes(r.backupCodes) });
        }}
      >
        <FormField label="6-digit code" id="mfa-code" error={error}>
          <Input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required {...fieldA11y("mfa-code", error)} />
        </FormField>
        <Button type="submit" disabled={confirm.isPending || !start.data}>
          Turn on two-factor authentication
        </Button>
      </form>
    </StepCard>
  );
}
