// Ad-hoc: CPU profile of the server under a refresh load (not part of npm run bench). PROF_CONNS
// connections (default 20) refresh for PROF_SECONDS (default 15); run with
// BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
import { prepareOAuthLoadFixture } from "./_setup";
import { startServer } from "./lib";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/postgres";
async function main() {
  const conns = Number(process.env.PROF_CONNS ?? 20);
  const seconds = Number(process.env.PROF_SECONDS ?? 15);
  const gh = await startServer(3894, (db) => prepareOAuthLoadFixture(db, { perSet: conns, spreadOrgs: 1 }), {
    OAUTH_TOKEN_PER_IP_PER_MINUTE: "10000000",
    OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: "10000000",
  });
  const tokens = gh.fixture.oneOrg;
  const end = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(tokens.slice(0, conns).map(async (_, i) => {
    while (Date.now() < end) {
      const res = await fetch(`${gh.url}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens[i]!, client_id: gh.fixture.clientId }) });
      const b = (await res.json()) as { refresh_token: string };
      tokens[i] = b.refresh_token;
      n++;
    }
  }));
  console.log(n / seconds, "req/s");
  await gh.stop();
  await new Promise((r) => setTimeout(r, 3000));
}
void main();
