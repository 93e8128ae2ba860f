import "server-only";
import { count } from "drizzle-orm";
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
import type { Db } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { seedDemoAgentEvents } from "./demo-agent-events";
import { DEFAULT_ROLES, DEMO_ORGS, DEMO_PASSWORD, demoLogins } from "./demo-logins";

export { DEMO_PASSWORD, demoLogins };

export const DEMO_PERMISSIONS = [
  ["reports::read", "View reports"],
  ["reports::export", "Export reports as files"],
  ["billing::manage", "Change the plan and payment details"],
  ["agent_activity::view", "See what AI agents did in the org"],
  ["members::read", "See the member list"],
  ["members::manage", "Invite, remove and change the role of members"],
  ["audit::read", "Read the org's audit log"],
  ["org::manage", "Change the org's settings"],
] as const;

type RoleKey = (typeof DEFAULT_ROLES)[number]["key"];
type PermissionId = (typeof DEMO_PERMISSIONS)[number][0];

/** Plans: what each role may do. Each role lists only what it adds to the role below it. */
const PLANS: Record<string, { description: string; grants: Record<RoleKey, PermissionId[]> }> = {
  Free: {
    description: "The basics: reports and member management.",
    grants: {
      member: ["reports::read"],
      admin: ["members::read", "members::manage"],
      owner: ["billing::manage", "org::manage", "audit::read"],
    },
  },
  Paid: {
    description: "Adds exports for admins and agent activity for owners.",
    grants: {
      member: ["reports::read"],
      admin: ["reports::export", "members::read", "members::manage"],
      owner: ["billing::manage", "org::manage", "audit::read", "agent_activity::view"],
    },
  },
  Enterprise: {
    description: "Everything, with exports for every member and audit for admins.",
    grants: {
      member: ["reports::read", "reports::export"],
      admin: ["members::read", "members::manage", "agent_activity::view", "audit::read"],
      owner: ["billing::manage", "org::manage"],
    },
  },
};

/**
 * Seed roles, permissions, plans, the XCorp and TechCorp orgs and one user per role, unless the
 * database already has orgs. Returns whether it seeded.
 */
export async function seedDemo(db: Db): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(orgs);
  if ((existing?.n ?? 0) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const context = systemContext();
  const actor = { type: "system" as const, id: "seed", name: "Demo seed" };

  await db.transaction(async (tx) => {
    const roleRows = await tx.insert(roles).values([...DEFAULT_ROLES]).onConflictDoNothing().returning();
    const roleId = (key: RoleKey) => roleRows.find((r) => r.key === key)!.id;
    await tx
      .insert(permissions)
      .values(DEMO_PERMISSIONS.map(([id, description]) => ({ id, description })))
      .onConflictDoNothing();

    const mappingIds: Record<string, string> = {};
    for (const [name, plan] of Object.entries(PLANS)) {
      const [m] = await tx.insert(roleMappings).values({ name, description: plan.description }).returning();
      mappingIds[name] = m!.id;
      // Higher roles inherit what lower roles get.
      const inherited: PermissionId[] = [];
      const cells: { mappingId: string; roleId: string; permissionId: string }[] = [];
      for (const role of [...DEFAULT_ROLES].reverse()) {
        inherited.push(...plan.grants[role.key]);
        for (const p of inherited) cells.push({ mappingId: m!.id, roleId: roleId(role.key), permissionId: p });
      }
      await tx.insert(roleMappingPermissions).values(cells);
    }
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: "platform.seeded",
      context,
      metadata: { roles: DEFAULT_ROLES.map((r) => r.name), plans: Object.keys(PLANS) },
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
      const members = DEFAULT_ROLES.map((r) => ({ email: `${r.key}@${spec.domain}`, role: r }));
      if (spec.slug === "xcorp") members.push({ email: "john@xcorp.example", role: DEFAULT_ROLES[2] });
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
