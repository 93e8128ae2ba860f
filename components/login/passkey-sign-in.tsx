"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { autofillSupported, cancelCeremony, loginPasskey, passkeyErrorMessage, passkeysSupported } from "./passkey-ceremony";
import { StepError } from "./step-card";
import { isSameOrigin, useHydrated, useLoginKit } from "./login-kit";

/**
 * LOGIN_REQUIRED: "Sign in with a passkey", and conditional UI (passkeys offered in the email
 * field's autofill), armed after the page has painted. No password is asked: a passkey with user
 * verification is both factors. Not offered when the kit runs on another origin than Gatehouse (a
 * passkey is bound to Gatehouse's origin).
 */
export function PasskeySignIn({ returnTo }: { returnTo: string }) {
  const kit = useLoginKit();
  // Known only in the browser: until the page hydrates the button is not shown.
  const supported = useHydrated() && kit.sameOrigin && passkeysSupported();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const done = () => void kit.refresh();

  useEffect(() => {
    // Runs once, after hydration: the page's origin is compared here, not taken from the first render.
    if (!passkeysSupported() || !isSameOrigin(kit.baseUrl)) return;
    let cancelled = false;
    // After first paint: the WebAuthn code is fetched now, not with the page.
    const timer = setTimeout(() => {
      void autofillSupported().then((ok) => {
        if (!ok || cancelled) return;
        loginPasskey({ returnTo, autofill: true }).then(done, (err: unknown) => {
          // An aborted autofill request (the button was used instead, or the page moved on) is no error.
          const name = (err as { name?: string }).name;
          if (!cancelled && name !== "AbortError" && name !== "NotAllowedError") setError(passkeyErrorMessage(err));
        });
      });
    }, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      // The page moved on: the pending autofill request must not answer a later step.
      void cancelCeremony();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- armed once per page view
  }, []);

  if (!supported) return null;
  return (
    <div className="grid gap-2">
      <Button
        type="button"
        variant="outline"
        data-testid="passkey-sign-in"
        disabled={pending}
        onClick={() => {
          setPending(true);
          setError(undefined);
          loginPasskey({ returnTo })
            .then(done, (err: unknown) => setError(passkeyErrorMessage(err)))
            .finally(() => setPending(false));
        }}
      >
        {pending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
      <StepError message={error} testId="passkey-error" />
    </div>
  );
}
