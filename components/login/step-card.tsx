"use client";

import { useEffect, useRef } from "react";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";

/**
 * The frame of one sign-in step. Its heading takes focus when the step appears, so keyboard and
 * screen-reader users land on the new step.
 */
export function StepCard({
  title,
  description,
  footer,
  children,
  testId,
}: {
  title: string;
  description?: React.ReactNode;
  footer?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Card className="w-full max-w-md" data-testid={testId}>
      <CardHeader>
        <CardTitle>
          <h1 ref={heading} tabIndex={-1} className="text-xl outline-none">
            {title}
          </h1>
        </CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent className="grid gap-4">{children}</CardContent>
      {footer && <CardFooter className="flex-wrap gap-2 text-sm text-muted-foreground">{footer}</CardFooter>}
    </Card>
  );
}

/** An error line announced to screen readers. */
export function StepError({ message, testId = "step-error" }: { message?: string | null; testId?: string }) {
  return (
    <p aria-live="assertive" data-testid={testId} className="min-h-5 text-sm text-destructive">
      {message}
    </p>
  );
}
