"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useHydrated, useLoginKit, useLoginStep } from "./login-kit";
import { StepError } from "./step-card";

/** `?sso=1` opens the SSO form: the link works before hydration and without JavaScript. */
const SSO_PARAM = "sso";

/**
 * LOGIN_REQUIRED, enterprise single sign-on: the work email decides the identity provider
 * (home-realm discovery). Shown under the password form; opens on demand. Without JavaScript (or
 * before hydration) the link reloads the page with the form open, and the form posts as plain HTML.
 */
export function SsoSignIn({ returnTo, initiallyOpen = false }: { returnTo: string; initiallyOpen?: boolean }) {
  const { baseUrl } = useLoginKit();
  const [opened, setOpen] = useState(initiallyOpen);
  // In an app that embeds the kit the server did not read the query: read it once hydrated.
  const hydrated = useHydrated();
  const open = opened || (hydrated && new URLSearchParams(window.location.search).get(SSO_PARAM) === "1");
  const email = useRef<HTMLInputElement>(null);
  const sso = useLoginStep<{ email: string; returnTo: string }>("sso");
  useEffect(() => {
    if (open) email.current?.focus();
  }, [open]);
  if (!open) {
    const query = new URLSearchParams({ [SSO_PARAM]: "1", ...(returnTo !== "/" ? { next: returnTo } : {}) });
    return (
      <Button variant="outline" className="w-full max-w-md" asChild>
        <a
          href={`?${query}`}
          data-testid="sso-open"
          onClick={(e) => {
            e.preventDefault();
            setOpen(true);
          }}
        >
          Use single sign-on (SSO)
        </a>
      </Button>
    );
  }
  return (
    <form
      className="grid w-full max-w-md gap-3 rounded-lg border p-4"
      data-testid="sso-sign-in"
      action={`${baseUrl}/api/login/sso`}
      method="post"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const value = String(new FormData(e.currentTarget).get("email") ?? "");
        sso.mutate({ email: value, returnTo });
      }}
    >
      <input type="hidden" name="returnTo" value={returnTo} />
      <FormField label="Work email" id="sso-email" description="We send you to your organization's identity provider.">
        <Input ref={email} id="sso-email" name="email" type="email" autoComplete="username" required />
      </FormField>
      <StepError message={sso.error?.message} testId="sso-error" />
      <Button type="submit" disabled={sso.isPending}>
        {sso.isPending ? "Please wait…" : "Continue with SSO"}
      </Button>
    </form>
  );
}
