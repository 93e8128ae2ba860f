import "server-only";
import http from "node:http";
import https from "node:https";
import { assertPublicLiteral, guardedLookup } from "@/lib/oauth/ssrf";

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

/**
 * POST a signed message. The SSRF guard checks the address actually connected to (a name that
 * resolves to a private address is refused at connect time); redirects are not followed.
 */
export function sendWebhook(target: string, headers: Record<string, string>, body: string, opts: { allowPrivate: boolean; timeoutMs: number }): Promise<SendResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({ statusCode, error, latencyMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target);
      assertPublicLiteral(url, opts.allowPrivate);
    } catch (err) {
      resolve(done(null, (err as Error).message));
      return;
    }
    const client = url.protocol === "https:" ? https : http;
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "Gatehouse-Webhooks/1" },
        lookup: guardedLookup(opts.allowPrivate) as never,
        timeout: opts.timeoutMs,
      },
      (res) => {
        // Read (and drop) at most 64 KiB of the answer, then settle.
        let seen = 0;
        res.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 65536) res.destroy();
        });
        res.on("end", () => resolve(done(res.statusCode ?? null, null)));
        res.on("error", () => resolve(done(res.statusCode ?? null, null)));
        res.on("close", () => resolve(done(res.statusCode ?? null, null)));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on("error", (err) => resolve(done(null, err.message.slice(0, 300))));
    req.end(body);
  });
}
