"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ApiError, useLoginKit } from "./login-kit";
import { StepCard, StepError } from "./step-card";

/**
 * LOGGED_IN: open the session, then go at once where the user was going (a full load, with the new
 * session). A link stays visible in case the browser does not move (or JavaScript is off: then it
 * is a plain form post that does the same).
 */
export function LoggedIn() {
  const kit = useLoginKit();
  const [error, setError] = useState<string>();
  const [target, setTarget] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    kit.call<{ redirectTo: string }>("/api/login/complete", {}).then(
      ({ redirectTo }) => {
        const href = redirectTo.startsWith("/") && !redirectTo.startsWith("//") ? `${kit.baseUrl}${redirectTo}` : redirectTo;
        setTarget(href);
        window.location.assign(href);
      },
      (err: unknown) => {
        setError(err instanceof ApiError ? err.message : "We could not finish signing you in.");
        void kit.refresh();
      },
    );
  }, [kit]);
  return (
    <StepCard title="You are signed in" testId="logged-in" description="Taking you there now.">
      <StepError message={error} />
      {target ? (
        <a href={target} data-testid="continue-link" className="text-sm font-medium underline underline-offset-4">
          Not moving? Continue
        </a>
      ) : (
        <form action={`${kit.baseUrl}/api/login/complete`} method="post">
          <Button type="submit" variant="link" className="h-auto p-0" data-testid="continue-link">
            Not moving? Continue
          </Button>
        </form>
      )}
    </StepCard>
  );
}
