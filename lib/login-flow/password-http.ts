import "server-only";
import { type Answer, jsonAnswer } from "@/lib/http/answer";
import { MAX_JSON_BYTES, parseJsonBytes, validate } from "@/lib/http/body";
import { withLaneCookies } from "@/lib/http/cookie-jar";
import { assertLoginWrite, withLoginCors } from "@/lib/http/login-cors";
import type { RequestContext } from "@/lib/http/request-context";
import { toErrorBody } from "@/lib/errors";
import { credentialsSchema, signInWithPassword } from "./sign-in";

/**
 * POST /api/login/password with a JSON body, for the production server's direct lane (every sign-in
 * in the kit): the answer of the Next route (app/api/login/password/route.ts) — the same origin check,
 * body refusals (415, 413, 400), sign-in and `{ ok: true }`, cookies and CORS headers — without a
 * Request to build and read back. Plain form posts (no JavaScript) stay on the route.
 */
export async function answerPasswordJson(headers: Headers, body: () => Promise<Buffer>, context: RequestContext): Promise<Answer> {
  const cookies = new Headers();
  let res: Answer;
  try {
    assertLoginWrite("POST", headers);
    const input = validate(credentialsSchema, parseJsonBytes(headers, await body(), MAX_JSON_BYTES));
    await withLaneCookies(headers, cookies, () => signInWithPassword(input, context));
    res = jsonAnswer({ ok: true });
  } catch (err) {
    const { status, body: error, headers: extra } = toErrorBody(err);
    res = jsonAnswer(error, { status, headers: extra });
  }
  res.headers.set("Cache-Control", "no-store");
  // As under Next, where cookies() set during a request reach its answer whatever its status.
  for (const cookie of cookies.getSetCookie()) res.headers.append("Set-Cookie", cookie);
  return withLoginCors(headers, res);
}
