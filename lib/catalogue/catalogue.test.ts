import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, orgs, permissions, roleMappingPermissions, roleMappings, roles, userPropertyDefinitions, users } from "@/drizzle/schema";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { systemContext } from "@/lib/http/request-context";
import { createOrgAsStaff } from "@/lib/orgs/create";
import { updateMapping } from "@/lib/plans/mappings";
import { DemoRefusedError, seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { BASE_PERMISSIONS, BASE_ROLES, CatalogueError, assertCatalogue, ensureCatalogue } from "./index";

const getDb = useTestDatabase();

/** Permission ids a role holds on a plan. */
async function grantsOf(mappingId: string, roleKey: string) {
  const rows = await getDb()
    .db.select({ id: roleMappingPermissions.permissionId })
    .from(roleMappingPermissions)
    .innerJoin(roles, eq(roles.id, roleMappingPermissions.roleId))
    .where(and(eq(roleMappingPermissions.mappingId, mappingId), eq(roles.key, roleKey)));
  return rows.map((r) => r.id).sort();
}

afterEach(() => {
  delete process.env.APP_ENV;
  process.env.APP_ENV = "test";
  resetEnvForTests();
});

describe("the catalogue on a fresh install (no demo)", () => {
  it("has the base roles in order, every checked permission, one default plan and the name property", async () => {
    const { db } = getDb();
    const roleRows = await db.select().from(roles).orderBy(sql`${roles.rank} desc`);
    expect(roleRows.map((r) => r.key)).toEqual(BASE_ROLES.map((r) => r.key));
    const ids = (await db.select({ id: permissions.id }).from(permissions)).map((p) => p.id).sort();
    expect(ids).toEqual(BASE_PERMISSIONS.map(([id]) => id).sort());
    const plans = await db.select().from(roleMappings);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ name: "Free", isDefault: true });
    expect(await grantsOf(plans[0]!.id, "member")).toEqual([]);
    expect(await grantsOf(plans[0]!.id, "admin")).toEqual(["api_keys::manage", "members::manage", "members::read"]);
    expect(await grantsOf(plans[0]!.id, "owner")).toEqual(["api_keys::manage", "audit::read", "billing::manage", "members::manage", "members::read", "org::manage"]);
    const props = await db.select().from(userPropertyDefinitions);
    expect(props.map((p) => p.key)).toEqual(["name"]);
    const installed = await db.select().from(auditEvents).where(eq(auditEvents.action, "platform.catalogue_installed"));
    expect(installed).toHaveLength(1);
  });

  it("is idempotent and leaves operators' changes alone: a renamed role, a removed property, a new default", async () => {
    const database = getDb();
    const { db } = database;
    await db.update(roles).set({ name: "Manager" }).where(eq(roles.key, "admin"));
    await db.delete(userPropertyDefinitions).where(eq(userPropertyDefinitions.key, "name"));
    const [free] = await db.select().from(roleMappings).where(eq(roleMappings.isDefault, true));
    await db.update(roleMappings).set({ isDefault: false }).where(eq(roleMappings.id, free!.id));
    const [pro] = await db.insert(roleMappings).values({ name: "Pro", isDefault: true }).returning();

    await migrateDatabase(database);
    await migrateDatabase(database);

    const [admin] = await db.select().from(roles).where(eq(roles.key, "admin"));
    expect(admin!.name).toBe("Manager");
    expect(await db.select().from(userPropertyDefinitions)).toHaveLength(0);
    const defaults = await db.select().from(roleMappings).where(eq(roleMappings.isDefault, true));
    expect(defaults.map((d) => d.id)).toEqual([pro!.id]);
    // Only the first install is recorded; the re-runs changed nothing.
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, "platform.catalogue_installed"))).toHaveLength(1);
  });

  it("a second default plan is refused by the database", async () => {
    const { db } = getDb();
    await expect(db.insert(roleMappings).values({ name: "Second default", isDefault: true })).rejects.toThrow();
  });

  it("staff create an org without naming a plan: it gets the default plan", async () => {
    const { db } = getDb();
    const [ops] = await db.insert(users).values({ email: "ops@example.com", name: "Ops", platformRole: "admin" }).returning();
    const org = await createOrgAsStaff({ id: ops!.id, email: ops!.email, name: ops!.name }, { name: "Acme", slug: "acme", ownerEmail: "boss@acme.example" }, systemContext());
    const [row] = await db.select({ plan: roleMappings.name, isDefault: roleMappings.isDefault }).from(orgs).innerJoin(roleMappings, eq(roleMappings.id, orgs.roleMappingId)).where(eq(orgs.id, org.id));
    expect(row).toEqual({ plan: "Pro", isDefault: true });
  });

  it("staff move the default to another plan: one default at a time, audited", async () => {
    const { db } = getDb();
    const [ops] = await db.select().from(users).where(eq(users.email, "ops@example.com"));
    const [free] = await db.select().from(roleMappings).where(eq(roleMappings.name, "Free"));
    await updateMapping({ id: ops!.id, email: ops!.email, name: ops!.name }, free!.id, { isDefault: true }, systemContext());
    const defaults = await db.select({ name: roleMappings.name }).from(roleMappings).where(eq(roleMappings.isDefault, true));
    expect(defaults).toEqual([{ name: "Free" }]);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, "mapping.default_changed"));
    expect(event!.metadata).toMatchObject({ before: { default: "Pro" }, after: { default: "Free" } });
    await db.update(roleMappings).set({ isDefault: false }).where(eq(roleMappings.name, "Free"));
    await db.update(roleMappings).set({ isDefault: true }).where(eq(roleMappings.name, "Pro"));
  });

  it("a missing catalogue row is a start-up error naming it", async () => {
    const { db } = getDb();
    await db.update(permissions).set({ deprecatedAt: new Date() }).where(eq(permissions.id, "audit::read"));
    const err = await assertCatalogue(db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogueError);
    expect(String((err as Error).message)).toContain('permission "audit::read" is missing or deprecated');
    await db.update(permissions).set({ deprecatedAt: null }).where(eq(permissions.id, "audit::read"));
    await expect(ensureCatalogue(db)).resolves.toBeUndefined();
  });

  it("the demo seed refuses to run in production, whatever SEED_DEMO says", async () => {
    process.env.APP_ENV = "production";
    process.env.APP_URL = "https://id.example.com";
    process.env.AUDIT_SIGNING_KEY = "ef".repeat(32);
    process.env.SEED_DEMO = "true";
    resetEnvForTests();
    try {
      await expect(seedDemo(getDb().db)).rejects.toBeInstanceOf(DemoRefusedError);
      expect(await getDb().db.select().from(roleMappings).where(eq(roleMappings.name, "Enterprise"))).toHaveLength(0);
    } finally {
      delete process.env.APP_URL;
      delete process.env.AUDIT_SIGNING_KEY;
      delete process.env.SEED_DEMO;
    }
  });

  it("the demo adds its tenants on top of the catalogue: Free stays the default with the demo's extra cells", async () => {
    const { db } = getDb();
    await db.update(roleMappings).set({ isDefault: false }).where(eq(roleMappings.name, "Pro"));
    await db.update(roleMappings).set({ isDefault: true }).where(eq(roleMappings.name, "Free"));
    await db.delete(orgs).where(eq(orgs.slug, "acme"));
    expect(await seedDemo(db)).toBe(true);
    const [free] = await db.select().from(roleMappings).where(eq(roleMappings.name, "Free"));
    expect(free!.isDefault).toBe(true);
    expect(await grantsOf(free!.id, "member")).toEqual(["reports::read"]);
    expect((await db.select().from(roleMappings)).map((m) => m.name).sort()).toEqual(["Enterprise", "Free", "Paid", "Pro"]);
  });
});
