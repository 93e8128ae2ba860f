import { route } from "@/lib/http/route";
import { answerValidateRequest } from "@/lib/user-api-keys/validate-http";

// POST /api/v1/api-keys/validate — check a personal or org API key and consume one unit of its limit
// (platform API key). The production server answers this path itself, beside Next
// (lib/http/direct-lane.ts); this route serves `next dev` and the tests, with the same code.
export const POST = route(({ req, context }) => answerValidateRequest(req, context));
