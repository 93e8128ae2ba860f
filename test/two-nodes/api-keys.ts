// API key limits hold across app nodes: two `next start` processes on one PostgreSQL database,
// 50 parallel validations of one personal key limited to 10/min, split between the nodes → exactly
// 10 allowed, 40 answered 429 with Retry-After. Needs `npx next build` and DATABASE_URL (a server; a
// throw-away database is made on it). Ports: TWO_NODE_PORTS (default 3701,3702). Run:
//   DATABASE_URL=postgres://… npx tsx --conditions=react-server test/two-nodes/api-keys.ts
import { prepareApiKeyFixture } from "../../bench/_api-keys-setup";
import { runOnTwoNodes } from "./nodes";

runOnTwoNodes({
  defaultPorts: "3701,3702",
  prepare: (database) => prepareApiKeyFixture(database, 10),
  check: async ({ fixture, node }) => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${node(i)}/api/v1/api-keys/validate`, {
          method: "POST",
          headers: { authorization: `Bearer ${fixture.platformKey}`, "content-type": "application/json" },
          body: JSON.stringify({ apiKey: fixture.userKey }),
        }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as { rateLimit?: { allowed: boolean } } })),
      ),
    );
    const allowed = results.filter((r) => r.status === 200 && r.body.rateLimit?.allowed).length;
    const refused = results.filter((r) => r.status === 429 && Number(r.retryAfter) > 0 && r.body.rateLimit?.allowed === false).length;
    console.log(`50 parallel validations of one key limited to 10/min: ${allowed} allowed, ${refused} × 429 with Retry-After, ${50 - allowed - refused} other`);
    const ok = allowed === 10 && refused === 40;
    console.log(ok ? "PASS: the key's limit holds across nodes" : "FAIL");
    return ok;
  },
});
