import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { oauthClientBlocks, oauthClients } from "@/drizzle/schema";
import { constantTimeEqual, sha256 } from "@/lib/crypto";
import { type Executor, getDb, preparedOnce } from "@/lib/db";
import { invalidClient, type OAuthError } from "./errors";

export type OAuthClientRow = typeof oauthClients.$inferSelect;

// Every token, revocation and introspection request looks its client up: prepared once per database handle.
const byIdStatements = new WeakMap<Executor, ReturnType<typeof prepareFindClient>>();
const prepareFindClient = (db: Executor) =>
  db.select().from(oauthClients).where(eq(oauthClients.id, sql.placeholder("id"))).prepare("gh_oauth_client_by_id");

/** The client with this id, or null. */
export async function findClient(clientId: string, db: Executor = getDb()): Promise<OAuthClientRow | null> {
  if (!clientId || clientId.length > 2048) return null;
  const [row] = await preparedOnce(byIdStatements, db, prepareFindClient).execute({ id: clientId });
  return row ?? null;
}

/** Whether the org's admins blocked this client. */
export async function isClientBlocked(
  orgId: string,
  clientId: string,
  db: Executor = getDb(),
): Promise<boolean> {
  const rows = await db
    .select({ orgId: oauthClientBlocks.orgId })
    .from(oauthClientBlocks)
    .where(and(eq(oauthClientBlocks.orgId, orgId), eq(oauthClientBlocks.clientId, clientId)))
    .limit(1);
  return rows.length > 0;
}

export interface ClientCredentials {
  clientId: string | null;
  secret: string | null;
  method: "client_secret_basic" | "client_secret_post" | "none";
}

/** Read client credentials from `Authorization: Basic` or the form body (RFC 6749 §2.3.1). */
export function readClientCredentials(headers: Headers, form: URLSearchParams): ClientCredentials {
  const auth = headers.get("authorization");
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) throw invalidClient("Malformed Basic credentials.", true);
    const id = safeDecode(decoded.slice(0, i));
    const secret = safeDecode(decoded.slice(i + 1));
    const bodyId = form.get("client_id");
    if (bodyId && bodyId !== id) throw invalidClient("client_id does not match the credentials.", true);
    return { clientId: id, secret, method: "client_secret_basic" };
  }
  const secret = form.get("client_secret");
  return { clientId: form.get("client_id"), secret, method: secret ? "client_secret_post" : "none" };
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, " "));
  } catch {
    throw invalidClient("Malformed Basic credentials.", true);
  }
}

/**
 * Authenticate the client at the token, revocation or introspection endpoint: confidential
 * clients by secret (SHA-256 compared in constant time), public clients by id alone.
 */
export async function authenticateClient(
  creds: ClientCredentials,
  db: Executor = getDb(),
): Promise<OAuthClientRow> {
  const client = creds.clientId ? await findClient(creds.clientId, db) : null;
  const error = credentialsProblem(creds, client);
  if (error) throw error;
  return client!;
}

/**
 * Why `creds` do not authenticate as `client` (the row of their client id, or null when there is
 * none), as the invalid_client error to answer; null when they do.
 */
export function credentialsProblem(
  creds: ClientCredentials,
  client: Pick<OAuthClientRow, "type" | "secretHash" | "disabledAt"> | null,
): OAuthError | null {
  const basic = creds.method === "client_secret_basic";
  if (!creds.clientId) return invalidClient("Client authentication is required.", basic);
  if (!client || client.disabledAt) return invalidClient("Unknown or disabled client.", basic);
  if (client.type === "confidential") {
    if (!creds.secret || !client.secretHash || !constantTimeEqual(sha256(creds.secret), client.secretHash)) {
      return invalidClient("Client authentication failed.", basic);
    }
  } else if (creds.secret) {
    return invalidClient("Public clients do not authenticate with a secret.", basic);
  }
  return null;
}

/** Mark a client used now (drives the dynamic-registration clean-up). */
export async function touchClient(clientId: string, db: Executor = getDb()) {
  await db
    .update(oauthClients)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(oauthClients.id, clientId), isNull(oauthClients.disabledAt)));
}
