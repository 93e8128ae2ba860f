import "server-only";
import { asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import { memberships, orgs, permissions, roleMappingPermissions, roleMappings, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { invalidInput, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { byRole, type Cells, cell, cellChanges, type MemberChange, planDiff, type RoleImpact } from "./diff";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

type Actor = { id: string; email: string; name: string | null };
const who = (a: Actor) => ({ type: "user" as const, id: a.id, name: a.name ?? a.email });

/** Every mapping with how many orgs subscribe to it. */
export async function listMappings(db: Executor = getDb()) {
  return db
    .select({ id: roleMappings.id, name: roleMappings.name, description: roleMappings.description, isDefault: roleMappings.isDefault, orgCount: count(orgs.id) })
    .from(roleMappings)
    .leftJoin(orgs, eq(orgs.roleMappingId, roleMappings.id))
    .groupBy(roleMappings.id)
    .orderBy(asc(roleMappings.name));
}

export async function subscribedOrgs(mappingId: string, db: Executor = getDb()) {
  return db.select({ id: orgs.id, slug: orgs.slug, name: orgs.name }).from(orgs).where(eq(orgs.roleMappingId, mappingId)).orderBy(asc(orgs.name));
}

async function cellsOf(db: Executor, mappingId: string): Promise<Cells> {
  const rows = await db.select().from(roleMappingPermissions).where(eq(roleMappingPermissions.mappingId, mappingId));
  return new Set(rows.map((r) => cell(r.roleId, r.permissionId)));
}

export const mappingSchema = z
  .object({ name: z.string().trim().min(2).max(60), description: z.string().trim().max(300).optional(), copyFrom: z.uuid().optional() })
  .strict();

/** Create a mapping, empty or as a copy of another. */
export async function createMapping(actor: Actor, input: z.infer<typeof mappingSchema>, context: RequestContext) {
  return getDb().transaction(async (tx) => {
    const [m] = await tx.insert(roleMappings).values({ name: input.name, description: input.description ?? "" }).returning();
    let copied = 0;
    if (input.copyFrom) {
      const source = await tx.select().from(roleMappingPermissions).where(eq(roleMappingPermissions.mappingId, input.copyFrom));
      if (source.length) await tx.insert(roleMappingPermissions).values(source.map((c) => ({ ...c, mappingId: m!.id })));
      copied = source.length;
    }
    await recordAudit(tx, {
      orgId: null,
      actor: who(actor),
      action: "mapping.created",
      target: { type: "mapping", id: m!.id, name: m!.name },
      context,
      metadata: { copyFrom: input.copyFrom ?? null, cells: copied },
    });
    return m!;
  });
}

export const updateMappingSchema = z
  .object({ name: z.string().trim().min(2).max(60), isDefault: z.literal(true) })
  .partial()
  .strict()
  .refine((v) => v.name !== undefined || v.isDefault !== undefined, "Send a new name or isDefault: true");

/**
 * Rename a mapping and/or make it the default plan (the one new orgs get; exactly one at a time):
 * one transaction, one audit event per change.
 */
export async function updateMapping(actor: Actor, id: string, input: z.infer<typeof updateMappingSchema>, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    const [before] = await tx.select().from(roleMappings).where(eq(roleMappings.id, id)).for("update");
    if (!before) throw notFound("No such role mapping.");
    if (input.name !== undefined && input.name !== before.name) {
      await tx.update(roleMappings).set({ name: input.name, updatedAt: new Date() }).where(eq(roleMappings.id, id));
      await recordAudit(tx, {
        orgId: null,
        actor: who(actor),
        action: "mapping.renamed",
        target: { type: "mapping", id, name: input.name },
        context,
        metadata: { before: { name: before.name }, after: { name: input.name } },
      });
    }
    if (input.isDefault && !before.isDefault) {
      const previous = await tx
        .update(roleMappings)
        .set({ isDefault: false, updatedAt: new Date() })
        .where(eq(roleMappings.isDefault, true))
        .returning({ id: roleMappings.id, name: roleMappings.name });
      await tx.update(roleMappings).set({ isDefault: true, updatedAt: new Date() }).where(eq(roleMappings.id, id));
      await recordAudit(tx, {
        orgId: null,
        actor: who(actor),
        action: "mapping.default_changed",
        target: { type: "mapping", id, name: input.name ?? before.name },
        context,
        metadata: { before: { default: previous[0]?.name ?? null }, after: { default: input.name ?? before.name } },
      });
    }
  });
}

export const cellsSchema = z
  .object({ cells: z.array(z.object({ roleId: z.uuid(), permissionId: z.string().min(3).max(100) }).strict()).max(5000) })
  .strict();

/** Replace a mapping's matrix; the audit event lists the cells added and removed. Applies on the next request of every member. */
export async function setMappingCells(actor: Actor, id: string, input: z.infer<typeof cellsSchema>, context: RequestContext) {
  return getDb().transaction(async (tx) => {
    const [mapping] = await tx.select().from(roleMappings).where(eq(roleMappings.id, id)).for("update");
    if (!mapping) throw notFound("No such role mapping.");
    const before = await cellsOf(tx, id);
    const after = new Set(input.cells.map((c) => cell(c.roleId, c.permissionId)));
    const { added, removed } = cellChanges(before, after);
    await tx.delete(roleMappingPermissions).where(eq(roleMappingPermissions.mappingId, id));
    if (after.size) {
      await tx.insert(roleMappingPermissions).values(input.cells.map((c) => ({ mappingId: id, ...c }))).onConflictDoNothing();
    }
    await tx.update(roleMappings).set({ updatedAt: new Date() }).where(eq(roleMappings.id, id));
    await recordAudit(tx, {
      orgId: null,
      actor: who(actor),
      action: "mapping.edited",
      target: { type: "mapping", id, name: mapping.name },
      context,
      metadata: { added, removed },
    });
    return { added, removed };
  });
}

async function orgMembers(db: Executor, orgId: string) {
  return db
    .select({ userId: users.id, email: users.email, roleId: roles.id, roleName: roles.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(memberships.orgId, orgId));
}

async function loadSwitch(db: Executor, orgSlug: string, mappingId: string) {
  const [org] = await db
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, mappingId: orgs.roleMappingId, mappingName: roleMappings.name })
    .from(orgs)
    .innerJoin(roleMappings, eq(roleMappings.id, orgs.roleMappingId))
    .where(eq(orgs.slug, orgSlug));
  if (!org) throw notFound("No such organization.");
  const [target] = await db.select().from(roleMappings).where(eq(roleMappings.id, mappingId));
  if (!target) throw invalidInput("No such role mapping.", { mappingId: "Unknown mapping" });
  return { org, target };
}

export interface SubscriptionPreview {
  org: { slug: string; name: string };
  from: string;
  to: string;
  changes: MemberChange[];
  /** The same changes grouped by role. */
  roles: RoleImpact[];
}

/** What each member of the org would gain and lose on another plan; nothing is saved. */
export async function previewSubscription(orgSlug: string, mappingId: string, db: Executor = getDb()): Promise<SubscriptionPreview> {
  const { org, target } = await loadSwitch(db, orgSlug, mappingId);
  const [members, before, after] = await Promise.all([orgMembers(db, org.id), cellsOf(db, org.mappingId), cellsOf(db, target.id)]);
  const changes = planDiff(members, before, after);
  return { org: { slug: org.slug, name: org.name }, from: org.mappingName, to: target.name, changes, roles: byRole(changes) };
}

export interface MatrixImpact {
  /** Orgs on this plan whose members' permissions would change, with the change grouped by role. */
  orgs: { slug: string; name: string; members: number; roles: RoleImpact[] }[];
  /** Orgs on this plan where nobody's permissions change. */
  unaffectedOrgs: number;
  added: string[];
  removed: string[];
}

/** What saving `input` as the plan's matrix would change for the members of every org on the plan; nothing is saved. */
export async function previewMappingCells(id: string, input: z.infer<typeof cellsSchema>, db: Executor = getDb()): Promise<MatrixImpact> {
  const [mapping] = await db.select({ id: roleMappings.id }).from(roleMappings).where(eq(roleMappings.id, id));
  if (!mapping) throw notFound("No such role mapping.");
  const [before, subscribed] = await Promise.all([cellsOf(db, id), subscribedOrgs(id, db)]);
  const after = new Set(input.cells.map((c) => cell(c.roleId, c.permissionId)));
  const impact: MatrixImpact = { orgs: [], unaffectedOrgs: 0, ...cellChanges(before, after) };
  for (const org of subscribed) {
    const changes = planDiff(await orgMembers(db, org.id), before, after);
    if (changes.length) impact.orgs.push({ slug: org.slug, name: org.name, members: changes.length, roles: byRole(changes) });
    else impact.unaffectedOrgs += 1;
  }
  return impact;
}

/** Move an org to another plan; takes effect on every member's next request. */
export async function subscribeOrg(actor: Actor, orgSlug: string, mappingId: string, context: RequestContext): Promise<SubscriptionPreview> {
  return getDb().transaction(async (tx: Tx) => {
    const preview = await previewSubscription(orgSlug, mappingId, tx);
    const { org } = await loadSwitch(tx, orgSlug, mappingId);
    await tx.update(orgs).set({ roleMappingId: mappingId, updatedAt: new Date() }).where(eq(orgs.id, org.id));
    await recordAudit(tx, {
      orgId: org.id,
      actor: who(actor),
      action: "org.subscription_changed",
      target: { type: "org", id: org.id, name: org.name },
      context,
      metadata: { before: { plan: preview.from }, after: { plan: preview.to }, membersAffected: preview.changes.length },
    });
    await emitWebhookEvent(tx, "org.plan_changed", `org:${org.id}`, { id: org.id, slug: orgSlug, name: org.name, before: preview.from, after: preview.to });
    return preview;
  });
}

/** All permissions (for the matrix editor). */
export async function listPermissionIds(db: Executor = getDb()) {
  return db.select().from(permissions).orderBy(asc(permissions.id));
}

