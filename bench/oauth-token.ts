// /oauth/token (refresh_token grant, with rotation) p50 against a trivial route through the same
// wrapper, in one process. Goal: ratio ≤ 2×.
import { NextRequest } from "next/server";
import { json, route } from "@/lib/http/route";
import { measure, setUp } from "./_setup";

async function main() {
  const { POST: token } = await import("@/app/oauth/token/route");
  const { database, clientId, refresh } = await setUp();
  const trivial = route(async () => json({ ok: true }));
  const ctx = { params: Promise.resolve({}) };
  let current = refresh;
  const tokenCall = async () => {
    const req = new NextRequest("http://localhost:3000/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: current, client_id: clientId }).toString(),
    });
    const res = await token(req, ctx);
    const body = (await res.json()) as { refresh_token?: string; error?: string };
    if (!body.refresh_token) throw new Error(`token endpoint failed: ${JSON.stringify(body)}`);
    current = body.refresh_token;
  };
  const trivialCall = async () => {
    const res = await trivial(new NextRequest("http://localhost:3000/api/trivial", { method: "POST", body: "x" }), ctx);
    await res.json();
  };
  const base = await measure(trivialCall);
  const tok = await measure(tokenCall);
  console.log(`trivial route        p50 ${base.p50.toFixed(3)} ms  p95 ${base.p95.toFixed(3)} ms`);
  console.log(`/oauth/token refresh p50 ${tok.p50.toFixed(3)} ms  p95 ${tok.p95.toFixed(3)} ms`);
  console.log(`ratio p50: ${(tok.p50 / base.p50).toFixed(2)}× (goal ≤ 2×)`);
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
