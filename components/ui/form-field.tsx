import type * as React from "react";
import { cn } from "@/lib/utils";
import { Label } from "./label";

/** Props that tie an input to its error text for screen readers. */
export function fieldA11y(id: string, error?: string) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  } as const;
}

/** A label, a control, optional help text, and an error message announced when it appears. */
export function FormField({
  label,
  id,
  error,
  description,
  className,
  children,
}: {
  label: React.ReactNode;
  id: string;
  error?: string;
  description?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div data-slot="form-field" className={cn("grid gap-2", className)}>
      <Label htmlFor={id} className={error ? "text-destructive" : undefined}>
        {label}
      </Label>
      {children}
      {description && (
        <p id={`${id}-description`} className="text-sm text-muted-foreground">
          {description}
        </p>
      )}
      <p id={`${id}-error`} aria-live="polite" className="text-sm text-destructive empty:hidden">
        {error}
      </p>
    </div>
  );
}
