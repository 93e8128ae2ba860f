import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { orgs, roleMappingPermissions, roleMappings, roles, users } from "@/drizzle/schema";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { getMemberRole, hasPermission, isAtLeastRole, listPermissions } from "./index";

const getDb = useTestDatabase();
const ids: Record<string, string> = {};

beforeAll(async () => {
  const { db } = getDb();
  expect(await seedDemo(db)).toBe(true);
  expect(await seedDemo(db)).toBe(false); // idempotent
  for (const u of await db.select().from(users)) ids[u.email] = u.id;
  for (const o of await db.select().from(orgs)) ids[o.slug] = o.id;
});

describe("authorization primitives", () => {
  it.each([
    ["member@xcorp.example", "xcorp", "reports::export", true], // Enterprise: members export
    ["member@techcorp.example", "techcorp", "reports::export", false], // Free: nobody exports
    ["admin@xcorp.example", "xcorp", "audit::read", true],
    ["admin@techcorp.example", "techcorp", "audit::read", false],
    ["owner@techcorp.example", "techcorp", "audit::read", true],
    ["owner@xcorp.example", "techcorp", "reports::read", false], // not a member there
    ["admin@gatehouse.example", "xcorp", "reports::read", false], // platform staff are not members
  ])("%s in %s has %s: %s", async (email, org, perm, expected) => {
    expect(await hasPermission(ids[email]!, ids[org]!, perm)).toBe(expected);
  });

  it.each([
    ["owner@xcorp.example", "admin", true],
    ["admin@xcorp.example", "admin", true],
    ["admin@xcorp.example", "owner", false],
    ["member@xcorp.example", "member", true],
    ["member@xcorp.example", "admin", false],
    ["member@techcorp.example", "member", false], // member of another org
  ])("%s is at least %s in xcorp: %s", async (email, role, expected) => {
    expect(await isAtLeastRole(ids[email]!, ids.xcorp!, role)).toBe(expected);
  });

  it("follows the org's plan, so a plan change applies on the next check", async () => {
    const { db } = getDb();
    const admin = ids["admin@xcorp.example"]!;
    expect(await listPermissions(admin, ids.xcorp!)).toContain("audit::read");
    const [free] = await db.select().from(roleMappings).where(eq(roleMappings.name, "Free"));
    const [enterprise] = await db.select().from(roleMappings).where(eq(roleMappings.name, "Enterprise"));
    await db.update(orgs).set({ roleMappingId: free!.id }).where(eq(orgs.id, ids.xcorp!));
    expect(await hasPermission(admin, ids.xcorp!, "audit::read")).toBe(false);
    expect(await hasPermission(admin, ids.xcorp!, "members::manage")).toBe(true);
    await db.update(orgs).set({ roleMappingId: enterprise!.id }).where(eq(orgs.id, ids.xcorp!));
    expect(await hasPermission(admin, ids.xcorp!, "audit::read")).toBe(true);
  });

  it("follows edits of the mapping matrix", async () => {
    const { db } = getDb();
    const [enterprise] = await db.select().from(roleMappings).where(eq(roleMappings.name, "Enterprise"));
    const [member] = await db.select().from(roles).where(eq(roles.key, "member"));
    const cell = and(
      eq(roleMappingPermissions.mappingId, enterprise!.id),
      eq(roleMappingPermissions.roleId, member!.id),
      eq(roleMappingPermissions.permissionId, "reports::export"),
    );
    await db.delete(roleMappingPermissions).where(cell);
    expect(await hasPermission(ids["member@xcorp.example"]!, ids.xcorp!, "reports::export")).toBe(false);
    await db.insert(roleMappingPermissions).values({ mappingId: enterprise!.id, roleId: member!.id, permissionId: "reports::export" });
    expect(await hasPermission(ids["member@xcorp.example"]!, ids.xcorp!, "reports::export")).toBe(true);
  });

  it("gives the member's role, or null outside the org", async () => {
    expect(await getMemberRole(ids["owner@xcorp.example"]!, ids.xcorp!)).toMatchObject({ key: "owner", name: "Owner" });
    expect(await getMemberRole(ids["owner@xcorp.example"]!, ids.techcorp!)).toBeNull();
  });
});
