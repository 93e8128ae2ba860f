"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { loginKeys } from "./keys";

export type LoginStateName =
  | "LOGIN_REQUIRED"
  | "EMAIL_NOT_CONFIRMED_YET"
  | "UPDATE_PASSWORD_REQUIRED"
  | "USER_MISSING_REQUIRED_PROPERTIES"
  | "TWO_FACTOR_ENROLLMENT_REQUIRED"
  | "TWO_FACTOR_REQUIRED"
  | "USER_MUST_BE_IN_AT_LEAST_ONE_ORG"
  | "LOGGED_IN"
  | "SSO_REDIRECT";

export interface LoginStateResponse {
  state: LoginStateName;
  email: string | null;
  passwordMinLength: number;
  fields?: { key: string; label: string; type: string }[];
  join?: {
    invitations: { id: string; org: { id: string; slug: string; name: string }; role: string; expiresAt: string }[];
    autoJoin: { id: string; name: string; slug: string }[];
    canCreateOrg: boolean;
  };
  returnTo?: string;
  attemptsLeft?: number;
  /** Second factors offered at TWO_FACTOR_REQUIRED / TWO_FACTOR_ENROLLMENT_REQUIRED. */
  factors?: { totp: boolean; passkey: boolean };
}

/**
 * The current step of this browser's sign-in. While waiting for the email, it checks every few
 * seconds. `initial` is what the server rendered the page with.
 */
export function useLoginState(initial?: LoginStateResponse) {
  return useQuery({
    queryKey: loginKeys.state(),
    queryFn: () => fetchJson<LoginStateResponse>("/api/login/state"),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.state === "EMAIL_NOT_CONFIRMED_YET" ? 3000 : false),
  });
}
