import { json, route } from "@/lib/http/route";
import { loginStateResponse } from "@/lib/login-flow/state-response";

// GET /api/login/state — the current step of this browser's sign-in and what its page needs
export const GET = route(async () => json(await loginStateResponse()));
