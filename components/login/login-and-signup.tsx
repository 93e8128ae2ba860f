"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { type PasswordPolicy, useHydrated, useLoginKit, useLoginStep } from "./login-kit";
import { PasswordField } from "./password-field";
import { PasskeySignIn } from "./passkey-sign-in";
import { StepCard, StepError } from "./step-card";

type Mode = "sign-in" | "sign-up" | "magic-link";

/**
 * LOGIN_REQUIRED: sign in with a password, create an account, or get a sign-in link by mail. Without
 * JavaScript the password form still works: it posts to the same endpoint as a plain form.
 */
export function LoginAndSignup({
  returnTo,
  passwordMinLength,
  passwordPolicy,
  initialError,
}: {
  returnTo: string;
  passwordMinLength: number;
  passwordPolicy?: PasswordPolicy;
  initialError?: string;
}) {
  const { productName, baseUrl, sameOrigin } = useLoginKit();
  const policy = passwordPolicy ?? { minLength: passwordMinLength, maxLength: 1024 };
  const [email, setEmail] = useState("");
  const [mode, setMode] = useState<Mode>("sign-in");
  const [linkSent, setLinkSent] = useState(false);
  const signIn = useLoginStep<{ email: string; password: string; returnTo: string }>("password");
  const signUp = useLoginStep<{ email: string; password: string; returnTo: string }>("signup");
  const magic = useLoginStep<{ email: string; returnTo: string }>("magic-link", { advance: false });
  const step = mode === "sign-in" ? signIn : mode === "sign-up" ? signUp : magic;
  // Switching modes needs JavaScript: until the page hydrates, only the plain password form works.
  const hydrated = useHydrated();

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (mode === "magic-link") magic.mutate({ email, returnTo }, { onSuccess: () => setLinkSent(true) });
    else step.mutate({ email, password, returnTo } as never);
  }

  const title = mode === "sign-in" ? `Sign in to ${productName}` : mode === "sign-up" ? "Create your account" : "Sign in with a link";
  return (
    <StepCard
      title={title}
      testId="login-and-signup"
      focusHeading={false}
      description={mode === "sign-up" ? "Use your work email. We will send you a link to confirm it." : "Use your work email."}
      footer={
        <>
          {mode !== "sign-in" && (
            <Button variant="link" className="h-auto p-0" disabled={!hydrated} onClick={() => setMode("sign-in")}>
              Sign in with a password
            </Button>
          )}
          {mode !== "sign-up" && (
            <Button variant="link" className="h-auto p-0" disabled={!hydrated} onClick={() => setMode("sign-up")}>
              Create an account
            </Button>
          )}
          {mode !== "magic-link" && (
            <Button variant="link" className="h-auto p-0" disabled={!hydrated} onClick={() => { setMode("magic-link"); setLinkSent(false); }}>
              Email me a sign-in link
            </Button>
          )}
          <a href={`${baseUrl}/login/forgot`} className="underline-offset-4 hover:underline">
            Forgot your password?
          </a>
        </>
      }
    >
      {mode === "magic-link" && linkSent ? (
        <p data-testid="magic-link-sent">If that address has an account, a sign-in link is on its way. It works once, for 15 minutes.</p>
      ) : (
        <form
          onSubmit={submit}
          action={mode === "sign-in" ? `${baseUrl}/api/login/password` : undefined}
          method="post"
          className="grid gap-4"
          noValidate
        >
          <input type="hidden" name="returnTo" value={returnTo} />
          <FormField label="Email" id="email">
            <Input
              id="email"
              name="email"
              type="email"
              // Passkeys in the autofill only where they work: on Gatehouse's own origin.
              autoComplete={mode === "sign-up" ? "email" : sameOrigin ? "username webauthn" : "username"}
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </FormField>
          {mode !== "magic-link" && (
            <PasswordField
              key={mode}
              id="password"
              label="Password"
              autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
              policy={mode === "sign-up" ? policy : undefined}
              email={email}
            />
          )}
          <StepError message={step.error?.message ?? (step.isIdle ? initialError : undefined)} testId="sign-in-error" />
          <Button type="submit" disabled={step.isPending}>
            {step.isPending ? "Please wait…" : mode === "sign-in" ? "Sign in" : mode === "sign-up" ? "Create account" : "Send link"}
          </Button>
        </form>
      )}
      {mode === "sign-in" && <PasskeySignIn returnTo={returnTo} />}
    </StepCard>
  );
}
