import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { oauthGrants, orgs, users } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { seedDemo } from "@/lib/seed/demo";
import { discoverMutations, ROOT } from "@/test/audit-coverage/discover";
import { callRoute, loadEntry, ORIGIN } from "@/test/audit-coverage/harness";
import { MAX_ANY_BODY_BYTES } from "@/lib/http/body";
import { countingBody, HUNDRED_MB } from "@/test/counting-body";
import { useTestDatabase } from "@/test/db";
import { BODY_CASES, type BodyCase, type Caller } from "./cases";

// Wrapped handlers see this user; everything else runs for real on a fresh database.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const getDb = useTestDatabase();
const EMAILS: Record<Exclude<Caller, "anonymous" | "mcp-token" | "platform-api-key">, string> = {
  member: "john@xcorp.example",
  owner: "owner@xcorp.example",
  "platform-admin": "admin@gatehouse.example",
  support: "support@gatehouse.example",
};
let mcpToken = "";
let platformApiKey = "";

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  const [john] = await db.select().from(users).where(eq(users.email, EMAILS.member));
  const [xcorp] = await db.select().from(orgs).where(eq(orgs.slug, "xcorp"));
  const { createClient } = await import("@/lib/oauth/client-admin");
  const { issueAccessToken } = await import("@/lib/oauth/tokens");
  const { systemContext } = await import("@/lib/http/request-context");
  const resource = "http://localhost:3000/api/mcp";
  const scopes = ["profile", "members:read"];
  const { clientId } = await createClient(
    { orgId: xcorp!.id },
    { name: "Bodies", type: "public", presets: ["claude-code"], presetParams: {}, redirectUris: [], allowedScopes: scopes, accessTokenTtlSeconds: 600 },
    { user: { id: john!.id, email: john!.email }, context: systemContext() },
  );
  const [grant] = await db.insert(oauthGrants).values({ clientId, userId: john!.id, orgId: xcorp!.id, scopes, resource }).returning();
  const { createApiKey } = await import("@/lib/api-keys");
  const [staff] = await db.select().from(users).where(eq(users.email, EMAILS["platform-admin"]));
  platformApiKey = (await createApiKey(staff!, { name: "Bodies backend" }, systemContext())).key;
  mcpToken = (await issueAccessToken({ userId: john!.id, orgId: xcorp!.id, clientId, grantId: grant!.id, scopes, resource, ttlSeconds: 600 })).token;
});

async function signInAs(caller: Caller) {
  session.user = null;
  if (caller === "anonymous" || caller === "mcp-token" || caller === "platform-api-key") return;
  const [u] = await getDb().db.select().from(users).where(eq(users.email, EMAILS[caller]));
  session.user = { id: u!.id, email: u!.email, name: u!.name, platformRole: u!.platformRole, emailVerified: true, sessionIdHash: "bodies" };
}

/** Every string leaf of a sample body, as [field path, a copy with `bad` in that string]. */
function variants(value: unknown, bad: string, at = ""): [string, unknown][] {
  if (typeof value === "string") return [[at, `${value}${bad}x`]];
  if (Array.isArray(value))
    return value.flatMap((item, i) => variants(item, bad, at ? `${at}.${i}` : String(i)).map(([p, v]) => [p, value.map((x, j) => (j === i ? v : x))] as [string, unknown]));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, item]) =>
      variants(item, bad, at ? `${at}.${k}` : k).map(([p, v]) => [p, { ...value, [k]: v }] as [string, unknown]),
    );
  return [];
}

/** A form body; a lone surrogate (which UTF-8 cannot carry) travels as its 3 bytes, %ED%A0%80. */
function formBody(fields: Record<string, string>): string {
  const encode = (s: string) => s.split("\ud800").map(encodeURIComponent).join("%ED%A0%80");
  return Object.entries(fields)
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join("&");
}

const authHeaders = (c: BodyCase): Record<string, string> =>
  c.as === "mcp-token"
    ? { authorization: `Bearer ${mcpToken}`, accept: "application/json, text/event-stream" }
    : c.as === "platform-api-key"
      ? { authorization: `Bearer ${platformApiKey}` }
      : {};
const paramsOf = (key: string, c: BodyCase) => (key.includes("[...nextauth]") ? { nextauth: ["callback", "login-flow"] as never } : c.params);

async function send(key: string, c: BodyCase, body: unknown) {
  await signInAs(c.as);
  const headers = authHeaders(c);
  const init = c.form
    ? { body: formBody(body as Record<string, string>), headers: { ...headers, "content-type": "application/x-www-form-urlencoded" } }
    : { json: body, headers };
  return callRoute(await loadEntry(key), c.path, { method: key.split(" ")[1]!, params: paramsOf(key, c), ...init });
}

const writeRoutes = discoverMutations().filter((k) => /\/route\.ts /.test(k));
const withBody = writeRoutes.filter((k) => !("none" in (BODY_CASES[k] ?? { none: "" })));
const BAD = [
  ["NUL", "\u0000"],
  ["lone surrogate", "\ud800"],
] as const;

describe("strings in the bodies of every write route", () => {
  it("knows the body of every write route (add it to test/http-bodies/cases.ts)", () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(40);
    expect(writeRoutes.filter((k) => !(k in BODY_CASES)), "write routes without a body case").toEqual([]);
    expect(Object.keys(BODY_CASES).filter((k) => !writeRoutes.includes(k)), "cases of routes that no longer exist").toEqual([]);
  });

  it("route files with only body-less writes read no body; the others read it through lib/http/body", () => {
    const reads = /\b(readJson|readJsonValue|readFormBody|readForm|readText|readBytes|withCheckedForm|handleMcpRequest|answerTokenRequest|answerValidateRequest)\(/;
    for (const file of new Set(writeRoutes.map((k) => k.split(" ")[0]!))) {
      const src = readFileSync(path.join(ROOT, file), "utf8");
      const declared = withBody.some((k) => k.startsWith(`${file} `));
      expect(reads.test(src), `${file}: ${declared ? "reads no body through lib/http/body" : "declared body-less but reads a body"}`).toBe(declared);
    }
  });

  for (const [name, bad] of BAD) {
    it.each(withBody)(`%s: a ${name} in any string field is a 400 naming the field`, async (key) => {
      const c = BODY_CASES[key] as BodyCase;
      const sample = c.json ?? c.form;
      const cases = variants(sample, bad);
      expect(cases.length).toBeGreaterThan(0);
      for (const [field, body] of cases) {
        const res = await send(key, c, body);
        const text = await res.text();
        expect(res.status, `${field}: ${text}`).toBe(400);
        const { error } = JSON.parse(text) as { error: { code: string; fields?: Record<string, string> } };
        expect(Object.keys(error.fields ?? {}), text).toEqual([field]);
      }
    });
  }
});

describe("a 100 MB streamed body to every write route that reads one", () => {
  type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

  it.each(withBody)("%s: 413 after pulling no more than its limit", async (key) => {
    const c = BODY_CASES[key] as BodyCase;
    await signInAs(c.as);
    const { stream, counter } = countingBody(HUNDRED_MB);
    const type = c.form ? "application/x-www-form-urlencoded" : "application/json";
    const req = new NextRequest(`${ORIGIN}${c.path}`, {
      method: key.split(" ")[1]!,
      headers: { origin: ORIGIN, host: "localhost:3000", "content-type": type, ...authHeaders(c) },
      body: stream,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]);
    const res = await ((await loadEntry(key)) as Handler)(req, { params: Promise.resolve(paramsOf(key, c) ?? {}) });
    expect(res.status, await res.text()).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(MAX_ANY_BODY_BYTES + 64 * 1024);
  });
});

describe("no body is read around lib/http/body", () => {
  it("app/ and lib/ never call req.json(), formData(), text() or arrayBuffer() on a request", () => {
    const offenders: string[] = [];
    for (const dir of ["app", "lib"]) {
      for (const f of readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
        if (!/\.tsx?$/.test(f) || /\.test\.tsx?$/.test(f) || f.startsWith("queries")) continue;
        const src = readFileSync(path.join(ROOT, dir, f), "utf8");
        if (/\b(req|request)\.(json|formData|text|arrayBuffer|blob)\(\)/.test(src)) offenders.push(`${dir}/${f}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
