// POST /oauth/token (refresh_token grant, with rotation, grant check and audit event) over HTTP on
// the production build, against a trivial route of the same server in the same run (interleaved).
// Goal: p50 ratio ≤ 2×, per round (min/median/max over BENCH_ROUNDS rounds). Also prints a one-query route and the token route refused before any
// database work, so the figures show what is HTTP and what is the endpoint's own work.
import { fmt, interleavedRounds, percentile, roundRatios, spread, startServer, verdict } from "./lib";
import { prepareOAuthFixture } from "./_setup";

const N = Number(process.env.BENCH_N ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function main() {
  // Limits stay on (each request is counted), with ceilings the rounds cannot reach.
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3191), prepareOAuthFixture, {
    OAUTH_TOKEN_PER_IP_PER_MINUTE: "10000000",
    OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: "10000000",
  });
  try {
    const { clientId } = server.fixture;
    let current = server.fixture.refresh;
    const post = (body: Record<string, string>) =>
      fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body),
      });
    const get = (path: string) => async () => {
      const res = await fetch(`${server.url}${path}`);
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      await res.arrayBuffer();
    };
    const rounds = await interleavedRounds(ROUNDS, N, {
      token: async () => {
        const res = await post({ grant_type: "refresh_token", refresh_token: current, client_id: clientId });
        const body = (await res.json()) as { refresh_token?: string };
        if (!res.ok || !body.refresh_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
        current = body.refresh_token;
      },
      // The JWKS: a route handler that answers JSON from memory.
      trivial: get("/oauth/jwks"),
      // Health: one `select 1` round trip.
      oneQuery: get("/api/health"),
      // The token route itself, refused before any database work (unsupported grant type).
      refused: async () => {
        const res = await post({ grant_type: "password", client_id: clientId });
        if (res.status !== 400) throw new Error(`expected 400, got ${res.status}`);
        await res.arrayBuffer();
      },
    });
    const runs = rounds[rounds.length - 1]!;
    const line = (label: string, xs: number[], note = "") =>
      console.log(`${label.padEnd(30)} p50 ${fmt(percentile(xs, 50))}  p95 ${fmt(percentile(xs, 95))}${note}`);
    console.log(`database: ${server.kind}`);
    line("POST /oauth/token (refresh)", runs.token);
    line("GET /oauth/jwks (trivial)", runs.trivial);
    line("GET /api/health (1 query)", runs.oneQuery);
    line("POST /oauth/token, refused", runs.refused, "  (form parsed, no database)");
    const p50 = spread(roundRatios(rounds, "token", "trivial"));
    const p95 = spread(roundRatios(rounds, "token", "trivial", 95));
    console.log(`(last round above) ratio per round, min/median/max: p50 ${p50.text}×  p95 ${p95.text}×`);
    verdict("token refresh ÷ trivial route (GET /oauth/jwks), p50", "≤ 2×", `${p50.text}× (min/median/max of ${ROUNDS} rounds)`, p50.med <= 2);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
