// An MCP tool call (whoami) with full token verification (signature, claims, grant status and the
// user's current permissions in the org, one query) against
// the same call with verification skipped, in one process. Goal: ratio ≤ 1.25×.
import { NextRequest } from "next/server";
import { systemContext } from "@/lib/http/request-context";
import { authenticateMcpRequest } from "@/lib/mcp/auth";
import { handleMcpRequest } from "@/lib/mcp/handler";
import { setUp } from "./_setup";
import { fmt, percentile, sampleInterleaved } from "./lib";

const N = Number(process.env.BENCH_N ?? 300);
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
  const { without, withAuth } = await sampleInterleaved(N, {
    without: async () => check(await handleMcpRequest(request(), context, { preAuthenticated: caller })),
    withAuth: async () => check(await handleMcpRequest(request(), context)),
  });
  const [w50, w95, b50, b95] = [percentile(withAuth, 50), percentile(withAuth, 95), percentile(without, 50), percentile(without, 95)];
  console.log(`database: ${kind}`);
  console.log(`tool call, no verification    p50 ${fmt(b50)}  p95 ${fmt(b95)}`);
  console.log(`tool call, full verification  p50 ${fmt(w50)}  p95 ${fmt(w95)}`);
  console.log(`ratio p50 ${(w50 / b50).toFixed(2)}×  (goal ≤ 1.25×)   ratio p95 ${(w95 / b95).toFixed(2)}×`);
  await close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
