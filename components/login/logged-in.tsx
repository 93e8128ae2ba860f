"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import { loginKeys } from "@/lib/queries/login/keys";
import { StepCard, StepError } from "./step-card";

type Complete = () => Promise<{ ok: true; redirectTo: string } | { ok: false; error: { message: string } }>;

/** LOGGED_IN: open the session, then go where the user was going. */
export function LoggedIn({ complete }: { complete: Complete }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void complete().then((result) => {
      if (result.ok) window.location.assign(result.redirectTo);
      else {
        setError(result.error.message);
        void queryClient.invalidateQueries({ queryKey: loginKeys.state() });
      }
    });
  }, [complete, queryClient]);
  return (
    <StepCard title="Signing you in…" testId="logged-in">
      {error ? <StepError message={error} /> : <Spinner label="Signing you in" />}
    </StepCard>
  );
}
