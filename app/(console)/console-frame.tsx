import { ConsoleShell } from "@/components/console/console-shell";
import type { CurrentUser } from "@/lib/auth/current-user";
import { isPlatformStaff } from "@/lib/auth/guards";
import { listUserOrgs } from "@/lib/orgs/queries";
import { signOutAction } from "./actions";

type NavItem = React.ComponentProps<typeof ConsoleShell>["nav"][number];

/** The signed-in shell with the user's orgs. Loads data only for display; pages do their own authorization. */
export async function ConsoleFrame({
  user,
  orgSlug,
  orgNav = [],
  title,
  children,
}: {
  user: CurrentUser;
  orgSlug?: string;
  orgNav?: NavItem[];
  title?: string;
  children: React.ReactNode;
}) {
  const memberships = await listUserOrgs(user.id);
  const nav: NavItem[] = [...orgNav, { href: "/account", label: "Account", icon: "key" }];
  if (isPlatformStaff(user, "support")) nav.push({ href: "/dev/mailbox", label: "Mailbox (dev)", icon: "mail" });
  return (
    <ConsoleShell
      user={{ name: user.name, email: user.email }}
      orgs={memberships.map((m) => ({ slug: m.org.slug, name: m.org.name, role: m.role.name }))}
      currentOrgSlug={orgSlug}
      nav={nav}
      title={title}
      signOutAction={signOutAction}
    >
      {children}
    </ConsoleShell>
  );
}

export function orgNav(slug: string, opts: { canManage: boolean }): NavItem[] {
  const items: NavItem[] = [{ href: `/orgs/${slug}`, label: "Overview", icon: "home" }];
  if (opts.canManage) items.push({ href: `/orgs/${slug}/settings`, label: "Settings", icon: "settings" });
  return items;
}
