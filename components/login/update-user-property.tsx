"use client";

import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useLoginStep } from "./login-kit";
import { StepCard, StepError } from "./step-card";

/** USER_MISSING_REQUIRED_PROPERTIES: a form for just the missing fields. */
export function UpdateUserProperty({ fields }: { fields: { key: string; label: string; type: string }[] }) {
  const step = useLoginStep<{ values: Record<string, string | boolean> }>("properties");
  const fieldErrors = step.error?.fields ?? {};
  return (
    <StepCard title="A few details" testId="update-user-property" description="We need these before you continue.">
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const values: Record<string, string | boolean> = {};
          for (const f of fields) values[f.key] = f.type === "checkbox" ? form.get(f.key) === "on" : String(form.get(f.key) ?? "");
          step.mutate({ values });
        }}
      >
        {fields.map((f) =>
          f.type === "checkbox" ? (
            <div key={f.key} className="grid gap-1">
              <div className="flex items-center gap-2">
                <Checkbox id={`prop-${f.key}`} name={f.key} aria-invalid={!!fieldErrors[f.key]} />
                <Label htmlFor={`prop-${f.key}`}>{f.label}</Label>
              </div>
              <StepError message={fieldErrors[f.key]} testId={`error-${f.key}`} />
            </div>
          ) : (
            <FormField key={f.key} label={f.label} id={`prop-${f.key}`} error={fieldErrors[f.key]}>
              <Input name={f.key} required autoComplete={f.key === "name" ? "name" : undefined} {...fieldA11y(`prop-${f.key}`, fieldErrors[f.key])} />
            </FormField>
          ),
        )}
        {!step.error?.fields && <StepError message={step.error?.message} />}
        <Button type="submit" disabled={step.isPending}>
          Continue
        </Button>
      </form>
    </StepCard>
  );
}
