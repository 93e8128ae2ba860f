import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, memberships, orgs, roleMappingPermissions, roleMappings, roles, users } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { systemContext } from "@/lib/http/request-context";
import { hasPermission } from "@/lib/rbac";
import { createRole, deleteRole, renameRole } from "@/lib/rbac/admin";
import { explainPermission } from "@/lib/rbac/explain";
import { mappingMatrix } from "@/lib/rbac/matrix";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { createMapping, previewMappingCells, previewSubscription, setMappingCells, subscribeOrg } from "./mappings";

const getDb = useTestDatabase();
const ctx = systemContext();
let admin: { id: string; email: string; name: string | null };
const plan: Record<string, string> = {};

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  admin = (await db.select().from(users).where(eq(users.email, "admin@gatehouse.example")))[0]!;
  for (const m of await db.select().from(roleMappings)) plan[m.name] = m.id;
});

describe("plans", () => {
  it("shows what saving a plan's matrix would change in every org on it, by role, and saves nothing", async () => {
    const { db } = getDb();
    const current = await db.select({ roleId: roleMappingPermissions.roleId, permissionId: roleMappingPermissions.permissionId }).from(roleMappingPermissions).where(eq(roleMappingPermissions.mappingId, plan.Free!));
    expect(current.length).toBeGreaterThan(0);

    const same = await previewMappingCells(plan.Free!, { cells: current });
    expect(same).toEqual({ orgs: [], unaffectedOrgs: 1, added: [], removed: [] });

    const [member] = await db.select().from(roles).where(eq(roles.key, "member"));
    const withBilling = [...current.filter((c) => !(c.roleId === member!.id && c.permissionId === "billing::manage")), { roleId: member!.id, permissionId: "billing::manage" }];
    const gain = await previewMappingCells(plan.Free!, { cells: withBilling });
    expect(gain.orgs).toEqual([{ slug: "techcorp", name: "TechCorp", members: 1, roles: [{ role: member!.name, members: 1, emails: ["member@techcorp.example"], gained: ["billing::manage"], lost: [] }] }]);
    expect(gain.added).toEqual([`${member!.id}|billing::manage`]);

    const empty = await previewMappingCells(plan.Free!, { cells: [] });
    expect(empty.orgs.map((o) => [o.slug, o.members])).toEqual([["techcorp", 3]]);
    expect(empty.orgs[0]!.roles.map((r) => [r.role, r.members, r.gained])).toEqual([["Admin", 1, []], ["Member", 1, []], ["Owner", 1, []]]);
    expect(empty.orgs[0]!.roles.every((r) => r.lost.length > 0)).toBe(true);

    // Nothing was saved.
    expect(await previewMappingCells(plan.Free!, { cells: current })).toEqual(same);
    await expect(previewMappingCells("00000000-0000-4000-8000-000000000000", { cells: [] })).rejects.toMatchObject({ status: 404 });
  });

  it("previews who gains and loses what, then subscribes with one audited change", async () => {
    const preview = await previewSubscription("xcorp", plan.Free!);
    expect(preview).toMatchObject({ from: "Enterprise", to: "Free" });
    const member = preview.changes.find((c) => c.email === "member@xcorp.example")!;
    expect(member.lost).toEqual(["reports::export"]);
    const xadmin = preview.changes.find((c) => c.email === "admin@xcorp.example")!;
    expect(xadmin.lost).toEqual(["agent_activity::view", "audit::read", "reports::export"]);
    expect(xadmin.gained).toEqual([]);
    expect(preview.roles.find((r) => r.emails.includes("admin@xcorp.example"))).toMatchObject({ members: 1, lost: xadmin.lost });

    const { db } = getDb();
    const [x] = await db.select().from(orgs).where(eq(orgs.slug, "xcorp"));
    const memberId = (await db.select().from(users).where(eq(users.email, "member@xcorp.example")))[0]!.id;
    expect(await hasPermission(memberId, x!.id, "reports::export")).toBe(true);
    await subscribeOrg(admin, "xcorp", plan.Free!, ctx);
    expect(await hasPermission(memberId, x!.id, "reports::export")).toBe(false);
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "org.subscription_changed"), eq(auditEvents.orgId, x!.id)));
    expect(event!.metadata).toMatchObject({ before: { plan: "Enterprise" }, after: { plan: "Free" } });
    await subscribeOrg(admin, "xcorp", plan.Enterprise!, ctx);
  });

  it("copies a mapping and edits its matrix, auditing the cells added and removed", async () => {
    const copy = await createMapping(admin, { name: "Startup", copyFrom: plan.Free! }, ctx);
    const before = (await mappingMatrix(copy.id))!;
    expect(before.granted.length).toBe((await mappingMatrix(plan.Free!))!.granted.length);
    const [member] = await getDb().db.select().from(roles).where(eq(roles.key, "member"));
    const cells = before.granted.map((g) => ({ roleId: g.split("|")[0]!, permissionId: g.split("|")[1]! })).filter((c) => c.roleId !== member!.id);
    cells.push({ roleId: member!.id, permissionId: "billing::manage" });
    const { added, removed } = await setMappingCells(admin, copy.id, { cells }, ctx);
    expect(added).toEqual([`${member!.id}|billing::manage`]);
    expect(removed).toEqual([`${member!.id}|reports::read`]);
  });

  it("renames roles, adds one in the order, and deletes only unused ones", async () => {
    const { db } = getDb();
    const [adminRole] = await db.select().from(roles).where(eq(roles.key, "admin"));
    await renameRole(admin, adminRole!.id, { name: "Manager" }, ctx);
    const support = await createRole(admin, { name: "Agent", key: "agent", belowRoleId: adminRole!.id }, ctx);
    const order = (await db.select().from(roles)).sort((a, b) => b.rank - a.rank).map((r) => r.name);
    expect(order).toEqual(["Owner", "Manager", "Agent", "Member"]);
    const [member] = await db.select().from(roles).where(eq(roles.key, "member"));
    const base = await deleteRole(admin, member!.id, ctx).catch((e: AppError) => e);
    expect(base).toMatchObject({ status: 409, code: "base_role" });
    const [john] = await db.select().from(users).where(eq(users.email, "john@xcorp.example"));
    await db.update(memberships).set({ roleId: support.id }).where(eq(memberships.userId, john!.id));
    const inUse = await deleteRole(admin, support.id, ctx).catch((e: AppError) => e);
    expect(inUse).toMatchObject({ status: 409, code: "role_in_use" });
    await db.update(memberships).set({ roleId: member!.id }).where(eq(memberships.userId, john!.id));
    await deleteRole(admin, support.id, ctx);
    expect((await explainPermission("admin@xcorp.example", "xcorp", "audit::read")).reason).toContain("Manager in XCorp; XCorp is on Enterprise, where Manager has audit::read");
  });

  it("explains a missing permission", async () => {
    const e = await explainPermission("member@techcorp.example", "techcorp", "reports::export");
    expect(e).toMatchObject({ allowed: false, role: "Member", mapping: "Free" });
    expect((await explainPermission("member@techcorp.example", "xcorp", "reports::read")).reason).toContain("not a member");
  });
});
