import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import {
  permissions,
  platformSettings,
  roleMappingPermissions,
  roleMappings,
  roles,
  userPropertyDefinitions,
} from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Executor, Tx } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { BASE_ROLES, type BaseRoleKey } from "./roles";

export { BASE_ROLES, type BaseRoleKey };

/** The permissions Gatehouse itself checks: present on every install, whatever the demo says. */
export const BASE_PERMISSIONS = [
  ["members::read", "See the member list"],
  ["members::manage", "Invite, remove and change the role of members"],
  ["org::manage", "Change the org's settings"],
  ["audit::read", "Read the org's audit log"],
  ["billing::manage", "Change the plan and payment details"],
  ["sso::manage", "Configure enterprise SSO: connections, domains, role rules"],
  ["api_keys::manage", "Create and revoke the org's API keys"],
] as const;
export type BasePermission = (typeof BASE_PERMISSIONS)[number][0];

/**
 * The plan a fresh install gives every new org. Each role lists what it adds to the role below it;
 * higher roles inherit.
 */
export const DEFAULT_PLAN = {
  name: "Free",
  description: "The default plan: admins manage members, owners also the org, its audit log and billing.",
  grants: {
    member: [],
    admin: ["members::read", "members::manage", "api_keys::manage"],
    owner: ["org::manage", "audit::read", "billing::manage"],
  } satisfies Record<BaseRoleKey, BasePermission[]>,
};

/** Profile properties asked of every user on a fresh install (operators may change them later). */
const DEFAULT_USER_PROPERTIES = [{ key: "name", label: "Full name", type: "text", required: true, position: 0 }];

/** Marks that the one-time part of the catalogue (profile properties) was installed. */
const INSTALLED_KEY = "catalogue_installed_at";

export class CatalogueError extends Error {
  constructor(problems: string[]) {
    super(
      `The platform catalogue is incomplete:\n  ${problems.join("\n  ")}\n` +
        "Gatehouse installs it at start; something removed these rows. Restore them (or restore a backup) and restart.",
    );
    this.name = "CatalogueError";
  }
}

/**
 * Install what every database needs, demo or not: the base roles (Owner > Admin > Member), the
 * permissions the code checks, a default plan, and (once) the required profile properties.
 * Idempotent; runs at every start after the migrations, under the migration lock. Never overwrites
 * what an operator changed: renamed roles and edited plans stay as they are.
 */
export async function ensureCatalogue(db: Executor): Promise<void> {
  await db.transaction(async (tx) => {
    const insertedRoles = await tx
      .insert(roles)
      .values(BASE_ROLES.map((r) => ({ ...r })))
      .onConflictDoNothing()
      .returning({ key: roles.key });
    const insertedPermissions = await tx
      .insert(permissions)
      .values(BASE_PERMISSIONS.map(([id, description]) => ({ id, description })))
      .onConflictDoNothing()
      .returning({ id: permissions.id });
    const plan = await ensureDefaultPlan(tx);
    const [firstInstall] = await tx
      .insert(platformSettings)
      .values({ key: INSTALLED_KEY, value: new Date().toISOString() })
      .onConflictDoNothing()
      .returning({ key: platformSettings.key });
    if (firstInstall) await tx.insert(userPropertyDefinitions).values(DEFAULT_USER_PROPERTIES).onConflictDoNothing();

    if (insertedRoles.length || insertedPermissions.length || plan.created || plan.marked || firstInstall) {
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "system", id: "catalogue", name: "Catalogue" },
        action: "platform.catalogue_installed",
        context: systemContext(),
        metadata: {
          roles: insertedRoles.map((r) => r.key),
          permissions: insertedPermissions.map((p) => p.id),
          defaultPlan: plan.created ? "created" : plan.marked ? "marked" : "unchanged",
        },
      });
    }
  });
  await assertCatalogue(db);
}

/** Make sure exactly one plan is the default: the one marked, else "Free", else a new Free plan. */
async function ensureDefaultPlan(tx: Tx): Promise<{ created: boolean; marked: boolean }> {
  const [current] = await tx.select({ id: roleMappings.id }).from(roleMappings).where(eq(roleMappings.isDefault, true));
  if (current) return { created: false, marked: false };
  const [existing] = await tx.select({ id: roleMappings.id }).from(roleMappings).where(eq(roleMappings.name, DEFAULT_PLAN.name));
  if (existing) {
    await tx.update(roleMappings).set({ isDefault: true, updatedAt: new Date() }).where(eq(roleMappings.id, existing.id));
    return { created: false, marked: true };
  }
  const [created] = await tx
    .insert(roleMappings)
    .values({ name: DEFAULT_PLAN.name, description: DEFAULT_PLAN.description, isDefault: true })
    .returning({ id: roleMappings.id });
  const roleRows = await tx.select({ id: roles.id, key: roles.key }).from(roles).where(inArray(roles.key, BASE_ROLES.map((r) => r.key)));
  const cells = planCells(DEFAULT_PLAN.grants).flatMap(({ roleKey, permissionId }) => {
    const role = roleRows.find((r) => r.key === roleKey);
    return role ? [{ mappingId: created!.id, roleId: role.id, permissionId }] : [];
  });
  if (cells.length) await tx.insert(roleMappingPermissions).values(cells).onConflictDoNothing();
  return { created: true, marked: false };
}

/** Expand "what each role adds" into every (role, permission) cell, higher roles inheriting. */
export function planCells<P extends string>(grants: Record<BaseRoleKey, readonly P[]>): { roleKey: BaseRoleKey; permissionId: P }[] {
  const cells: { roleKey: BaseRoleKey; permissionId: P }[] = [];
  const inherited: P[] = [];
  for (const role of [...BASE_ROLES].reverse()) {
    inherited.push(...grants[role.key]);
    for (const permissionId of inherited) cells.push({ roleKey: role.key, permissionId });
  }
  return cells;
}

/** Throw a CatalogueError naming every missing piece (base roles, checked permissions, default plan). */
export async function assertCatalogue(db: Executor): Promise<void> {
  const problems: string[] = [];
  const roleRows = await db.select({ key: roles.key }).from(roles).where(inArray(roles.key, BASE_ROLES.map((r) => r.key)));
  for (const r of BASE_ROLES) if (!roleRows.some((row) => row.key === r.key)) problems.push(`role "${r.key}" is missing`);
  const ids = BASE_PERMISSIONS.map(([id]) => id);
  const permissionRows = await db
    .select({ id: permissions.id })
    .from(permissions)
    .where(and(inArray(permissions.id, ids), isNull(permissions.deprecatedAt)));
  for (const id of ids) if (!permissionRows.some((p) => p.id === id)) problems.push(`permission "${id}" is missing or deprecated`);
  const [plan] = await db.select({ id: roleMappings.id }).from(roleMappings).where(eq(roleMappings.isDefault, true));
  if (!plan) problems.push("no default plan (role mapping with is_default)");
  if (problems.length) throw new CatalogueError(problems);
}

/** The default plan, inside the caller's transaction (row-locked against a concurrent change of default). */
export async function getDefaultPlan(db: Executor): Promise<{ id: string; name: string }> {
  const [plan] = await db
    .select({ id: roleMappings.id, name: roleMappings.name })
    .from(roleMappings)
    .where(eq(roleMappings.isDefault, true))
    .for("share");
  if (!plan) throw new CatalogueError(["no default plan (role mapping with is_default)"]);
  return plan;
}

/** True for the roles the code relies on (they can be renamed, never deleted). */
export function isBaseRole(key: string): boolean {
  return BASE_ROLES.some((r) => r.key === key);
}
