import "server-only";
import type { Answer } from "@/lib/http/answer";
import type { RequestContext } from "@/lib/http/request-context";
import { corsOAuth, oauthJson, readForm } from "./http";
import { oauthLimits } from "./limits";
import { handleTokenRequest } from "./token-endpoint";

/** The token endpoint's form limit (RFC 6749 §3.2 bodies are small). */
export const MAX_FORM_BYTES = 16 * 1024;

/**
 * POST /oauth/token as a Web request → answer (lib/http/answer.ts): the Next.js route (app/oauth/token/route.ts) and
 * the production server's direct lane (lib/http/direct-lane.ts) both answer with this.
 */
export function answerTokenRequest(req: Request, context: RequestContext): Promise<Answer> {
  return answerTokenForm(req.headers, () => readForm(req, MAX_FORM_BYTES), context);
}

/** The same, for a caller that reads the form itself (`readForm` refuses as readFormBody does). */
export async function answerTokenForm(
  headers: Headers,
  readForm: () => Promise<URLSearchParams> | URLSearchParams,
  context: RequestContext,
): Promise<Answer> {
  return corsOAuth(async () => {
    let form: URLSearchParams;
    try {
      form = await readForm();
    } catch (err) {
      await oauthLimits.tokenIp(context); // a refused body still counts against the IP
      throw err;
    }
    return oauthJson(await handleTokenRequest(headers, form, context));
  });
}
