import "server-only";
import { eq } from "drizzle-orm";
import { orgs, users } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { listUserOrgs } from "@/lib/orgs/queries";
import { normalizeEmail } from "./queries";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user by id or email, with their orgs and roles, for backend lookups. */
export async function lookupUser(idOrEmail: string, db: Executor = getDb()) {
  const where = UUID.test(idOrEmail) ? eq(users.id, idOrEmail) : eq(users.email, normalizeEmail(idOrEmail));
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name, emailVerifiedAt: users.emailVerifiedAt, disabledAt: users.disabledAt }).from(users).where(where);
  if (!user) return null;
  const memberships = await listUserOrgs(user.id, db);
  return {
    user: { id: user.id, email: user.email, name: user.name, emailVerified: Boolean(user.emailVerifiedAt), disabled: Boolean(user.disabledAt) },
    orgs: memberships.map((m) => ({ id: m.org.id, slug: m.org.slug, name: m.org.name, role: { key: m.role.key, name: m.role.name } })),
  };
}

export async function orgBySlug(slug: string, db: Executor = getDb()) {
  const [org] = await db.select({ id: orgs.id, slug: orgs.slug, name: orgs.name }).from(orgs).where(eq(orgs.slug, slug));
  return org ?? null;
}
