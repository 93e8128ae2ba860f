import { createServer, type Server } from "node:http";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { oauthClients } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { stampedHeaders } from "@/test/client-ip";
import { call } from "@/test/oauth";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));
const { POST: register } = await import("@/app/oauth/register/route");
const { GET: asMetadata } = await import("@/app/.well-known/oauth-authorization-server/route");
const { setDynamicRegistrationEnabled } = await import("./settings");
const { cleanUpOAuth } = await import("./cleanup");
const { resolveMetadataDocumentClient, isFetchableClientIdUrl } = await import("./metadata-document");
const { isPrivateAddress } = await import("./ssrf");

const getDb = useTestDatabase();
let ipCounter = 0;
const post = (body: unknown, ip = `203.0.113.${++ipCounter}`) =>
  call(register, "/oauth/register", {
    method: "POST",
    headers: { "content-type": "application/json", ...stampedHeaders(ip) },
    body: JSON.stringify(body),
  });

const cursor = {
  client_name: "Cursor",
  redirect_uris: [
    "cursor://anysphere.cursor-mcp/oauth/callback",
    "https://www.cursor.com/agents/mcp/oauth/callback",
    "http://localhost:8787/callback",
  ],
  token_endpoint_auth_method: "none",
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
};

describe("dynamic client registration", () => {
  it("is off by default: refused, and not advertised", async () => {
    const res = await post(cursor);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe("access_denied");
  });

  it("when on: accepts several good URIs whole, marks the client unverified and recognizes the preset", async () => {
    await setDynamicRegistrationEnabled(getDb().db, true);
    const meta = await (await call(asMetadata, "/.well-known/oauth-authorization-server")).json();
    expect(meta.registration_endpoint).toBe("http://localhost:3000/oauth/register");
    const res = await post(cursor);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.client_secret).toBeUndefined();
    expect(body.redirect_uris).toEqual(cursor.redirect_uris);
    const [row] = await getDb().db.select().from(oauthClients).where(eq(oauthClients.id, body.client_id));
    expect(row).toMatchObject({
      registration: "dynamic",
      verified: false,
      type: "public",
      presets: ["cursor"],
      orgId: null,
    });
  });

  it("refuses a request with one bad URI whole, and bad metadata", async () => {
    const before = (await getDb().db.select().from(oauthClients)).length;
    const bad = await post({ ...cursor, redirect_uris: [...cursor.redirect_uris, "javascript:alert(1)"] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("invalid_redirect_uri");
    expect((await post({ ...cursor, grant_types: ["implicit"] })).status).toBe(400);
    expect((await post({ client_name: "x" })).status).toBe(400);
    expect((await getDb().db.select().from(oauthClients)).length).toBe(before);
  });

  it("issues a secret to confidential clients", async () => {
    const body = await (await post({ ...cursor, token_endpoint_auth_method: "client_secret_basic" })).json();
    expect(body.client_secret).toMatch(/^ghs_/);
    const [row] = await getDb().db.select().from(oauthClients).where(eq(oauthClients.id, body.client_id));
    expect(row!.secretHash).not.toContain(body.client_secret);
  });

  it("ignores grant types it will not issue (claude.ai's jwt-bearer) and registers the rest, with CORS", async () => {
    const res = await post({ ...cursor, grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect((await res.json()).grant_types).toEqual(["authorization_code", "refresh_token"]);
  });

  it("validates before it counts: 10 junk requests do not spend the IP's budget of 5", async () => {
    const ip = "198.51.100.99";
    for (let i = 0; i < 10; i++) expect((await post({ client_name: "junk" }, ip)).status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(cursor, ip)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
  });

  it("rate-limits per IP: the sixth registration in a minute is refused", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(cursor, "198.51.100.7")).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it("clean-up removes clients never used within a day or unused for 30 days, and keeps the others", async () => {
    const db = getDb().db;
    const ids = [
      (await (await post(cursor)).json()).client_id,
      (await (await post(cursor)).json()).client_id,
      (await (await post(cursor)).json()).client_id,
    ];
    await db
      .update(oauthClients)
      .set({ createdAt: sql`now() - interval '2 days'` })
      .where(eq(oauthClients.id, ids[0]));
    await db
      .update(oauthClients)
      .set({ createdAt: sql`now() - interval '40 days'`, lastUsedAt: sql`now() - interval '31 days'` })
      .where(eq(oauthClients.id, ids[1]));
    await db
      .update(oauthClients)
      .set({ createdAt: sql`now() - interval '40 days'`, lastUsedAt: sql`now() - interval '2 days'` })
      .where(eq(oauthClients.id, ids[2]));
    await cleanUpOAuth(db);
    const left = (await db.select({ id: oauthClients.id }).from(oauthClients)).map((r) => r.id);
    expect(left).not.toContain(ids[0]);
    expect(left).not.toContain(ids[1]);
    expect(left).toContain(ids[2]);
  });
});

describe("client ID metadata documents", () => {
  let server: Server;
  let base = "";
  let hits = 0;
  let doc: Record<string, unknown> = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === "/big.json") {
        res.end("x".repeat(10_000));
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(doc));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("resolves a client from its document, caches it, and checks the redirect policy", async () => {
    const id = `${base}/client.json`;
    doc = {
      client_id: id,
      client_name: "Doc Client",
      redirect_uris: ["http://127.0.0.1/callback"],
      token_endpoint_auth_method: "none",
    };
    const r = await resolveMetadataDocumentClient(id);
    expect(r.ok && r.client).toMatchObject({
      id,
      name: "Doc Client",
      registration: "metadata_document",
      verified: false,
      type: "public",
    });
    const before = hits;
    await resolveMetadataDocumentClient(id);
    expect(hits).toBe(before); // cached
    const other = `${base}/other.json`;
    doc = { client_id: "https://someone-else.example/c.json", redirect_uris: ["http://127.0.0.1/cb"] };
    expect((await resolveMetadataDocumentClient(other)).ok).toBe(false);
    doc = { client_id: `${base}/bad.json`, redirect_uris: ["javascript:alert(1)"] };
    expect((await resolveMetadataDocumentClient(`${base}/bad.json`)).ok).toBe(false);
    expect((await resolveMetadataDocumentClient(`${base}/big.json`)).ok).toBe(false);
  });

  it("refuses non-https, credentials, fragments and private addresses", () => {
    expect(isFetchableClientIdUrl("http://example.com/c.json")).toBe(false);
    expect(isFetchableClientIdUrl("https://u:p@example.com/c.json")).toBe(false);
    expect(isFetchableClientIdUrl("https://example.com/c.json#x")).toBe(false);
    expect(isFetchableClientIdUrl("https://example.com/")).toBe(false);
    expect(isFetchableClientIdUrl("https://example.com/c.json")).toBe(true);
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });
});
