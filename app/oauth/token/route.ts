import { route } from "@/lib/http/route";
import { preflight } from "@/lib/oauth/cors";
import { answerTokenRequest } from "@/lib/oauth/token-http";

// POST /oauth/token — exchange a code or refresh token (limited per IP, and per client once
// authenticated). The production server answers this path itself, beside Next (lib/http/direct-lane.ts);
// this route serves `next dev` and the tests, with the same code.
export const POST = route(({ req, context }) => answerTokenRequest(req, context));

// OPTIONS /oauth/token — CORS preflight for browser-based clients
export const OPTIONS = route(async () => preflight("POST"));
