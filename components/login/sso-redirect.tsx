"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { useLoginStep } from "./login-kit";
import { StepCard } from "./step-card";

const START = "/api/login/sso/start";

/**
 * SSO_REDIRECT: home-realm discovery sent this sign-in to the org's identity provider. With
 * JavaScript the browser goes there at once; without, the link does the same.
 */
export function SsoRedirect({ email }: { email: string | null }) {
  const restart = useLoginStep<Record<string, never>>("restart");
  useEffect(() => {
    // A route handler that answers with a redirect to another site: a full navigation, not the router.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- START is an API route, not a page
    window.location.assign(START);
  }, []);
  return (
    <StepCard
      title="Continue with your organization"
      testId="sso-redirect"
      description={email ? `${email} signs in with your organization's single sign-on.` : "Your organization uses single sign-on."}
      footer={
        <Button variant="link" className="h-auto p-0" onClick={() => restart.mutate({})}>
          Use another account
        </Button>
      }
    >
      <Button asChild>
        <a href={START}>Continue to your identity provider</a>
      </Button>
    </StepCard>
  );
}
