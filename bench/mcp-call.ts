// An MCP tool call (whoami) with full token verification (signature, claims, grant status and the
// user's current permissions in the org, one query) against
// the same call with verification skipped, in one process. Goal: ratio ≤ 1.25×.
import { NextRequest } from "next/server";
import { systemContext } from "@/lib/http/request-context";
import { authenticateMcpRequest } from "@/lib/mcp/auth";
import { handleMcpRequest } from "@/lib/mcp/handler";
import { setUp } from "./_setup";
import { fmt, interleavedRounds, percentile, roundRatios, spread, verdict } from "./lib";

const N = Number(process.env.BENCH_N ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Both series make 2N calls on one grant: lift the per-grant limit (its upsert still runs in both).
process.env.MCP_PER_GRANT_PER_MINUTE ??= String(1_000_000);

async function main() {
  const { accessToken, kind, close } = await setUp();
  const request = () =>
    new NextRequest("http://localhost:3000/api/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${accessToken}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "whoami", arguments: {} },
      }),
    });
  const caller = await authenticateMcpRequest(request());
  if (caller instanceof Response) throw new Error("token refused");
  const context = systemContext();
  const check = async (res: Response) => {
    if (res.status !== 200) throw new Error(`MCP call failed: ${res.status}`);
    await res.text();
  };
  // Interleaved, so drift in the machine's speed hits both series alike.
  const rounds = await interleavedRounds(ROUNDS, N, {
    without: async () => check(await handleMcpRequest(request(), context, { preAuthenticated: caller })),
    withAuth: async () => check(await handleMcpRequest(request(), context)),
  });
  const { without, withAuth } = rounds[rounds.length - 1]!;
  const [w50, w95, b50, b95] = [percentile(withAuth, 50), percentile(withAuth, 95), percentile(without, 50), percentile(without, 95)];
  console.log(`database: ${kind}`);
  console.log(`tool call, no verification    p50 ${fmt(b50)}  p95 ${fmt(b95)}`);
  console.log(`tool call, full verification  p50 ${fmt(w50)}  p95 ${fmt(w95)}`);
  const ratio = spread(roundRatios(rounds, "withAuth", "without"));
  console.log(`(last round above) ratio per round, min/median/max: p50 ${ratio.text}×  p95 ${spread(roundRatios(rounds, "withAuth", "without", 95)).text}×`);
  verdict("MCP tool call with token verification ÷ without, p50", "≤ 1.25×", `${ratio.text}× (min/median/max of ${ROUNDS} rounds)`, ratio.med <= 1.25);
  await close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
