"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { loginPasskey, passkeyErrorMessage } from "./passkey-ceremony";
import { StepCard, StepError } from "./step-card";
import { VerifyMfa } from "./verify-mfa";
import { useLoginKit } from "./login-kit";

/**
 * A passkey step where the kit runs on another origin than Gatehouse: a passkey is bound to Gatehouse's
 * origin, so the step is finished on Gatehouse's own sign-in page (the pending sign-in is its cookie).
 */
export function PasskeyOnGatehouse({ title, reason }: { title: string; reason: string }) {
  const kit = useLoginKit();
  return (
    <StepCard title={title} testId="passkey-on-gatehouse" description={`${reason} Passkeys work on ${kit.productName}'s own sign-in page: continue there.`}>
      <Button asChild>
        <a href={`${kit.baseUrl}/login`}>Continue on {kit.productName}</a>
      </Button>
    </StepCard>
  );
}

/**
 * TWO_FACTOR_REQUIRED with a passkey: use it, or (if the user has one and it is allowed) the
 * authenticator app. On another origin than Gatehouse: the app, or a link to Gatehouse's own page.
 */
export function PasskeySecondFactor({ totp, attemptsLeft }: { totp: boolean; attemptsLeft?: number }) {
  const kit = useLoginKit();
  const [useApp, setUseApp] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  if (useApp || (!kit.sameOrigin && totp)) return <VerifyMfa attemptsLeft={attemptsLeft} />;
  if (!kit.sameOrigin) return <PasskeyOnGatehouse title="Confirm it's you" reason="Your account signs in with a passkey." />;
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
