"use client";

import { type ComponentType, lazy, Suspense, useMemo } from "react";
import { Button } from "@/components/ui/button";
import { LoginAndSignup } from "./login-and-signup";
import { LoginKitProvider, type LoginStateResponse, useLoginStateStore, useSameOrigin } from "./login-kit";
import { StepCard, StepError } from "./step-card";

export type { LoginStateResponse } from "./login-kit";

/**
 * A step component loaded on demand (React.lazy): only the first step ships with the page. On the
 * server every step is loaded at once and handed to React already resolved (a synchronous thenable),
 * so the server's HTML holds the step itself, not a loading fallback whose swap needs JavaScript.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- React.lazy's own constraint
function step<C extends ComponentType<any>>(load: () => Promise<{ default: C }>) {
  let loaded: { default: C } | undefined;
  const start = () =>
    load().then((m) => {
      loaded = m;
      return m;
    });
  if (typeof window === "undefined") void start();
  return lazy<C>(() => (loaded ? ({ then: (resolve: (m: { default: C }) => void) => resolve(loaded!) } as unknown as Promise<{ default: C }>) : start()));
}

// Only the first step ships with the page; every other step loads when the sign-in reaches it.
const ConfirmYourEmail = step(() => import("./confirm-your-email").then((m) => ({ default: m.ConfirmYourEmail })));
const UpdatePassword = step(() => import("./update-password").then((m) => ({ default: m.UpdatePassword })));
const UpdateUserProperty = step(() => import("./update-user-property").then((m) => ({ default: m.UpdateUserProperty })));
const EnrollInMfa = step(() => import("./enroll-in-mfa").then((m) => ({ default: m.EnrollInMfa })));
const VerifyMfa = step(() => import("./verify-mfa").then((m) => ({ default: m.VerifyMfa })));
const JoinAnOrganization = step(() => import("./join-an-organization").then((m) => ({ default: m.JoinAnOrganization })));
const LoggedIn = step(() => import("./logged-in").then((m) => ({ default: m.LoggedIn })));
const SsoSignIn = step(() => import("./sso-sign-in").then((m) => ({ default: m.SsoSignIn })));
const SsoRedirect = step(() => import("./sso-redirect").then((m) => ({ default: m.SsoRedirect })));
const PasskeyEnrollment = step(() => import("./passkey-enrollment").then((m) => ({ default: m.PasskeyEnrollment })));
const PasskeySecondFactor = step(() => import("./passkey-second-factor").then((m) => ({ default: m.PasskeySecondFactor })));

const loading = () => <div className="h-80 w-full max-w-md animate-pulse rounded-xl bg-accent" role="status" aria-label="Loading" />;

/** What the sign-in pages show of the brand (lib/brand.ts on the server). */
export interface LoginBrand {
  productName: string;
  logoUrl?: string | null;
  supportUrl?: string | null;
}

/**
 * Asks the server where this browser's sign-in stands and renders the one component for that state.
 * The server decides; this only displays. `initial` (the state the page was rendered with) lets the
 * first step show, and work as a plain form, before or without JavaScript; `initialError` is the
 * message of a plain form post that failed. `baseUrl` is Gatehouse's origin when the kit runs in
 * another app ("" or unset: this origin); on another origin the kit offers no passkeys (a passkey is
 * bound to Gatehouse's origin). `ssoOpen` renders the single sign-on form open (`/login?sso=1`).
 */
export function LoginStateManager({
  returnTo,
  initial,
  initialError,
  ssoOpen = false,
  baseUrl = "",
  brand = { productName: "Gatehouse" },
}: {
  returnTo: string;
  initial?: LoginStateResponse;
  initialError?: string;
  ssoOpen?: boolean;
  baseUrl?: string;
  brand?: LoginBrand;
}) {
  const base = baseUrl.replace(/\/+$/, "");
  const { data, error, call, refresh, restart } = useLoginStateStore(base, initial);
  const sameOrigin = useSameOrigin(base);
  const kit = useMemo(
    () => ({ baseUrl: base, sameOrigin, productName: brand.productName, call, refresh, restart }),
    [base, sameOrigin, brand.productName, call, refresh, restart],
  );
  return (
    <LoginKitProvider value={kit}>
      <div className="grid w-full max-w-md justify-items-center gap-4">
        <BrandHeader brand={brand} />
        {data ? (
          <Suspense fallback={loading()}>
            <StateView data={data} returnTo={returnTo} initialError={initialError} ssoOpen={ssoOpen} />
          </Suspense>
        ) : error ? (
          <StepCard title="Something went wrong">
            <StepError message={error.message} />
            <Button onClick={() => void refresh()}>Try again</Button>
          </StepCard>
        ) : (
          loading()
        )}
        {data && data.state !== "LOGIN_REQUIRED" && data.state !== "LOGGED_IN" && (
          <Button variant="link" data-testid="use-another-account" onClick={() => void restart()}>
            Use another account
          </Button>
        )}
        {brand.supportUrl && (
          <a href={brand.supportUrl} className="text-sm text-muted-foreground underline-offset-4 hover:underline" data-testid="support-link">
            Need help? Contact support
          </a>
        )}
      </div>
    </LoginKitProvider>
  );
}

function BrandHeader({ brand }: { brand: LoginBrand }) {
  return (
    <div className="flex items-center gap-2 text-lg font-semibold" data-testid="brand">
      {brand.logoUrl && (
        // eslint-disable-next-line @next/next/no-img-element -- an operator-configured logo, any origin
        <img src={brand.logoUrl} alt="" width={32} height={32} className="size-8 object-contain" />
      )}
      <span>{brand.productName}</span>
    </div>
  );
}

function StateView({ data, returnTo, initialError, ssoOpen }: { data: LoginStateResponse; returnTo: string; initialError?: string; ssoOpen: boolean }) {
  const policy = data.passwordPolicy ?? { minLength: data.passwordMinLength, maxLength: 1024 };
  switch (data.state) {
    case "LOGIN_REQUIRED":
      return (
        <div className="grid w-full max-w-md justify-items-center gap-4">
          <LoginAndSignup returnTo={returnTo} passwordMinLength={data.passwordMinLength} passwordPolicy={policy} initialError={initialError} />
          <Suspense fallback={null}>
            <SsoSignIn returnTo={returnTo} initiallyOpen={ssoOpen} />
          </Suspense>
        </div>
      );
    case "EMAIL_NOT_CONFIRMED_YET":
      return <ConfirmYourEmail email={data.email} />;
    case "UPDATE_PASSWORD_REQUIRED":
      return <UpdatePassword passwordMinLength={data.passwordMinLength} passwordPolicy={policy} />;
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
