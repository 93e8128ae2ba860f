import "server-only";
import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { oauthClients } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { findClient, type OAuthClientRow } from "./clients";
import { presetsMatching } from "./presets";
import { checkRedirectUris } from "./redirect-policy";
import { ALL_SCOPES } from "./scopes";
import { assertPublicLiteral, guardedLookup, isPrivateAddress } from "./ssrf";

const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5000;
/** How long a fetched document is trusted before it is fetched again. */
export const METADATA_CACHE_SECONDS = 3600;

const documentSchema = z.object({
  client_id: z.string(),
  client_name: z.string().trim().min(1).max(120).optional(),
  redirect_uris: z.array(z.string()).min(1).max(20),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
});

type Resolution = { ok: true; client: OAuthClientRow } | { ok: false; message: string };

const testMode = () => getEnv().APP_ENV === "test";

/** The only thing a failed fetch says: nothing about ports, statuses or addresses (no probing). */
export const FETCH_FAILED = "could not fetch the client's metadata document";

/** Whether a client_id URL may be fetched: https with a path, no credentials or fragment (test mode also allows http loopback). */
export function isFetchableClientIdUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash || raw.includes("#")) return false;
  if (url.pathname === "/" || url.pathname === "") return false;
  if (url.protocol === "https:") return true;
  return testMode() && url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname);
}

/**
 * Resolve a client whose client_id is an https URL (client ID metadata document): fetched with
 * SSRF protection (https only, public addresses only, 5 KiB, 5 s, no redirects) and cached as an
 * unverified public client.
 */
export async function resolveMetadataDocumentClient(
  clientId: string,
  /** Private addresses are refused except in test mode, whose tests serve documents from loopback. */
  opts: { allowPrivate?: boolean } = {},
): Promise<Resolution> {
  const cached = await findClient(clientId);
  if (cached && cached.registration !== "metadata_document") return { ok: true, client: cached };
  if (cached?.fetchedAt && Date.now() - cached.fetchedAt.getTime() < METADATA_CACHE_SECONDS * 1000)
    return { ok: true, client: cached };
  if (!isFetchableClientIdUrl(clientId))
    return { ok: false, message: "The client_id URL cannot be used as a metadata document." };
  let text: string;
  try {
    text = await fetchLimited(clientId, opts.allowPrivate ?? testMode());
  } catch {
    if (cached) return { ok: true, client: cached }; // keep serving the last good copy
    return { ok: false, message: FETCH_FAILED };
  }
  let doc: z.infer<typeof documentSchema>;
  try {
    doc = documentSchema.parse(JSON.parse(text));
  } catch {
    return { ok: false, message: "The client's metadata document is not valid." };
  }
  if (doc.client_id !== clientId)
    return { ok: false, message: "The metadata document names a different client_id." };
  if (doc.token_endpoint_auth_method && doc.token_endpoint_auth_method !== "none") {
    return {
      ok: false,
      message: "Only public clients (token_endpoint_auth_method none) may use metadata documents.",
    };
  }
  const check = checkRedirectUris(doc.redirect_uris);
  if (!check.ok)
    return {
      ok: false,
      message: `The metadata document has a bad redirect URI: ${check.uri} ${check.reason}.`,
    };
  const values = {
    name: doc.client_name ?? new URL(clientId).host,
    redirectUris: doc.redirect_uris,
    presets: presetsMatching(doc.redirect_uris).map((p) => p.id),
    fetchedAt: new Date(),
    updatedAt: new Date(),
  };
  const [client] = await getDb()
    .insert(oauthClients)
    .values({
      id: clientId,
      orgId: null,
      type: "public",
      allowedScopes: [...ALL_SCOPES],
      registration: "metadata_document",
      verified: false,
      ...values,
    })
    .onConflictDoUpdate({ target: oauthClients.id, set: values })
    .returning();
  return { ok: true, client: client! };
}

/**
 * GET with the address checked for every connection before it is made: IP literals here (Node runs
 * no lookup for them), names in the lookup, on the address actually connected to.
 */
function fetchLimited(raw: string, allowPrivate: boolean): Promise<string> {
  const url = new URL(raw);
  const mod = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    try {
      assertPublicLiteral(url, allowPrivate);
    } catch (err) {
      return reject(err);
    }
    const req = mod.get(
      url,
      {
        lookup: guardedLookup(allowPrivate) as never,
        agent: false,
        headers: { accept: "application/json" },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`HTTP ${res.statusCode}`));
        }
        let size = 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) {
            reject(new Error("document too large"));
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => {
      reject(new Error("timed out"));
      req.destroy();
    });
    // A hard deadline for the whole fetch, not only idle time.
    const deadline = setTimeout(() => {
      reject(new Error("timed out"));
      req.destroy();
    }, TIMEOUT_MS);
    req.on("close", () => clearTimeout(deadline));
    // Belt and braces: whatever connected, it must be a public address.
    req.on("socket", (socket) =>
      socket.once("connect", () => {
        if (!allowPrivate && socket.remoteAddress && isPrivateAddress(socket.remoteAddress)) {
          reject(new Error("private address"));
          req.destroy();
        }
      }),
    );
    req.on("error", reject);
  });
}
