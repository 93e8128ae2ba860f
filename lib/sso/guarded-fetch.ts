import "server-only";
import http from "node:http";
import https from "node:https";
import { getEnv } from "@/lib/env";
import { assertPublicLiteral, guardedLookup, isPrivateAddress } from "@/lib/oauth/ssrf";

const TIMEOUT_MS = 5000;
const MAX_BYTES = 1024 * 1024;

/** Test runs point connections at an IdP on loopback; everywhere else private addresses are refused. */
export const allowPrivateIdp = () => getEnv().APP_ENV === "test";

/** Whether an IdP URL an admin typed may be fetched: https (test mode also http on loopback), no credentials or fragment. */
export function isFetchableIdpUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash || raw.includes("#")) return false;
  if (url.protocol === "https:") return true;
  return allowPrivateIdp() && url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname);
}

/**
 * A fetch for openid-client (and metadata URLs) that every IdP request goes through: the same SSRF
 * guard as client metadata documents (lib/oauth/ssrf.ts) — IP literals checked before, names in the
 * lookup, the connected address after — with a deadline and a size cap. No redirects are followed.
 */
export function guardedFetch(
  input: string | URL,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
): Promise<Response> {
  const url = new URL(String(input));
  const allowPrivate = allowPrivateIdp();
  const mod = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
  return new Promise((resolve, reject) => {
    if (!mod) return reject(new Error("unsupported protocol"));
    try {
      assertPublicLiteral(url, allowPrivate);
    } catch (err) {
      return reject(err);
    }
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    const req = mod.request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...options.headers, ...(body !== undefined ? { "content-length": Buffer.byteLength(body).toString() } : {}) },
        lookup: guardedLookup(allowPrivate) as never,
        agent: false,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        let size = 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) {
            reject(new Error("response too large"));
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === "string") headers.set(k, v);
            else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
          }
          const status = res.statusCode ?? 502;
          const nullBody = status === 204 || status === 304;
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers }));
        });
        res.on("error", reject);
      },
    );
    const deadline = setTimeout(() => {
      reject(new Error("timed out"));
      req.destroy();
    }, TIMEOUT_MS);
    req.on("close", () => clearTimeout(deadline));
    req.on("timeout", () => {
      reject(new Error("timed out"));
      req.destroy();
    });
    req.on("error", reject);
    options.signal?.addEventListener("abort", () => req.destroy(new Error("aborted")));
    req.on("socket", (socket) =>
      socket.once("connect", () => {
        if (!allowPrivate && socket.remoteAddress && isPrivateAddress(socket.remoteAddress)) {
          reject(new Error("connected to a private address"));
          req.destroy();
        }
      }),
    );
    if (body !== undefined) req.write(body);
    req.end();
  });
}
