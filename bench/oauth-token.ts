// POST /oauth/token (refresh_token grant, with rotation, grant check and audit event) over HTTP on
// the production build, against a trivial route of the same server in the same run (interleaved).
// Goal: p50 ratio ≤ 2×. Also prints a one-query route and the token route refused before any
// database work, so the figures show what is HTTP and what is the endpoint's own work.
import { fmt, percentile, sampleInterleaved, startServer } from "./lib";
import { prepareOAuthFixture } from "./_setup";

const N = Number(process.env.BENCH_N ?? 300);

async function main() {
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3191), prepareOAuthFixture);
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
    const runs = await sampleInterleaved(N, {
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
    const line = (label: string, xs: number[], note = "") =>
      console.log(`${label.padEnd(30)} p50 ${fmt(percentile(xs, 50))}  p95 ${fmt(percentile(xs, 95))}${note}`);
    console.log(`database: ${server.kind}`);
    line("POST /oauth/token (refresh)", runs.token);
    line("GET /oauth/jwks (trivial)", runs.trivial);
    line("GET /api/health (1 query)", runs.oneQuery);
    line("POST /oauth/token, refused", runs.refused, "  (form parsed, no database)");
    const ratio = (p: number) => (percentile(runs.token, p) / percentile(runs.trivial, p)).toFixed(2);
    console.log(`ratio p50 ${ratio(50)}×  (goal ≤ 2×)   ratio p95 ${ratio(95)}×`);
  } finally {
    server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
