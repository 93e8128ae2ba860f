"use client";

import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { type LoginStateResponse, useLoginState } from "@/lib/queries/login/use-login-state";
import { ConfirmYourEmail } from "./confirm-your-email";
import { EnrollInMfa } from "./enroll-in-mfa";
import { JoinAnOrganization } from "./join-an-organization";
import { LoggedIn } from "./logged-in";
import { LoginAndSignup } from "./login-and-signup";
import { SsoRedirect } from "./sso-redirect";
import { SsoSignIn } from "./sso-sign-in";
import { PasskeyEnrollment } from "./passkey-enrollment";
import { PasskeySecondFactor } from "./passkey-second-factor";
import { StepCard, StepError } from "./step-card";
import { UpdatePassword } from "./update-password";
import { UpdateUserProperty } from "./update-user-property";
import { VerifyMfa } from "./verify-mfa";

/**
 * Asks the server where this browser's sign-in stands and renders the one component for that state.
 * The server decides; this only displays. `initial` (the state the page was rendered with) lets the
 * first step show, and work as a plain form, before or without JavaScript; `initialError` is the
 * message of a plain form post that failed.
 */
export function LoginStateManager({
  returnTo,
  initial,
  initialError,
}: {
  returnTo: string;
  initial?: LoginStateResponse;
  initialError?: string;
}) {
  const { data, error, isPending, refetch } = useLoginState(initial);
  if (isPending) return <Skeleton className="h-80 w-full max-w-md" aria-label="Loading" />;
  if (error || !data) {
    return (
      <StepCard title="Something went wrong">
        <StepError message={error?.message ?? "We could not load your sign-in."} />
        <Button onClick={() => void refetch()}>Try again</Button>
      </StepCard>
    );
  }
  switch (data.state) {
    case "LOGIN_REQUIRED":
      return (
        <div className="grid w-full max-w-md justify-items-center gap-4">
          <LoginAndSignup returnTo={returnTo} passwordMinLength={data.passwordMinLength} initialError={initialError} />
          <SsoSignIn returnTo={returnTo} />
        </div>
      );
    case "EMAIL_NOT_CONFIRMED_YET":
      return <ConfirmYourEmail email={data.email} />;
    case "UPDATE_PASSWORD_REQUIRED":
      return <UpdatePassword passwordMinLength={data.passwordMinLength} />;
    case "USER_MISSING_REQUIRED_PROPERTIES":
      return <UpdateUserProperty fields={data.fields ?? []} />;
    case "TWO_FACTOR_ENROLLMENT_REQUIRED":
      return data.factors?.passkey ? <PasskeyEnrollment totp={data.factors.totp} /> : <EnrollInMfa />;
    case "TWO_FACTOR_REQUIRED":
      return data.factors?.passkey ? (
        <PasskeySecondFactor totp={data.factors.totp} attemptsLeft={data.attemptsLeft} />
      ) : (
        <VerifyMfa attemptsLeft={data.attemptsLeft} />
      );
    case "USER_MUST_BE_IN_AT_LEAST_ONE_ORG":
      return <JoinAnOrganization join={data.join ?? { invitations: [], autoJoin: [], canCreateOrg: false }} />;
    case "LOGGED_IN":
      return <LoggedIn />;
    case "SSO_REDIRECT":
      return <SsoRedirect email={data.email} />;
  }
}
