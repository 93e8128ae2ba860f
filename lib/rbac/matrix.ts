import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import { orgs, permissions, roleMappingPermissions, roleMappings, roles } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

export interface Matrix {
  mapping: { id: string; name: string };
  roles: { id: string; key: string; name: string; rank: number }[];
  permissions: { id: string; description: string; deprecated: boolean }[];
  /** `${roleId}|${permissionId}` for every granted cell. */
  granted: string[];
}

/** The roles × permissions matrix of one role mapping (plan). */
export async function mappingMatrix(mappingId: string, db: Executor = getDb()): Promise<Matrix | null> {
  const [mapping] = await db.select({ id: roleMappings.id, name: roleMappings.name }).from(roleMappings).where(eq(roleMappings.id, mappingId));
  if (!mapping) return null;
  const [roleRows, permRows, cells] = await Promise.all([
    db.select({ id: roles.id, key: roles.key, name: roles.name, rank: roles.rank }).from(roles).orderBy(desc(roles.rank)),
    db.select().from(permissions).orderBy(asc(permissions.id)),
    db.select().from(roleMappingPermissions).where(eq(roleMappingPermissions.mappingId, mappingId)),
  ]);
  return {
    mapping,
    roles: roleRows,
    permissions: permRows.map((p) => ({ id: p.id, description: p.description, deprecated: Boolean(p.deprecatedAt) })),
    granted: cells.map((c) => `${c.roleId}|${c.permissionId}`),
  };
}

/** The matrix of the plan an org is subscribed to. */
export async function orgMatrix(orgId: string, db: Executor = getDb()): Promise<Matrix> {
  const [org] = await db.select({ mappingId: orgs.roleMappingId }).from(orgs).where(eq(orgs.id, orgId));
  return (await mappingMatrix(org!.mappingId, db))!;
}
