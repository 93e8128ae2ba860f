"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { StepCard, StepError } from "@/components/login/step-card";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";

interface FirstAdminInput {
  email: string;
  name: string;
  password: string;
  requireStaffMfa: boolean;
}

/** First-run setup: create the first platform admin (the setup link is in the server log). */
export function FirstAdminForm({ passwordMinLength }: { passwordMinLength: number }) {
  const create = useMutation<{ email: string }, ApiError, FirstAdminInput>({
    mutationFn: (input) => fetchJson("/api/setup", { method: "POST", json: input }),
  });
  if (create.isSuccess) {
    return (
      <StepCard title="Gatehouse is ready" testId="setup-done">
        <p aria-live="polite">
          {create.data.email} is the platform admin. Sign in to create organizations, plans and more admins.
          {create.variables?.requireStaffMfa && " You will set up two-factor authentication as you sign in."}
        </p>
        <Button asChild>
          <Link href="/login">Sign in</Link>
        </Button>
      </StepCard>
    );
  }
  const fields = create.error?.fields;
  const fieldError = fields?.email ?? fields?.name ?? fields?.password;
  return (
    <StepCard title="Set up Gatehouse" testId="setup" description="Create the first platform admin. This page works once; then it is gone.">
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          create.mutate({
            email: String(f.get("email") ?? ""),
            name: String(f.get("name") ?? ""),
            password: String(f.get("password") ?? ""),
            requireStaffMfa: f.get("requireStaffMfa") === "on",
          });
        }}
      >
        <FormField label="Your email" id="setup-email" error={fields?.email}>
          <Input name="email" type="email" autoComplete="email" autoFocus required {...fieldA11y("setup-email", fields?.email)} />
        </FormField>
        <FormField label="Your name" id="setup-name" error={fields?.name}>
          <Input name="name" autoComplete="name" required {...fieldA11y("setup-name", fields?.name)} />
        </FormField>
        <FormField label="Password" id="setup-password" error={fields?.password} description={`At least ${passwordMinLength} characters.`}>
          <Input name="password" type="password" autoComplete="new-password" required {...fieldA11y("setup-password", fields?.password)} />
        </FormField>
        <div className="flex items-start gap-2">
          <Checkbox id="setup-mfa" name="requireStaffMfa" defaultChecked />
          <Label htmlFor="setup-mfa" className="leading-snug font-normal">
            Require two-factor authentication for platform staff (recommended; you enroll at your first sign-in)
          </Label>
        </div>
        <StepError message={fieldError ? null : create.error?.message} />
        <Button type="submit" disabled={create.isPending}>
          Create platform admin
        </Button>
      </form>
    </StepCard>
  );
}
