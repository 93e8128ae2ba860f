import "server-only";
import { and, eq } from "drizzle-orm";
import { memberships, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import type { CurrentUser } from "@/lib/auth/current-user";
import { getDb, type Tx } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import type { MembershipDto } from "@/lib/orgs/queries";

type Actor = Pick<CurrentUser, "id" | "email" | "name">;

async function flagUser(tx: Tx, userId: string) {
  const [user] = await tx
    .update(users)
    .set({ passwordChangeRequired: true, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ id: users.id, email: users.email });
  if (!user) throw notFound("No such user.");
  return user;
}

/** Platform staff: the user must set a new password at their next sign-in (UPDATE_PASSWORD_REQUIRED). */
export async function requirePasswordChangeByStaff(actor: Actor, userId: string, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    const user = await flagUser(tx, userId);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "user.password_change_required",
      target: { type: "user", id: user.id, name: user.email },
      context,
      metadata: { by: "platform_staff" },
    });
  });
}

/**
 * An org admin, for a member of their org whose role does not outrank theirs (both roles re-read
 * under a lock of the memberships): the member sets a new password at their next sign-in.
 */
export async function requirePasswordChangeInOrg(actor: Actor, { org }: MembershipDto, userId: string, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    const rows = await tx
      .select({ userId: memberships.userId, rank: roles.rank, role: roles.name })
      .from(memberships)
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .where(and(eq(memberships.orgId, org.id)))
      .for("update", { of: memberships });
    const mine = rows.find((r) => r.userId === actor.id);
    const target = rows.find((r) => r.userId === userId);
    if (!mine) throw forbidden("You are no longer a member of this organization.");
    if (!target) throw notFound("No such member in this organization.");
    if (target.rank > mine.rank) throw forbidden(`You cannot require a new password from a ${target.role}.`);
    const user = await flagUser(tx, userId);
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "member.password_change_required",
      target: { type: "user", id: user.id, name: user.email },
      context,
    });
  });
}
