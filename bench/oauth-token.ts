// /oauth/token (refresh_token grant, with rotation) p50 against a trivial handler of the same
// shape (read the form, answer JSON), in one process. Goal: ratio ≤ 2×.
// The `route()` wrapper both would share is left out: it pulls in Auth.js, which does not load
// under the react-server condition outside Next.js.
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { oauthFailure, oauthJson, readForm } from "@/lib/oauth/http";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";
import { measure, setUp } from "./_setup";

async function main() {
  const { database, clientId, refresh } = await setUp();
  const context = systemContext();
  const post = (body: URLSearchParams) =>
    new Request("http://localhost:3000/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });

  // POST /oauth/token as the route runs it.
  const tokenHandler = async (req: Request) => {
    try {
      return oauthJson(await handleTokenRequest(req.headers, await readForm(req), context));
    } catch (err) {
      return oauthFailure(err);
    }
  };
  // A trivial handler: same parsing and JSON answer, no work.
  const trivialHandler = async (req: Request) => {
    const form = await readForm(req);
    return oauthJson({ ok: true, grant_type: form.get("grant_type") });
  };

  // For context: the same trivial handler plus one database round trip.
  const oneQueryHandler = async (req: Request) => {
    const form = await readForm(req);
    await getDb().execute(sql`select 1`);
    return oauthJson({ ok: true, grant_type: form.get("grant_type") });
  };

  let current = refresh;
  const tokenCall = async () => {
    const res = await tokenHandler(
      post(new URLSearchParams({ grant_type: "refresh_token", refresh_token: current, client_id: clientId })),
    );
    const body = (await res.json()) as { refresh_token?: string };
    if (!body.refresh_token) throw new Error(`token endpoint failed: ${JSON.stringify(body)}`);
    current = body.refresh_token;
  };
  const trivialCall = async () => {
    const res = await trivialHandler(
      post(new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_id: clientId })),
    );
    await res.json();
  };
  const oneQueryCall = async () => {
    const res = await oneQueryHandler(
      post(new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_id: clientId })),
    );
    await res.json();
  };
  const base = await measure(trivialCall);
  const oneQuery = await measure(oneQueryCall);
  const tok = await measure(tokenCall);
  console.log(`trivial handler      p50 ${base.p50.toFixed(3)} ms  p95 ${base.p95.toFixed(3)} ms`);
  console.log(`trivial + 1 query    p50 ${oneQuery.p50.toFixed(3)} ms  p95 ${oneQuery.p95.toFixed(3)} ms`);
  console.log(`/oauth/token refresh p50 ${tok.p50.toFixed(3)} ms  p95 ${tok.p95.toFixed(3)} ms`);
  console.log(`ratio p50: ${(tok.p50 / base.p50).toFixed(2)}× (goal ≤ 2×)`);
  console.log(`ratio p50 against the one-query handler: ${(tok.p50 / oneQuery.p50).toFixed(2)}×`);
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
