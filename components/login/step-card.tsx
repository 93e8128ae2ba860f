"use client";

import { useEffect, useRef } from "react";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";

/**
 * The frame of one sign-in step. Its heading takes focus when the step appears, so keyboard and
 * screen-reader users land on the new step (unless a field takes focus, like the email of the first step).
 */
export function StepCard({
  title,
  description,
  footer,
  children,
  testId,
  focusHeading = true,
}: {
  title: string;
  description?: React.ReactNode;
  footer?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
  /** False when a field of the step takes focus itself (autoFocus). */
  focusHeading?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading]);
  return (
    <Card className="w-full max-w-md" data-testid={testId}>
      <CardHeader>
        <CardTitle>
          <h1 ref={heading} tabIndex={-1} className="text-xl outline-none">
            {title}
          </h1>
        </CardTitle>
        {/* An address longer than a phone's width breaks instead of pushing the card off-screen. */}
        {description && <CardDescription className="wrap-anywhere">{description}</CardDescription>}
      </CardHeader>
      <CardContent className="grid gap-4">{children}</CardContent>
      {footer && <CardFooter className="flex-wrap gap-2 text-sm text-muted-foreground">{footer}</CardFooter>}
    </Card>
  );
}

/**
 * An error line announced to screen readers. Its space (two lines) is kept while empty, so the form
 * does not jump when a message appears.
 */
export function StepError({ message, testId = "step-error" }: { message?: string | null; testId?: string }) {
  return (
    <p aria-live="assertive" aria-atomic="true" data-testid={testId} className="min-h-10 text-sm text-destructive">
      {message}
    </p>
  );
}
