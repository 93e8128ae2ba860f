"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { loginPasskey, passkeyErrorMessage } from "./passkey-ceremony";
import { StepCard, StepError } from "./step-card";
import { VerifyMfa } from "./verify-mfa";
import { useLoginKit } from "./login-kit";

/** TWO_FACTOR_REQUIRED with a passkey: use it, or (if the user has one and it is allowed) the authenticator app. */
export function PasskeySecondFactor({ totp, attemptsLeft }: { totp: boolean; attemptsLeft?: number }) {
  const kit = useLoginKit();
  const [useApp, setUseApp] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  if (useApp) return <VerifyMfa attemptsLeft={attemptsLeft} />;
  return (
    <StepCard
      title="Confirm it's you"
      testId="verify-passkey"
      description="Use your passkey to finish signing in."
      footer={
        totp && (
          <Button variant="link" className="h-auto p-0" onClick={() => setUseApp(true)}>
            Use your authenticator app
          </Button>
        )
      }
    >
      <StepError message={error} testId="passkey-error" />
      <Button
        disabled={pending}
        data-testid="use-passkey"
        onClick={() => {
          setPending(true);
          setError(undefined);
          loginPasskey()
            .then(
              () => kit.refresh(),
              (err: unknown) => {
                setError(passkeyErrorMessage(err));
                void kit.refresh();
              },
            )
            .finally(() => setPending(false));
        }}
      >
        {pending ? "Waiting for your passkey…" : "Use a passkey"}
      </Button>
    </StepCard>
  );
}
