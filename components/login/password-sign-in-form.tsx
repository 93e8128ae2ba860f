"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

export interface PasswordSignInState {
  error?: string;
  email?: string;
}

/** Email and password sign-in; a plain form post, so it also works without JavaScript. */
export function PasswordSignInForm({
  action,
  next,
}: {
  action: (prev: PasswordSignInState, formData: FormData) => Promise<PasswordSignInState>;
  next: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle>
          <h1>Sign in to Gatehouse</h1>
        </CardTitle>
        <CardDescription>Use your work email and password.</CardDescription>
      </CardHeader>
      <CardContent>
        <form action={formAction} className="grid gap-4" noValidate>
          <input type="hidden" name="next" value={next} />
          <FormField label="Email" id="email">
            <Input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.email} />
          </FormField>
          <FormField label="Password" id="password">
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </FormField>
          <p aria-live="polite" data-testid="sign-in-error" className="min-h-5 text-sm text-destructive">
            {state.error}
          </p>
          <Button type="submit" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
