import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditEvents, orgs, roleMappings } from "@/drizzle/schema";
import type { Db } from "@/lib/db";
import { useTestDatabase } from "@/test/db";
import { recordAudit } from "./record";
import { encodeCursor } from "./cursor";
import { flushAuditChains } from "./sequencer";
import { type AuditFilter, auditPageQuery, pageStatement, pageStatementName, searchAuditEvents, toAuditEventDto } from "./query";

const getDb = useTestDatabase();

interface Seeded {
  id: string;
  occurredAt: Date;
  orgId: string;
  actorId: string;
  actorType: "user" | "agent";
  actorName: string;
  clientId: string | null;
  onBehalfOfUserId: string | null;
  action: string;
  outcome: "success" | "failure" | "denied";
  targetId: string | null;
  targetName: string | null;
}

const USERS = { ann: randomUUID(), bob: randomUUID(), john: randomUUID() };
const ACTIONS = ["member.invited", "member.removed", "member.role_changed", "login.succeeded", "login.failed", "mcp.tool_called", "oauth.token.issued", "oauth.consent_granted"];
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/** A deterministic mix of actors, agents, on-behalf-of users, actions, outcomes and times. */
function makeEvents(orgId: string, n: number, salt: number): Seeded[] {
  const out: Seeded[] = [];
  for (let i = 0; i < n; i++) {
    const k = i * 7 + salt;
    const agent = k % 3 === 0;
    const actorKey = (["ann", "bob", "john"] as const)[k % 3 === 1 ? 0 : k % 3 === 2 ? 1 : 2];
    out.push({
      id: randomUUID(),
      // Some events share a timestamp, to exercise the id tie-break.
      occurredAt: new Date(NOW - Math.floor(i / 2) * (DAY / 5) - (k % 5) * 1000),
      orgId,
      actorId: agent ? `agent-${k % 2 ? "cursor" : "claude"}` : USERS[actorKey],
      actorType: agent ? "agent" : "user",
      actorName: agent ? (k % 2 ? "Cursor" : "Claude") : `${actorKey} Example`,
      clientId: agent ? (k % 2 ? "cursor" : "claude") : null,
      onBehalfOfUserId: agent ? (k % 4 === 1 || k % 4 === 3 ? USERS.john : USERS.ann) : null,
      action: ACTIONS[k % ACTIONS.length]!,
      outcome: k % 11 === 0 ? "denied" : k % 5 === 0 ? "failure" : "success",
      targetId: k % 4 === 0 ? `doc-${k % 3}` : null,
      targetName: k % 4 === 0 ? `Quarterly report ${k % 3} =SUM(A1)` : null,
    });
  }
  return out;
}

async function insert(db: Db, events: Seeded[]) {
  await db.insert(auditEvents).values(
    events.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt,
      orgId: e.orgId,
      actorType: e.actorType,
      actorId: e.actorId,
      actorName: e.actorName,
      clientId: e.clientId,
      onBehalfOfUserId: e.onBehalfOfUserId,
      onBehalfOfName: e.onBehalfOfUserId === USERS.john ? "John Doe" : e.onBehalfOfUserId ? "Ann" : null,
      action: e.action,
      outcome: e.outcome,
      targetType: e.targetId ? "document" : null,
      targetId: e.targetId,
      targetName: e.targetName,
      metadata: {},
    })),
  );
}

async function makeOrg(db: Db, slug: string) {
  const [m] = await db.insert(roleMappings).values({ name: `m-${slug}` }).returning();
  const [o] = await db.insert(orgs).values({ slug, name: slug, roleMappingId: m!.id }).returning();
  return o!;
}

/** Every event matching `filter`, following cursors page by page. */
async function all(filter: AuditFilter, limit = 7) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await searchAuditEvents(filter, { limit, cursor }, getDb().db);
    ids.push(...page.events.map((e) => e.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

function expected(events: Seeded[], pred: (e: Seeded) => boolean) {
  return events
    .filter(pred)
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((e) => e.id);
}

describe("searchAuditEvents", () => {
  let a: Seeded[] = [];
  let b: Seeded[] = [];
  let orgA = "";
  let orgB = "";

  it("seeds two orgs", async () => {
    const { db } = getDb();
    orgA = (await makeOrg(db, "query-a")).id;
    orgB = (await makeOrg(db, "query-b")).id;
    a = makeEvents(orgA, 120, 0);
    b = makeEvents(orgB, 90, 3);
    await insert(db, a);
    await insert(db, b);
  });

  const from = new Date(NOW - 10 * DAY);
  const to = new Date(NOW - 2 * DAY);
  const cases: [string, Omit<AuditFilter, "orgId">, (e: Seeded) => boolean][] = [
    ["no filter", {}, () => true],
    ["actor", { actorId: USERS.ann }, (e) => e.actorId === USERS.ann],
    ["actor type", { actorType: "agent" }, (e) => e.actorType === "agent"],
    ["client", { clientId: "cursor" }, (e) => e.clientId === "cursor"],
    ["on behalf of", { onBehalfOfUserId: USERS.john }, (e) => e.onBehalfOfUserId === USERS.john],
    ["exact action", { action: "member.invited" }, (e) => e.action === "member.invited"],
    ["action namespace", { action: "member.*" }, (e) => e.action.startsWith("member.")],
    ["nested namespace", { action: "oauth.token.*" }, (e) => e.action.startsWith("oauth.token.")],
    ["outcome failure", { outcome: "failure" }, (e) => e.outcome === "failure"],
    ["outcome success", { outcome: "success" }, (e) => e.outcome === "success"],
    ["target", { targetId: "doc-1" }, (e) => e.targetId === "doc-1"],
    ["text, case-insensitive", { text: "QUARTERLY report 2" }, (e) => !!e.targetName?.toLowerCase().includes("quarterly report 2")],
    ["text with LIKE wildcards is literal", { text: "%" }, () => false],
    ["time range", { from, to }, (e) => e.occurredAt >= from && e.occurredAt < to],
    [
      "agent on behalf of a user over a time range",
      { clientId: "cursor", onBehalfOfUserId: USERS.john, from, to },
      (e) => e.clientId === "cursor" && e.onBehalfOfUserId === USERS.john && e.occurredAt >= from && e.occurredAt < to,
    ],
    ["actor and namespace", { actorId: USERS.bob, action: "login.*" }, (e) => e.actorId === USERS.bob && e.action.startsWith("login.")],
    ["namespace and outcome", { action: "login.*", outcome: "failure" }, (e) => e.action.startsWith("login.") && e.outcome === "failure"],
    ["target and time", { targetId: "doc-0", from }, (e) => e.targetId === "doc-0" && e.occurredAt >= from],
  ];

  it.each(cases)("filter: %s", async (_name, f, pred) => {
    const want = expected(a, pred);
    if (_name !== "text with LIKE wildcards is literal") expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(a.length + (_name === "no filter" ? 1 : 0));
    expect(await all({ ...f, orgId: orgA })).toEqual(want);
    // Never widened past the org, whatever else the filter says.
    expect(await all({ ...f, orgId: orgB })).toEqual(expected(b, pred));
  });

  it("searches across orgs only when asked explicitly", async () => {
    const ids = await all({ orgId: { allOrgs: true }, onBehalfOfUserId: USERS.john }, 50);
    expect(ids).toEqual(expected([...a, ...b], (e) => e.onBehalfOfUserId === USERS.john));
    await expect(searchAuditEvents({ orgId: "" }, { limit: 5 }, getDb().db)).rejects.toThrow();
    await expect(searchAuditEvents({ orgId: { allOrgs: false } as never }, { limit: 5 }, getDb().db)).rejects.toThrow();
  });

  it("refuses malformed cursors and actions with a 400", async () => {
    await expect(searchAuditEvents({ orgId: orgA }, { limit: 5, cursor: "bm9wZQ" }, getDb().db)).rejects.toMatchObject({ status: 400 });
    await expect(searchAuditEvents({ orgId: orgA, action: "drop table" }, { limit: 5 }, getDb().db)).rejects.toMatchObject({ status: 400 });
  });

  it("gives every field as drizzle's own mapping of the same statement does (linked and not, every kind of column)", async () => {
    const { db } = getDb();
    const org = await makeOrg(db, "query-fields");
    await db.transaction(async (tx) => {
      await recordAudit(tx, {
        orgId: org.id,
        actor: { type: "agent", id: "agent-x", name: "Agent X" },
        onBehalfOf: { userId: USERS.john, name: "John Doe" },
        clientId: "agent-x",
        grantId: "grant-1",
        action: "mcp.tool_called",
        outcome: "denied",
        target: { type: "document", id: "doc-1", name: "Plan" },
        metadata: { tool: "search", n: 3, nested: { ok: true }, list: [1, "two"] },
      });
      await recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "member.invited" });
    });
    await flushAuditChains(db);
    await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "user", id: USERS.ann, name: "Ann" }, action: "member.removed" }));
    const page = await searchAuditEvents({ orgId: org.id }, { limit: 10 }, db);
    const oracle = (await auditPageQuery({ orgId: org.id }, { limit: 10 }, db)).slice(0, 10).map(toAuditEventDto);
    expect(page.events).toEqual(oracle);
    expect(page.events.map((e) => e.chainSeq)).toEqual([null, 2, 1]);
    expect(page.events[2]).toMatchObject({
      orgSlug: "query-fields",
      actor: { type: "agent", id: "agent-x", name: "Agent X" },
      onBehalfOf: { userId: USERS.john, name: "John Doe" },
      target: { type: "document", id: "doc-1", name: "Plan" },
      metadata: { tool: "search", n: 3, nested: { ok: true }, list: [1, "two"] },
    });
    expect(page.events[2]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("pages neither skip nor repeat rows while new events arrive", async () => {
    const { db } = getDb();
    const org = await makeOrg(db, "query-live");
    await db.transaction(async (tx) => {
      for (let i = 0; i < 25; i++) await recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "member.invited", metadata: { i } });
    });
    const before = await all({ orgId: org.id }, 1000);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page = await searchAuditEvents({ orgId: org.id }, { limit: 4, cursor }, db);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      // New events keep arriving between pages, in the same millisecond as older ones or later.
      await db.transaction((tx) => recordAudit(tx, { orgId: org.id, actor: { type: "system" }, action: "member.removed", metadata: { round } }));
      round++;
    } while (cursor);
    expect(seen).toEqual(before);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe("the kept page statement", () => {
  it("takes each call's own values, never those of the call that built the shape's text", () => {
    const { db } = getDb();
    const cursorA = encodeCursor({ ts: "2026-11-20T12:00:00.000001Z", id: USERS.bob });
    const cursorB = encodeCursor({ ts: "2026-11-21T08:30:00.500000Z", id: USERS.ann });
    const a: AuditFilter = { orgId: "00000000-0000-0000-0000-00000000000a", actorId: USERS.ann, action: "oauth.token.*", text: "50%_off", from: new Date(NOW - DAY) };
    const b: AuditFilter = { orgId: "00000000-0000-0000-0000-00000000000b", actorId: USERS.john, action: "login.mfa.*", text: "other", from: new Date(NOW - 2 * DAY) };
    const first = pageStatement(a, { limit: 20, cursor: cursorA });
    const second = pageStatement(b, { limit: 75, cursor: cursorB });
    expect(second.name).toBe(first.name);
    expect(second.sql).toBe(first.sql);
    expect(first.params).toEqual(auditPageQuery(a, { limit: 20, cursor: cursorA }, db).toSQL().params);
    expect(second.params).toEqual(auditPageQuery(b, { limit: 75, cursor: cursorB }, db).toSQL().params);
    expect(second.params).toEqual(expect.arrayContaining([b.orgId, USERS.john, "login", "login.mfa.%", "%other%", new Date(NOW - 2 * DAY).toISOString(), 76]));
    expect(second.params).not.toContain(a.orgId);
  });

  it("refuses a malformed cursor or action on a shape already kept, as on its first build", () => {
    const f: AuditFilter = { orgId: "00000000-0000-0000-0000-00000000000c", action: "member.invited" };
    pageStatement(f, { limit: 10 });
    expect(() => pageStatement({ ...f, action: "member invited" }, { limit: 10 })).toThrow(/action/);
    const cursor = encodeCursor({ ts: "2026-11-20T12:00:00.000000Z", id: USERS.bob });
    pageStatement(f, { limit: 10, cursor });
    expect(() => pageStatement(f, { limit: 10, cursor: "not-a-cursor" })).toThrow();
  });
});

describe("the page statement's name", () => {
  it("is one SQL text per name and one name per SQL text, over every combination of conditions", () => {
    const { db } = getDb();
    const optional: [keyof AuditFilter, unknown[]][] = [
      ["actorId", [USERS.ann]],
      ["actorType", ["agent"]],
      ["clientId", ["cursor"]],
      ["onBehalfOfUserId", [USERS.john]],
      ["targetId", ["doc-1"]],
      ["outcome", ["failure", "denied"]],
      ["action", ["member.invited", " member.* ", "oauth.token.*"]],
      ["text", ["report", "  "]],
      ["from", [new Date(NOW - DAY)]],
      ["to", [new Date(NOW)]],
    ];
    const cursor = encodeCursor({ ts: "2026-11-20T12:00:00.000001Z", id: USERS.bob });
    const byName = new Map<string, string>();
    const byText = new Map<string, string>();
    let filters: Partial<AuditFilter>[] = [{ orgId: "00000000-0000-0000-0000-000000000001" }, { orgId: { allOrgs: true } }];
    for (const [key, values] of optional) filters = filters.flatMap((f) => [f, ...values.map((v) => ({ ...f, [key]: v }))]);
    for (const f of filters) {
      for (const c of [null, cursor]) {
        const name = pageStatementName(f as AuditFilter, c);
        const built = auditPageQuery(f as AuditFilter, { limit: 50, cursor: c }, db).toSQL();
        const text = built.sql;
        // The kept statement of the shape (built once, its values gathered per call) is this query, values and all.
        for (let i = 0; i < 2; i++) expect(pageStatement(f as AuditFilter, { limit: 50, cursor: c })).toEqual({ name, sql: text, params: built.params });
        expect(byName.get(name) ?? text).toBe(text);
        expect(byText.get(text) ?? name).toBe(name);
        byName.set(name, text);
        byText.set(text, name);
      }
    }
    // Every shape distinct: 2 scopes × 2^5 equality conditions × 3 outcomes (none, or one of two written
    // into the statement) × 4 action kinds × 2 (text) × 2 × 2 (time) × 2 (cursor).
    expect(byName.size).toBe(2 * 32 * 3 * 4 * 2 * 2 * 2 * 2);
  });
});
