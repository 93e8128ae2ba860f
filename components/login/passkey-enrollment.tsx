"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { loginKeys } from "@/lib/queries/login/keys";
import { EnrollInMfa } from "./enroll-in-mfa";
import { passkeyErrorMessage, registerPasskey } from "./passkey-ceremony";
import { StepCard } from "./step-card";

/**
 * TWO_FACTOR_ENROLLMENT_REQUIRED: add a passkey, or (unless an org requires a phishing-resistant
 * factor) set up an authenticator app instead.
 */
export function PasskeyEnrollment({ totp }: { totp: boolean }) {
  const queryClient = useQueryClient();
  const [useApp, setUseApp] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  if (useApp) return <EnrollInMfa />;
  return (
    <StepCard
      title="Add a passkey"
      testId="enroll-passkey"
      description={
        totp
          ? "Your account needs a second factor. A passkey uses your device's screen lock or a security key."
          : "Your organization requires a passkey. It uses your device's screen lock or a security key."
      }
      footer={
        totp && (
          <Button variant="link" className="h-auto p-0" onClick={() => setUseApp(true)}>
            Use an authenticator app instead
          </Button>
        )
      }
    >
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get("name") ?? "").trim() || "Passkey";
          setPending(true);
          setError(undefined);
          registerPasskey("/api/login/passkey/options", "/api/login/passkey/enroll", name)
            .then(
              () => queryClient.invalidateQueries({ queryKey: loginKeys.state() }),
              (err: unknown) => setError(passkeyErrorMessage(err)),
            )
            .finally(() => setPending(false));
        }}
      >
        <FormField label="Passkey name" id="passkey-name" error={error}>
          <Input name="name" defaultValue="My passkey" maxLength={60} required {...fieldA11y("passkey-name", error)} />
        </FormField>
        <Button type="submit" disabled={pending} data-testid="add-passkey">
          {pending ? "Waiting for your passkey…" : "Add a passkey"}
        </Button>
      </form>
    </StepCard>
  );
}
