import { getEnv } from "@/lib/env";
import { json, route } from "@/lib/http/route";
import { currentFlow, snapshot } from "@/lib/login-flow/flow";
import { joinOptions } from "@/lib/login-flow/join-steps";

// GET /api/login/state — the current step of this browser's sign-in and what its page needs
export const GET = route(async () => {
  const snap = await snapshot(await currentFlow());
  const base = { state: snap.state, email: snap.flow?.email ?? null, passwordMinLength: getEnv().PASSWORD_MIN_LENGTH };
  switch (snap.state) {
    case "USER_MISSING_REQUIRED_PROPERTIES":
      return json({ ...base, fields: snap.missingProperties });
    case "USER_MUST_BE_IN_AT_LEAST_ONE_ORG":
      return json({ ...base, join: await joinOptions(snap.user!) });
    case "LOGGED_IN":
      return json({ ...base, returnTo: snap.flow!.returnTo });
    case "TWO_FACTOR_REQUIRED":
    case "TWO_FACTOR_ENROLLMENT_REQUIRED":
      return json({ ...base, attemptsLeft: Math.max(0, 5 - (snap.flow?.failedMfaAttempts ?? 0)) });
    default:
      return json(base);
  }
});
