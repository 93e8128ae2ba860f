// An MCP tool call (whoami) with full token verification (signature, claims, grant status) against
// the same call with verification skipped, in one process. Goal: ratio ≤ 1.25×.
import { NextRequest } from "next/server";
import { systemContext } from "@/lib/http/request-context";
import { authenticateMcpRequest } from "@/lib/mcp/auth";
import { handleMcpRequest } from "@/lib/mcp/handler";
import { measure, setUp } from "./_setup";

async function main() {
  const { database, accessToken } = await setUp();
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
  const without = await measure(async () =>
    check(await handleMcpRequest(request(), context, { preAuthenticated: caller })),
  );
  const withAuth = await measure(async () => check(await handleMcpRequest(request(), context)));
  console.log(
    `tool call, no verification   p50 ${without.p50.toFixed(3)} ms  p95 ${without.p95.toFixed(3)} ms`,
  );
  console.log(
    `tool call, full verification p50 ${withAuth.p50.toFixed(3)} ms  p95 ${withAuth.p95.toFixed(3)} ms`,
  );
  console.log(`ratio p50: ${(withAuth.p50 / without.p50).toFixed(2)}× (goal ≤ 1.25×)`);
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
