// Limits hold across app nodes: two `next start` processes on one PostgreSQL database, 50 parallel
// MCP calls on one grant (limit 10) and 30 parallel token requests of one client (limit 5), split
// between the nodes. Needs `npx next build` and DATABASE_URL (a server; a throw-away database is
// made on it). Ports: TWO_NODE_PORTS (default 3301,3302). Run:
//   DATABASE_URL=postgres://… npx tsx --conditions=react-server test/two-nodes/limits.ts
import { prepareOAuthFixture } from "../../bench/_setup";
import { runOnTwoNodes } from "./nodes";

runOnTwoNodes({
  defaultPorts: "3301,3302",
  env: { MCP_PER_GRANT_PER_MINUTE: "10", OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: "5" },
  prepare: prepareOAuthFixture,
  check: async ({ fixture, node }) => {
    const mcp = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${node(i)}/api/mcp`, {
          method: "POST",
          headers: { authorization: `Bearer ${fixture.accessToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "whoami", arguments: {} } }),
        }).then((r) => r.status),
      ),
    );
    const token = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${node(i)}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "authorization_code", code: "nope", redirect_uri: "http://127.0.0.1:1/cb", client_id: fixture.clientId, code_verifier: "x".repeat(43) }),
        }).then((r) => r.status),
      ),
    );
    const tally = (xs: number[]) => Object.entries(xs.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})).map(([s, n]) => `${n}×${s}`).join(" ");
    console.log(`50 parallel MCP calls on one grant, limit 10/min: ${tally(mcp)}`);
    console.log(`30 parallel token requests of one client, limit 5/min: ${tally(token)}`);
    const ok = mcp.filter((s) => s === 200).length === 10 && token.filter((s) => s === 429).length === 25;
    console.log(ok ? "PASS: the limits hold across nodes" : "FAIL");
    return ok;
  },
});
