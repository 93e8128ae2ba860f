import { json } from "@/lib/http/route";
import { loginPreflight, loginRoute } from "@/lib/http/login-cors";
import { loginStateResponse } from "@/lib/login-flow/state-response";

// GET /api/login/state — the current step of this browser's sign-in and what its page needs
export const GET = loginRoute(async () => json(await loginStateResponse()));

export const OPTIONS = loginPreflight;
