import "server-only";
import { and, eq } from "drizzle-orm";
import { memberships, orgs, permissions, roleMappingPermissions, roleMappings, roles, users } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { normalizeEmail } from "@/lib/users/queries";

export interface Explanation {
  allowed: boolean;
  reason: string;
  user: string;
  org: string;
  permission: string;
  role?: string;
  mapping?: string;
}

/** Why a user has, or lacks, a permission in an org: membership → role → the org's plan → the matrix cell. */
export async function explainPermission(emailInput: string, orgSlug: string, permission: string, db: Executor = getDb()): Promise<Explanation> {
  const email = normalizeEmail(emailInput);
  const base = { user: email, org: orgSlug, permission };
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) return { ...base, allowed: false, reason: `There is no user ${email}.` };
  const [org] = await db
    .select({ id: orgs.id, name: orgs.name, mappingId: orgs.roleMappingId, mapping: roleMappings.name })
    .from(orgs)
    .innerJoin(roleMappings, eq(roleMappings.id, orgs.roleMappingId))
    .where(eq(orgs.slug, orgSlug));
  if (!org) return { ...base, allowed: false, reason: `There is no organization ${orgSlug}.` };
  const [perm] = await db.select().from(permissions).where(eq(permissions.id, permission));
  if (!perm) return { ...base, allowed: false, reason: `There is no permission ${permission}.`, mapping: org.mapping };
  const [member] = await db
    .select({ roleId: roles.id, role: roles.name })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.userId, user.id), eq(memberships.orgId, org.id)));
  if (!member) return { ...base, allowed: false, reason: `${email} is not a member of ${org.name}.`, mapping: org.mapping };
  const [granted] = await db
    .select()
    .from(roleMappingPermissions)
    .where(and(eq(roleMappingPermissions.mappingId, org.mappingId), eq(roleMappingPermissions.roleId, member.roleId), eq(roleMappingPermissions.permissionId, permission)));
  return {
    ...base,
    allowed: Boolean(granted),
    role: member.role,
    mapping: org.mapping,
    reason: granted
      ? `${email} is ${member.role} in ${org.name}; ${org.name} is on ${org.mapping}, where ${member.role} has ${permission}.`
      : `${email} is ${member.role} in ${org.name}; ${org.name} is on ${org.mapping}, where ${member.role} does not have ${permission}.`,
  };
}
