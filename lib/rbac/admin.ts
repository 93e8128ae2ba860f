import "server-only";
import { and, count, eq, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { invitations, memberships, permissions, roles } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { BASE_PERMISSIONS, isBaseRole } from "@/lib/catalogue";
import { getDb } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";

type Actor = { id: string; email: string; name: string | null };
const who = (a: Actor) => ({ type: "user" as const, id: a.id, name: a.name ?? a.email });

export const renameRoleSchema = z.object({ name: z.string().trim().min(2).max(40) }).strict();

/** Rename a role (e.g. Admin → Manager). Code keeps using its stable key. */
export async function renameRole(actor: Actor, roleId: string, input: z.infer<typeof renameRoleSchema>, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    const [before] = await tx.select().from(roles).where(eq(roles.id, roleId)).for("update");
    if (!before) throw notFound("No such role.");
    await tx.update(roles).set({ name: input.name }).where(eq(roles.id, roleId));
    await recordAudit(tx, {
      orgId: null,
      actor: who(actor),
      action: "role.renamed",
      target: { type: "role", id: roleId, name: input.name },
      context,
      metadata: { before: { name: before.name }, after: { name: input.name } },
    });
  });
}

export const createRoleSchema = z
  .object({
    name: z.string().trim().min(2).max(40),
    key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "Lower-case letters, digits and _"),
    /** Place the new role directly below this role. */
    belowRoleId: z.uuid(),
  })
  .strict();

/** Add a custom role at a position in the order: ranks below it shift down to make room. */
export async function createRole(actor: Actor, input: z.infer<typeof createRoleSchema>, context: RequestContext) {
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`lock table ${roles} in share row exclusive mode`);
    const [above] = await tx.select().from(roles).where(eq(roles.id, input.belowRoleId));
    if (!above) throw notFound("No such role to place it below.");
    const rank = above.rank - 1;
    // Make room: every role at or below the new rank moves one step down, lowest first so ranks stay unique.
    const below = await tx.select({ id: roles.id, rank: roles.rank }).from(roles).where(lte(roles.rank, rank));
    for (const r of below.sort((a, b) => a.rank - b.rank)) {
      await tx.update(roles).set({ rank: r.rank - 1 }).where(eq(roles.id, r.id));
    }
    const [role] = await tx.insert(roles).values({ key: input.key, name: input.name, rank }).returning();
    await recordAudit(tx, {
      orgId: null,
      actor: who(actor),
      action: "role.created",
      target: { type: "role", id: role!.id, name: role!.name },
      context,
      metadata: { below: above.name, rank },
    });
    return role!;
  });
}

/** Delete a custom role nobody holds and no pending invitation offers (base roles stay). */
export async function deleteRole(actor: Actor, roleId: string, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    const [role] = await tx.select().from(roles).where(eq(roles.id, roleId)).for("update");
    if (!role) throw notFound("No such role.");
    if (isBaseRole(role.key)) throw conflict(`${role.name} is a base role the product relies on; it can be renamed, not deleted.`, "base_role");
    const [held] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.roleId, roleId));
    const [offered] = await tx
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.roleId, roleId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
    if ((held?.n ?? 0) + (offered?.n ?? 0) > 0) throw conflict(`${role.name} is still in use by ${held?.n ?? 0} members and ${offered?.n ?? 0} invitations.`, "role_in_use");
    await tx.delete(invitations).where(eq(invitations.roleId, roleId));
    await tx.delete(roles).where(eq(roles.id, roleId));
    await recordAudit(tx, { orgId: null, actor: who(actor), action: "role.deleted", target: { type: "role", id: roleId, name: role.name }, context });
  });
}

export const createPermissionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*::[a-z][a-z0-9_]*$/, "Use feature::action, e.g. reports::export"),
    description: z.string().trim().max(200).default(""),
  })
  .strict();

export async function createPermission(actor: Actor, input: z.infer<typeof createPermissionSchema>, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    const [existing] = await tx.select().from(permissions).where(eq(permissions.id, input.id));
    if (existing) throw conflict(`${input.id} already exists.`);
    await tx.insert(permissions).values(input);
    await recordAudit(tx, { orgId: null, actor: who(actor), action: "permission.created", target: { type: "permission", id: input.id, name: input.id }, context, metadata: { description: input.description } });
  });
}

/** Mark a permission deprecated: it keeps working where granted, and the console flags it. */
export async function deprecatePermission(actor: Actor, id: string, context: RequestContext) {
  if (BASE_PERMISSIONS.some(([base]) => base === id)) throw conflict(`${id} is checked by Gatehouse itself and cannot be deprecated.`, "base_permission");
  await getDb().transaction(async (tx) => {
    const rows = await tx.update(permissions).set({ deprecatedAt: new Date() }).where(and(eq(permissions.id, id), isNull(permissions.deprecatedAt))).returning();
    if (!rows.length) throw notFound("No such active permission.");
    await recordAudit(tx, { orgId: null, actor: who(actor), action: "permission.deprecated", target: { type: "permission", id, name: id }, context });
  });
}
