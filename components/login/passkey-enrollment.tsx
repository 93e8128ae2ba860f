"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { EnrollInMfa } from "./enroll-in-mfa";
import { passkeyErrorMessage, passkeysSupported, registerPasskey } from "./passkey-ceremony";
import { PasskeyOnGatehouse } from "./passkey-second-factor";
import { StepCard } from "./step-card";
import { useHydrated, useLoginKit } from "./login-kit";

/**
 * TWO_FACTOR_ENROLLMENT_REQUIRED: an authenticator app or, where the browser can, a passkey; where an
 * org requires a phishing-resistant factor, a passkey only. On another origin than Gatehouse no passkey
 * is offered: the app only, or (passkey required) a link to finish on Gatehouse's own page.
 */
export function PasskeyEnrollment({ totp }: { totp: boolean }) {
  const kit = useLoginKit();
  const supported = useHydrated() && kit.sameOrigin && passkeysSupported();
  const [choice, setChoice] = useState<"app" | "passkey">(totp ? "app" : "passkey");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  if (choice === "app" && totp) {
    return (
      <div className="grid w-full max-w-md gap-2">
        <EnrollInMfa />
        {supported && (
          <Button variant="link" className="justify-self-center" onClick={() => setChoice("passkey")} data-testid="enroll-passkey-instead">
            Add a passkey instead
          </Button>
        )}
      </div>
    );
  }
  if (!kit.sameOrigin) return <PasskeyOnGatehouse title="Add a passkey" reason="Your organization requires a passkey." />;
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
          <Button variant="link" className="h-auto p-0" onClick={() => setChoice("app")}>
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
              () => kit.refresh(),
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
