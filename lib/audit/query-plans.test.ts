// Every explorer filter is served in (occurred_at desc, id desc) order by an index: the plan of the
// page statement (the very SQL searchAuditEvents runs) has no Sort node, at every page depth. On
// the PostgreSQL server and on PGlite (the same planner code), over monthly partitions with enough
// rows for the planner to weigh a Sort against an index scan. A control case shows the check can
// fail: the same statement ordered by plain `desc` (NULLS FIRST, which no index stores) sorts.
import { and, eq, sql } from "drizzle-orm";
import { auditEvents } from "@/drizzle/schema";
import { beforeAll, describe, expect, it } from "vitest";
import { orgs, roleMappings } from "@/drizzle/schema";
import { createBenchOrgs, seedBenchEvents } from "@/bench/_audit-seed";
import { useTestDatabase } from "@/test/db";
import { encodeCursor } from "./cursor";
import { auditWhere } from "./filter";
import { type AuditFilter, auditPageQuery, inIndexOrder, searchAuditEvents } from "./query";

const getDb = useTestDatabase();
const ROWS = process.env.DATABASE_URL ? 200_000 : 60_000;

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function walk(n: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(n);
  for (const c of n.Plans ?? []) walk(c, out);
  return out;
}

let hot = "";
let actor = "";
let client = "";
let obo = "";

type Client = { query(t: string, p?: unknown[]): Promise<{ rows: { "QUERY PLAN": unknown }[] }> };
const parse = (raw: unknown) => walk(((typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]!.Plan);

/**
 * The plans the explorer gets for a page statement, planned where searchAuditEvents runs it
 * (inIndexOrder): its plan with the values bound, and on a server also the generic plan its
 * prepared statement keeps.
 */
async function plans(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<PlanNode[][]> {
  const { sql: text, params } = query.toSQL();
  return inIndexOrder(undefined, async (ex) => {
    const client = (ex as unknown as { $client?: Client }).$client;
    if (client && "connect" in client) {
      // The ordered-reads pool: one connection for PREPARE and EXPLAIN EXECUTE.
      const conn = (await (client as unknown as { connect(): Promise<Client & { release(): void }> }).connect());
      try {
        const custom = parse((await conn.query(`explain (format json) ${text}`, params)).rows[0]!["QUERY PLAN"]);
        await conn.query(`prepare plan_test as ${text}`);
        // EXECUTE takes no bind parameters: the values as literals.
        const literal = (v: unknown) => (typeof v === "number" ? String(v) : `'${(v instanceof Date ? v.toISOString() : String(v)).replace(/'/g, "''")}'`);
        const args = params.map(literal).join(", ");
        const generic = parse((await conn.query(`explain (format json) execute plan_test${args ? `(${args})` : ""}`)).rows[0]!["QUERY PLAN"]);
        await conn.query("deallocate plan_test");
        return [custom, generic];
      } finally {
        conn.release();
      }
    }
    const res = (await ex.execute(sql`explain (format json) ${(query as unknown as { getSQL(): ReturnType<typeof sql> }).getSQL()}`)) as unknown as { rows: { "QUERY PLAN": unknown }[] };
    return [parse(res.rows[0]!["QUERY PLAN"])];
  });
}

/** The plan with default planner settings, of the statement text after `rewrite`. */
async function defaultPlan(query: { toSQL(): { sql: string; params: unknown[] } }, rewrite: (s: string) => string): Promise<PlanNode[]> {
  const { sql: text, params } = query.toSQL();
  const client = (getDb().db as unknown as { $client: Client }).$client;
  return parse((await client.query(`explain (format json) ${rewrite(text)}`, params)).rows[0]!["QUERY PLAN"]);
}

describe("explorer page plans", () => {
  beforeAll(async () => {
    const { db } = getDb();
    await db.execute(sql`select audit_ensure_partitions(13, 3)`);
    const [mapping] = await db.select().from(roleMappings).limit(1);
    const [org] = await db.insert(orgs).values({ slug: "plans-hot", name: "Plans hot", roleMappingId: mapping!.id }).returning();
    hot = org!.id;
    await createBenchOrgs(db, 40);
    await seedBenchEvents(db, { rows: ROWS, orgs: 40, hotOrgId: hot, hotShare: 0.3, days: 360, chunk: 50_000 });
    await db.execute(sql`analyze audit_events`);
    const pick = async (q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: Record<string, string>[] }).rows[0]!;
    actor = (await pick(sql`select actor_id from audit_events where org_id = ${hot} and actor_type = 'user' limit 1`)).actor_id!;
    const agent = await pick(sql`select client_id, on_behalf_of_user_id from audit_events where org_id = ${hot} and actor_type = 'agent' limit 1`);
    client = agent.client_id!;
    obo = agent.on_behalf_of_user_id!;
    expect((await db.select().from(orgs).where(eq(orgs.id, hot))).length).toBe(1);
  }, 600_000);

  const since = (days: number) => new Date(Date.now() - days * 86_400_000);
  const cases: [string, () => AuditFilter][] = [
    ["org, no filter", () => ({ orgId: hot })],
    ["actor", () => ({ orgId: hot, actorId: actor })],
    ["actor type", () => ({ orgId: hot, actorType: "agent" })],
    ["agent (client)", () => ({ orgId: hot, clientId: client })],
    ["on behalf of", () => ({ orgId: hot, onBehalfOfUserId: obo })],
    ["agent + on behalf of", () => ({ orgId: hot, clientId: client, onBehalfOfUserId: obo })],
    ["agent + on behalf of + 30 days", () => ({ orgId: hot, clientId: client, onBehalfOfUserId: obo, from: since(30) })],
    ["action", () => ({ orgId: hot, action: "member.invited" })],
    ["action namespace", () => ({ orgId: hot, action: "member.*" })],
    ["action sub-namespace", () => ({ orgId: hot, action: "oauth.token.*" })],
    ["outcome denied", () => ({ orgId: hot, outcome: "denied" })],
    ["outcome success", () => ({ orgId: hot, outcome: "success" })],
    ["namespace + failure", () => ({ orgId: hot, action: "login.*", outcome: "failure" })],
    ["target", () => ({ orgId: hot, targetId: "doc-17" })],
    ["target + 7 days", () => ({ orgId: hot, targetId: "doc-17", from: since(7) })],
    ["actor + action + outcome", () => ({ orgId: hot, actorId: actor, action: "login.*", outcome: "failure" })],
    ["free text", () => ({ orgId: hot, text: "Report 17" })],
    ["time range", () => ({ orgId: hot, from: since(90), to: since(30) })],
    ["last 24 hours", () => ({ orgId: hot, from: since(1) })],
    ["all orgs, no filter", () => ({ orgId: { allOrgs: true } })],
    ["all orgs: actor", () => ({ orgId: { allOrgs: true }, actorId: actor })],
    ["all orgs: on behalf of", () => ({ orgId: { allOrgs: true }, onBehalfOfUserId: obo })],
  ];

  // A deep cursor: two thirds of the way back (within the filter's time range when it has one).
  const deepCursor = (f: AuditFilter) => {
    const newest = f.to?.getTime() ?? Date.now();
    const oldest = f.from?.getTime() ?? Date.now() - 360 * 86_400_000;
    const at = new Date(newest - ((newest - oldest) * 2) / 3);
    return encodeCursor({ ts: at.toISOString().replace("Z", "000Z"), id: "7fffffff-ffff-4fff-bfff-ffffffffffff" });
  };

  it.each(cases)("%s: index order, no Sort (first and deep page)", async (_name, filter) => {
    for (const cursor of [null, deepCursor(filter())]) {
      for (const nodes of await plans(auditPageQuery(filter(), { limit: 50, cursor }, getDb().db))) {
        expect(nodes.map((n) => n["Node Type"])).not.toContain("Sort");
        expect(nodes.map((n) => n["Node Type"])).not.toContain("Incremental Sort");
        expect(nodes.some((n) => n["Index Name"])).toBe(true);
      }
    }
  });

  it("a rare outcome: every plan of its statement, the kept generic one included, reads the outcome index", async () => {
    // One event in a hundred is `denied`: walking the org's time index and filtering would read ~100 rows a match.
    for (const cursor of [null, deepCursor({ orgId: hot })]) {
      for (const nodes of await plans(auditPageQuery({ orgId: hot, outcome: "denied" }, { limit: 50, cursor }, getDb().db))) {
        expect(nodes.map((n) => n["Index Name"] ?? "").filter((name) => name.includes("outcome")).length).toBeGreaterThan(0);
      }
    }
  });

  it("control: with default planner settings and plain desc (nulls first, no index's order), the same filters sort", async () => {
    let sorted = 0;
    for (const [, filter] of cases) {
      const q = auditPageQuery(filter(), { limit: 50 }, getDb().db);
      const nodes = await defaultPlan(q, (text) => {
        expect(text).toContain("desc nulls last");
        return text.replaceAll("desc nulls last", "desc");
      });
      if (nodes.some((n) => n["Node Type"] === "Sort")) sorted++;
    }
    expect(sorted).toBeGreaterThan(0);
  });

  // The same rows as a plain query ordered the default way (planned differently: pkey or Sort), at
  // every depth: the first pages by cursor, and a page from a cursor deep in the results.
  it.each(cases)("%s: pages through the explorer path equal the plain query", async (_name, filter) => {
    const f = filter();
    const { db } = getDb();
    const t = auditEvents;
    const oracle = (await db
      .select({ id: t.id, ts: sql<string>`to_char(${t.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
      .from(t)
      .where(and(...auditWhere(f)))
      .orderBy(sql`${t.occurredAt} desc`, sql`${t.id} desc`)
      .limit(400)) as { id: string; ts: string }[];
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page = await searchAuditEvents(f, { limit: 50, cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(oracle.slice(0, 150).map((r) => r.id));
    if (oracle.length > 300) {
      const at = oracle[249]!;
      const deep = await searchAuditEvents(f, { limit: 50, cursor: encodeCursor({ ts: at.ts, id: at.id }) });
      expect(deep.events.map((e) => e.id)).toEqual(oracle.slice(250, 300).map((r) => r.id));
    }
  });

  it("inside a caller's transaction, Sort is off for the page statement only", async () => {
    const { db } = getDb();
    const setting = async (ex: Pick<typeof db, "execute">) =>
      ((await ex.execute(sql`select current_setting('enable_sort') as v`)) as unknown as { rows: { v: string }[] }).rows[0]!.v;
    await db.transaction(async (tx) => {
      const page = await searchAuditEvents({ orgId: hot, targetId: "doc-17" }, { limit: 2 }, tx);
      expect(page.events.length).toBe(2);
      expect(await setting(tx)).toBe("on");
    });
    expect(await setting(db)).toBe("on");
  });
});
