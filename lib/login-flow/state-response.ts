import "server-only";
import { type PasswordPolicy, passwordPolicy } from "@/lib/auth/password-policy";
import { getEnv } from "@/lib/env";
import { currentFlow, snapshot } from "./flow";
import { joinOptions, type JoinOptions } from "./join-steps";
import type { LoginState } from "./state";

export interface LoginStateResponse {
  state: LoginState;
  email: string | null;
  passwordMinLength: number;
  /** The password rules the pages show live as the user types. */
  passwordPolicy: PasswordPolicy;
  fields?: { key: string; label: string; type: string }[];
  join?: JoinOptions;
  returnTo?: string;
  attemptsLeft?: number;
  /** Which second factors this step offers (passkeys beside the authenticator app). */
  factors?: { totp: boolean; passkey: boolean };
}

/**
 * Where this browser's sign-in stands and what its page needs: what `GET /api/login/state` answers,
 * and what `/login` renders on the server (so the first step works before, or without, JavaScript).
 */
export async function loginStateResponse(): Promise<LoginStateResponse> {
  const snap = await snapshot(await currentFlow());
  const base = { state: snap.state, email: snap.flow?.email ?? null, passwordMinLength: getEnv().PASSWORD_MIN_LENGTH, passwordPolicy: passwordPolicy() };
  switch (snap.state) {
    case "USER_MISSING_REQUIRED_PROPERTIES":
      return { ...base, fields: snap.missingProperties };
    case "USER_MUST_BE_IN_AT_LEAST_ONE_ORG":
      return { ...base, join: await joinOptions(snap.user!) };
    case "LOGGED_IN":
      return { ...base, returnTo: snap.flow!.returnTo };
    case "TWO_FACTOR_REQUIRED":
    case "TWO_FACTOR_ENROLLMENT_REQUIRED": {
      const f = snap.facts;
      const factors =
        snap.state === "TWO_FACTOR_REQUIRED"
          ? { totp: f.mfaEnrolled && !f.mfaVerified, passkey: f.passkeyEnrolled }
          : { totp: !f.passkeyRequired, passkey: true };
      return { ...base, attemptsLeft: Math.max(0, 5 - (snap.flow?.failedMfaAttempts ?? 0)), factors };
    }
    default:
      return base;
  }
}
