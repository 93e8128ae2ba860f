import "server-only";
import { notFound, redirect } from "next/navigation";
import { findMembershipBySlug, type MembershipDto } from "@/lib/orgs/queries";
import { hasPermission, isAtLeastRole } from "@/lib/rbac";
import type { PlatformRole } from "@/drizzle/schema";
import { safeNextPath } from "./safe-next-path";

export { safeNextPath };
import { type CurrentUser, getCurrentUser } from "./current-user";

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo?: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/login?next=${encodeURIComponent(safeNextPath(returnTo))}` : "/login");
  return user;
}

export interface OrgContext extends MembershipDto {
  user: CurrentUser;
}

/**
 * For pages: the user and the org of `slug` they belong to. Not a member looks like no such org
 * (404). With `permission` or `minRole`, a member without it gets 404 as well.
 */
export async function requireOrgMember(
  slug: string,
  opts: { permission?: string; minRole?: string } = {},
): Promise<OrgContext> {
  const user = await requireUser(`/orgs/${slug}`);
  const membership = await findMembershipBySlug(user.id, slug);
  if (!membership) notFound();
  if (opts.permission && !(await hasPermission(user, membership.org, opts.permission))) notFound();
  if (opts.minRole && !(await isAtLeastRole(user, membership.org, opts.minRole))) notFound();
  return { user, ...membership };
}

/** For pages: platform staff only (admin may do everything support may). */
export async function requirePlatformStaff(role: PlatformRole = "support"): Promise<CurrentUser> {
  const user = await requireUser();
  if (!isPlatformStaff(user, role)) notFound();
  return user;
}

export function isPlatformStaff(user: { platformRole: PlatformRole | null }, role: PlatformRole): boolean {
  if (user.platformRole === "admin") return true;
  return role === "support" && user.platformRole === "support";
}
