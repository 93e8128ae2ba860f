"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { useMfaMutation, useMfaStatus } from "@/lib/queries/account/use-mfa";

type Enrollment = { secret: string; qrDataUrl: string };
type Codes = { backupCodes: string[] };

/** Two-factor authentication on the account page: turn on, new backup codes, turn off (each with a fresh code). */
export function AccountMfa() {
  const status = useMfaStatus();
  const enroll = useMfaMutation<object, Enrollment>("/api/account/mfa/enroll", "POST", "Scan the code to continue");
  const confirm = useMfaMutation<{ code: string }, Codes>("/api/account/mfa/confirm", "POST", "Two-factor authentication is on");
  const regenerate = useMfaMutation<{ code: string }, Codes>("/api/account/mfa/backup-codes", "POST", "New backup codes created");
  const remove = useMfaMutation<{ code: string }, unknown>("/api/account/mfa", "DELETE", "Two-factor authentication is off");
  const [action, setAction] = useState<"regenerate" | "remove" | null>(null);
  const codes = confirm.data?.backupCodes ?? regenerate.data?.backupCodes;

  if (status.isPending) return <Skeleton className="h-24" />;
  if (codes) {
    return (
      <div className="grid gap-3">
        <p className="text-sm">Save these backup codes now. Each works once; they are not shown again.</p>
        <ul data-testid="backup-codes" className="grid grid-cols-2 gap-2 rounded-md border p-3 font-mono text-sm sm:grid-cols-5">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <Button className="justify-self-start" onClick={() => { confirm.reset(); regenerate.reset(); }}>
          Done
        </Button>
      </div>
    );
  }
  if (!status.data?.enrolled) {
    return (
      <div className="grid gap-3">
        <p className="text-sm">
          Two-factor authentication is <Badge variant="outline">off</Badge>
        </p>
        {enroll.data ? (
          <CodeForm
            id="enroll-code"
            label="6-digit code from your app"
            submitLabel="Turn on"
            pending={confirm.isPending}
            error={confirm.error?.message}
            onSubmit={(code) => confirm.mutate({ code })}
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
            <img src={enroll.data.qrDataUrl} alt="QR code for your authenticator app" width={160} height={160} className="rounded-md border bg-white p-2" />
            <code className="break-all font-mono text-sm">{enroll.data.secret}</code>
          </CodeForm>
        ) : (
          <Button className="justify-self-start" onClick={() => enroll.mutate({})} disabled={enroll.isPending}>
            Set up two-factor authentication
          </Button>
        )}
      </div>
    );
  }
  const pending = action === "remove" ? remove : regenerate;
  return (
    <div className="grid gap-3">
      <p className="text-sm">
        Two-factor authentication is <Badge variant="success">on</Badge> · {status.data.backupCodesLeft} backup codes left
      </p>
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => setAction("regenerate")}>
          New backup codes
        </Button>
        <Button variant="destructive" onClick={() => setAction("remove")}>
          Turn off
        </Button>
      </div>
      {action && (
        <CodeForm
          id="mfa-manage-code"
          label="Enter a fresh code from your app to confirm"
          submitLabel={action === "remove" ? "Turn off two-factor" : "Create new backup codes"}
          pending={pending.isPending}
          error={pending.error?.message}
          onSubmit={(code) => pending.mutate({ code }, { onSuccess: () => setAction(null) })}
        />
      )}
    </div>
  );
}

function CodeForm({
  id,
  label,
  submitLabel,
  pending,
  error,
  onSubmit,
  children,
}: {
  id: string;
  label: string;
  submitLabel: string;
  pending: boolean;
  error?: string;
  onSubmit: (code: string) => void;
  children?: React.ReactNode;
}) {
  return (
    <form
      className="grid max-w-sm gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(String(new FormData(e.currentTarget).get("code") ?? "").trim());
      }}
    >
      {children}
      <FormField label={label} id={id} error={error}>
        <Input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...fieldA11y(id, error)} />
      </FormField>
      <Button type="submit" disabled={pending} className="justify-self-start">
        {submitLabel}
      </Button>
    </form>
  );
}
