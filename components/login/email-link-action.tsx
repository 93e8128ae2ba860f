"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { gatehouseCall, useAction } from "./login-kit";
import { StepCard, StepError } from "./step-card";

/**
 * A mailed link's page: the token is used only when the person presses the button (mail scanners
 * that open links do not burn it). Then it says what happened and where to go.
 */
export function EmailLinkAction({
  token,
  endpoint,
  title,
  description,
  actionLabel,
  done,
}: {
  token: string;
  endpoint: string;
  title: string;
  description: string;
  actionLabel: string;
  done: (result: { continueSignIn?: boolean }) => { message: string; href: string; label: string; auto?: boolean };
}) {
  const action = useAction<void, { continueSignIn?: boolean }>(() => gatehouseCall("", endpoint, { token }));
  const run = () =>
    action.mutate(undefined, {
      onSuccess: (result) => {
        const next = done(result);
        if (next.auto) window.location.assign(next.href);
      },
    });
  if (action.isSuccess && action.data) {
    const next = done(action.data);
    return (
      <StepCard title={title} testId="link-done">
        <p aria-live="polite">{next.message}</p>
        <Button asChild>
          <Link href={next.href}>{next.label}</Link>
        </Button>
      </StepCard>
    );
  }
  return (
    <StepCard title={title} description={description} testId="link-action">
      <StepError message={action.error?.message} />
      <Button onClick={run} disabled={action.isPending}>
        {actionLabel}
      </Button>
      {action.error && (
        <Link href="/login" className="text-sm underline-offset-4 hover:underline">
          Back to sign-in
        </Link>
      )}
    </StepCard>
  );
}
