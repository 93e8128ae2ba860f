import "server-only";
import { count, inArray } from "drizzle-orm";
import {
  memberships,
  orgs,
  permissions,
  roleMappingPermissions,
  roleMappings,
  roles,
  users,
} from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { assertCatalogue, BASE_ROLES, type BaseRoleKey, type BasePermission, planCells } from "@/lib/catalogue";
import type { Db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { systemContext } from "@/lib/http/request-context";
import { seedDemoAgentEvents } from "./demo-agent-events";
import { DEMO_ORGS, DEMO_PASSWORD, demoLogins } from "./demo-logins";
import { seedDemoWebhook } from "@/lib/webhooks/demo";

export { DEMO_PASSWORD, demoLogins };

/** Permissions the demo adds on top of the catalogue's (lib/catalogue). */
export const DEMO_PERMISSIONS = [
  ["reports::read", "View reports"],
  ["reports::export", "Export reports as files"],
  ["agent_activity::view", "See what AI agents did in the org"],
] as const;

type PermissionId = (typeof DEMO_PERMISSIONS)[number][0] | BasePermission;

/** Plans: what each role may do. Each role lists only what it adds to the role below it. */
const PLANS: Record<string, { description: string; grants: Record<BaseRoleKey, PermissionId[]> }> = {
  Free: {
    description: "The basics: reports and member management.",
    grants: {
      member: ["reports::read"],
      admin: ["members::read", "members::manage", "api_keys::manage"],
      owner: ["billing::manage", "org::manage", "audit::read"],
    },
  },
  Paid: {
    description: "Adds exports for admins and agent activity for owners.",
    grants: {
      member: ["reports::read"],
      admin: ["reports::export", "members::read", "members::manage", "api_keys::manage"],
      owner: ["billing::manage", "org::manage", "audit::read", "agent_activity::view"],
    },
  },
  Enterprise: {
    description: "Everything, with exports for every member and audit for admins.",
    grants: {
      member: ["reports::read", "reports::export"],
      admin: ["members::read", "members::manage", "agent_activity::view", "audit::read", "api_keys::manage"],
      owner: ["billing::manage", "org::manage", "sso::manage"],
    },
  },
};

/** Thrown when something asks for the demo seed in production. */
export class DemoRefusedError extends Error {
  constructor() {
    super("The demo seed never runs in production (APP_ENV=production), whatever SEED_DEMO says: it publishes known passwords.");
    this.name = "DemoRefusedError";
  }
}

/**
 * Seed the XCorp and TechCorp orgs, one user per role, the demo's extra permissions and plans, on
 * top of the catalogue every install has (lib/catalogue), unless the database already has orgs.
 * Refuses in production. Returns whether it seeded.
 */
export async function seedDemo(db: Db): Promise<boolean> {
  if (getEnv().isProduction) throw new DemoRefusedError();
  await assertCatalogue(db);
  const [existing] = await db.select({ n: count() }).from(orgs);
  if ((existing?.n ?? 0) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const context = systemContext();
  const actor = { type: "system" as const, id: "seed", name: "Demo seed" };

  await db.transaction(async (tx) => {
    // A webhook endpoint to the dev inbox (/dev/webhooks).
    await seedDemoWebhook(tx);
    const roleRows = await tx.select().from(roles).where(inArray(roles.key, BASE_ROLES.map((r) => r.key)));
    const roleId = (key: BaseRoleKey) => roleRows.find((r) => r.key === key)!.id;
    await tx
      .insert(permissions)
      .values(DEMO_PERMISSIONS.map(([id, description]) => ({ id, description })))
      .onConflictDoNothing();

    const mappingIds: Record<string, string> = {};
    for (const [name, plan] of Object.entries(PLANS)) {
      // The catalogue's default plan is Free: the demo adds its cells to it.
      const [m] = await tx
        .insert(roleMappings)
        .values({ name, description: plan.description })
        .onConflictDoUpdate({ target: roleMappings.name, set: { description: plan.description } })
        .returning();
      mappingIds[name] = m!.id;
      const cells = planCells(plan.grants).map((c) => ({ mappingId: m!.id, roleId: roleId(c.roleKey), permissionId: c.permissionId }));
      await tx.insert(roleMappingPermissions).values(cells).onConflictDoNothing();
    }
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: "platform.seeded",
      context,
      metadata: { plans: Object.keys(PLANS), permissions: DEMO_PERMISSIONS.map(([id]) => id) },
    });

    const now = new Date();
    const logins = demoLogins();
    const userRows = await tx
      .insert(users)
      .values(
        logins.map((l) => ({
          email: l.email,
          name: l.name,
          passwordHash,
          emailVerifiedAt: now,
          platformRole: l.role === "platform admin" ? ("admin" as const) : l.role === "platform support" ? ("support" as const) : null,
        })),
      )
      .returning({ id: users.id, email: users.email, name: users.name });
    const userByEmail = new Map(userRows.map((u) => [u.email, u]));

    for (const spec of DEMO_ORGS) {
      const [org] = await tx
        .insert(orgs)
        .values({ slug: spec.slug, name: spec.name, roleMappingId: mappingIds[spec.plan]!, autoJoinDomains: [spec.domain] })
        .returning();
      await recordAudit(tx, {
        orgId: org!.id,
        actor,
        action: "org.created",
        target: { type: "org", id: org!.id, name: org!.name },
        context,
        metadata: { plan: spec.plan },
      });
      const members = BASE_ROLES.map((r) => ({ email: `${r.key}@${spec.domain}`, role: r }));
      if (spec.slug === "xcorp") members.push({ email: "john@xcorp.example", role: BASE_ROLES[2] });
      for (const m of members) {
        const u = userByEmail.get(m.email)!;
        await tx.insert(memberships).values({ orgId: org!.id, userId: u.id, roleId: roleId(m.role.key) });
        await recordAudit(tx, {
          orgId: org!.id,
          actor,
          action: "member.added",
          target: { type: "user", id: u.id, name: u.email },
          context,
          metadata: { role: m.role.name },
        });
      }
      if (spec.slug === "xcorp") {
        const john = userByEmail.get("john@xcorp.example")!;
        const admin = userByEmail.get("admin@xcorp.example")!;
        await seedDemoAgentEvents(tx, { orgId: org!.id, john: { id: john.id, name: john.name ?? john.email }, admin, context });
      }
    }
  });
  return true;
}
