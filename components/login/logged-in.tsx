"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { loginKeys } from "@/lib/queries/login/keys";
import { StepCard, StepError } from "./step-card";

/** LOGGED_IN: open the session, then go where the user was going (a full load, with the new session). */
export function LoggedIn() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    fetchJson<{ redirectTo: string }>("/api/login/complete", { method: "POST", json: {} }).then(
      ({ redirectTo }) => window.location.assign(redirectTo),
      (err: ApiError) => {
        setError(err.message);
        void queryClient.invalidateQueries({ queryKey: loginKeys.state() });
      },
    );
  }, [queryClient]);
  return (
    <StepCard title="Signing you in…" testId="logged-in">
      {error ? <StepError message={error} /> : <Spinner label="Signing you in" />}
      <noscript>
        <form action="/api/login/complete" method="post">
          <Button type="submit">Continue</Button>
        </form>
      </noscript>
    </StepCard>
  );
}
