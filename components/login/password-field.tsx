"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { PasswordPolicy } from "./login-kit";

/** The requirements a new password meets or not yet, from the server's policy. */
export function passwordChecks(password: string, policy: PasswordPolicy, email?: string | null) {
  const length = [...password].length;
  const local = email?.split("@")[0]?.toLowerCase();
  const checks = [
    { id: "min", label: `At least ${policy.minLength} characters`, ok: length >= policy.minLength },
    { id: "max", label: `At most ${policy.maxLength} characters`, ok: length <= policy.maxLength },
  ];
  if (policy.blocksEmail) {
    checks.push({ id: "email", label: "Not your email address", ok: length > 0 && !(local && local.length >= 4 && password.toLowerCase() === local) });
  }
  return checks;
}

/**
 * A password input with a show/hide toggle. For a new password (`policy` given) it lists the
 * server's requirements and ticks them off as the user types.
 */
export function PasswordField({
  id,
  label,
  autoComplete,
  policy,
  email,
  error,
}: {
  id: string;
  label: string;
  autoComplete: "current-password" | "new-password";
  policy?: PasswordPolicy;
  email?: string | null;
  error?: string;
}) {
  const [visible, setVisible] = useState(false);
  const [value, setValue] = useState("");
  const checks = policy ? passwordChecks(value, policy, email) : [];
  const describedBy = [policy ? `${id}-requirements` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div data-slot="form-field" className="grid gap-2">
      <Label htmlFor={id} className={error ? "text-destructive" : undefined}>
        {label}
      </Label>
      <div className="relative">
        <Input
          id={id}
          name="password"
          type={visible ? "text" : "password"}
          autoComplete={autoComplete}
          required
          className="pr-10"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="absolute top-0 right-0"
          aria-label={visible ? "Hide password" : "Show password"}
          aria-pressed={visible}
          aria-controls={id}
          data-testid="toggle-password"
          onClick={() => setVisible((v) => !v)}
        >
          <EyeIcon crossed={visible} />
        </Button>
      </div>
      {policy && (
        <ul id={`${id}-requirements`} data-testid="password-requirements" aria-label="Password requirements" className="grid gap-1 text-sm">
          {checks.map((c) => (
            <li key={c.id} data-met={c.ok} className={c.ok ? "text-success" : "text-muted-foreground"}>
              <span aria-hidden>{c.ok ? "✓ " : "○ "}</span>
              {c.label}
              <span className="sr-only">{c.ok ? " (met)" : " (not met yet)"}</span>
            </li>
          ))}
          {policy.blocksCommon && <li className="text-muted-foreground">○ Not a common password (checked when you continue)</li>}
        </ul>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} aria-live="polite" className="text-sm text-destructive empty:hidden">
          {error}
        </p>
      )}
    </div>
  );
}

/** The eye of the show/hide toggle (drawn inline: no icon library in the sign-in page's first load). */
function EyeIcon({ crossed }: { crossed: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M2.06 12.35a1 1 0 0 1 0-.7 10.75 10.75 0 0 1 19.88 0 1 1 0 0 1 0 .7 10.75 10.75 0 0 1-19.88 0" />
      <circle cx="12" cy="12" r="3" />
      {crossed && <path d="m2 2 20 20" />}
    </svg>
  );
}
