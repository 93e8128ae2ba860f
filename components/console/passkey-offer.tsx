"use client";

import { useEffect, useState } from "react";
import { passkeyErrorMessage, registerPasskey } from "@/components/login/passkey-ceremony";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { toast } from "sonner";
import { fetchJson } from "@/lib/queries/fetch-json";

/**
 * Offered once after sign-in, to a user without a passkey, when this device has a passkey
 * authenticator (screen lock). Showing it marks it offered, so it does not come back.
 */
export function PasskeyOffer() {
  const [show, setShow] = useState(false);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const supported = await window.PublicKeyCredential?.isUserVerifyingPlatformAuthenticatorAvailable?.().catch(() => false);
      if (!supported || cancelled) return;
      const { first } = await fetchJson<{ first: boolean }>("/api/account/passkeys/offer", { method: "POST", json: {} });
      if (first && !cancelled) setShow(true);
    })().catch(() => {});
    return () => {
      cancelled = true;
    };
  }, []);
  if (!show) return null;
  return (
    <Card data-testid="passkey-offer">
      <CardHeader>
        <CardTitle>Sign in faster with a passkey</CardTitle>
        <CardDescription>Use this device&apos;s screen lock instead of a password and a code. You can manage passkeys on your account page.</CardDescription>
      </CardHeader>
      <CardContent className="flex gap-2">
        <Button
          disabled={pending}
          onClick={() => {
            setPending(true);
            registerPasskey("/api/account/passkeys/options", "/api/account/passkeys", "This device")
              .then(
                () => {
                  toast.success("Passkey added");
                  setShow(false);
                },
                (err: unknown) => toast.error(passkeyErrorMessage(err)),
              )
              .finally(() => setPending(false));
          }}
        >
          Add a passkey
        </Button>
        <Button variant="ghost" onClick={() => setShow(false)}>
          Not now
        </Button>
      </CardContent>
    </Card>
  );
}
