"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLoginKit, useLoginStep } from "./login-kit";
import { StepCard, StepError } from "./step-card";

interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** The key as people type it: groups of four. */
export function groupKey(secret: string): string {
  return secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

/** A button that copies text and says so. */
function CopyButton({ text, label, testId }: { text: string; label: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="outline"
      size="sm"
      data-testid={testId}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </Button>
  );
}

/** TWO_FACTOR_ENROLLMENT_REQUIRED: scan, tap or type the secret, confirm with a code, then save the backup codes. */
export function EnrollInMfa() {
  const kit = useLoginKit();
  const start = useLoginStep<object, Enrollment>("mfa/enroll", { advance: false });
  const confirm = useLoginStep<{ code: string }, { backupCodes: string[] }>("mfa/confirm", { advance: false });
  const [codes, setCodes] = useState<string[] | null>(null);
  const { mutate: startEnrollment } = start;
  useEffect(() => startEnrollment({}), [startEnrollment]);

  if (codes) {
    const text = `${kit.productName} backup codes\nEach code works once.\n\n${codes.join("\n")}\n`;
    return (
      <StepCard title="Save your backup codes" testId="backup-codes-step" description="Each code works once if you lose your authenticator. They are shown only now.">
        <ul data-testid="backup-codes" className="grid grid-cols-2 gap-2 rounded-md border p-3 font-mono text-sm">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" size="sm" asChild>
            <a data-testid="download-backup-codes" download="backup-codes.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}>
              Download .txt
            </a>
          </Button>
          <CopyButton text={codes.join("\n")} label="Copy codes" testId="copy-backup-codes" />
        </div>
        <Button onClick={() => void kit.refresh()}>I saved my backup codes</Button>
      </StepCard>
    );
  }

  const error = confirm.error?.message;
  return (
    <StepCard
      title="Set up two-factor authentication"
      testId="enroll-in-mfa"
      description="Scan the QR code with an authenticator app, open the link on this device, or type the key. Then enter the 6-digit code it shows."
    >
      {start.data ? (
        <div className="grid justify-items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
          <img src={start.data.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} className="rounded-md border bg-white p-2" />
          <Button asChild variant="outline" size="sm" className="h-auto min-h-8 py-1.5 whitespace-normal text-center">
            <a href={start.data.otpauthUrl} data-testid="otpauth-link">
              Open in an authenticator app on this device
            </a>
          </Button>
          <p className="text-sm text-muted-foreground" id="mfa-secret-label">
            Or enter this key:
          </p>
          <div className="flex flex-wrap items-center justify-center gap-2">
            <code data-testid="mfa-secret" aria-labelledby="mfa-secret-label" className="rounded bg-muted px-2 py-1 font-mono text-sm tracking-wide">
              {groupKey(start.data.secret)}
            </code>
            <CopyButton text={start.data.secret} label="Copy key" testId="copy-mfa-secret" />
          </div>
        </div>
      ) : start.error ? (
        <StepError message={start.error.message} />
      ) : (
        <div aria-hidden className="mx-auto size-[200px] animate-pulse rounded-md bg-accent" />
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
