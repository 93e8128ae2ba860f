import { ConsoleShell } from "@/components/console/console-shell";
import { PasskeyOffer } from "@/components/console/passkey-offer";
import { getBrand } from "@/lib/brand";
import type { CurrentUser } from "@/lib/auth/current-user";
import { isPlatformStaff } from "@/lib/auth/guards";
import { getEnv } from "@/lib/env";
import { listUserOrgs, type MembershipDto } from "@/lib/orgs/queries";
import { passkeyOfferPending } from "@/lib/passkeys/account";
import { isAtLeastRole, listPermissions } from "@/lib/rbac";
import { signOutAction } from "./actions";

type NavItem = React.ComponentProps<typeof ConsoleShell>["nav"][number];

/**
 * The signed-in shell: the user's orgs, and navigation fitted to their role and permissions in the
 * current org. Hiding a link is a convenience only; every page checks authorization itself.
 */
export async function ConsoleFrame({
  user,
  membership,
  title,
  children,
}: {
  user: CurrentUser;
  /** The org being viewed, with the user's role in it. */
  membership?: MembershipDto;
  title?: string;
  children: React.ReactNode;
}) {
  const [memberships, orgItems, offerPasskey] = await Promise.all([
    listUserOrgs(user.id),
    membership ? orgNav(user, membership) : Promise.resolve([]),
    passkeyOfferPending(user.id),
  ]);
  const nav: NavItem[] = [
    ...orgItems,
    { href: "/account", label: "Account", icon: "key" },
    { href: "/account/connected-apps", label: "My connected apps", icon: "plug" },
    { href: "/account/api-keys", label: "My API keys", icon: "key" },
  ];
  if (isPlatformStaff(user, "admin")) nav.push({ href: "/admin", label: "Platform admin", icon: "building" });
  if (isPlatformStaff(user, "support")) nav.push({ href: "/support/audit", label: "Support: audit", icon: "scroll" });
  if (getEnv().DEV_MAILBOX) nav.push({ href: "/dev/mailbox", label: "Mailbox (dev)", icon: "mail" });
  return (
    <ConsoleShell
      user={{ name: user.name, email: user.email }}
      orgs={memberships.map((m) => ({ slug: m.org.slug, name: m.org.name, role: m.role.name }))}
      currentOrgSlug={membership?.org.slug}
      nav={nav}
      title={title}
      signOutAction={signOutAction}
      brand={{ productName: getBrand().productName, logoUrl: getBrand().logoUrl }}
    >
      {offerPasskey && <PasskeyOffer />}
      {children}
    </ConsoleShell>
  );
}

async function orgNav(user: CurrentUser, { org }: MembershipDto): Promise<NavItem[]> {
  const [perms, isAdmin] = await Promise.all([listPermissions(user, org), isAtLeastRole(user, org, "admin")]);
  const base = `/orgs/${org.slug}`;
  const items: NavItem[] = [{ href: base, label: "Overview", icon: "home" }];
  if (isAdmin) {
    items.push(
      { href: `${base}/members`, label: "Members", icon: "users" },
      { href: `${base}/roles`, label: "Roles", icon: "shield" },
      { href: `${base}/clients`, label: "OAuth clients", icon: "plug" },
      { href: `${base}/connected-apps`, label: "Connected apps", icon: "plug" },
    );
  }
  if (perms.includes("audit::read")) items.push({ href: `${base}/audit`, label: "Audit log", icon: "scroll" });
  if (perms.includes("api_keys::manage")) items.push({ href: `${base}/api-keys`, label: "API keys", icon: "key" });
  if (perms.includes("org::manage")) items.push({ href: `${base}/settings`, label: "Settings", icon: "settings" });
  if (perms.includes("sso::manage")) items.push({ href: `${base}/sso`, label: "Enterprise SSO", icon: "key" });
  return items;
}
