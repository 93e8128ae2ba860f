import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { orgs, users } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import type { Db } from "@/lib/db";
import { s256 } from "@/lib/oauth/pkce";

export const BASE = "http://localhost:3000";
export const RESOURCE = `${BASE}/api/mcp`;

type Handler = (
  req: NextRequest,
  ctx: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

/** Call a route handler directly with a request to `path`. */
export function call(
  handler: Handler,
  path: string,
  init: RequestInit & { params?: Record<string, string | string[]> } = {},
) {
  const headers = new Headers(init.headers);
  headers.set("host", "localhost:3000");
  const req = new NextRequest(`${BASE}${path}`, { ...init, headers } as ConstructorParameters<
    typeof NextRequest
  >[1]);
  return handler(req, { params: Promise.resolve(init.params ?? {}) });
}

export function form(body: Record<string, string | undefined>): RequestInit {
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(clean).toString(),
  };
}

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256(verifier) };
}

export async function userByEmail(db: Db, email: string): Promise<CurrentUser> {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no user ${email}`);
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    platformRole: u.platformRole,
    emailVerified: true,
    sessionIdHash: `sid-${u.id}`,
  };
}

export async function orgBySlug(db: Db, slug: string) {
  const [o] = await db.select().from(orgs).where(eq(orgs.slug, slug));
  if (!o) throw new Error(`no org ${slug}`);
  return o;
}

/** A JSON-RPC tools/call body. */
export function toolCall(name: string, args: Record<string, unknown> = {}, id = 1) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

export function mcpInit(token: string | null, body: unknown): RequestInit {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-06-18",
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}
