import type { Metadata } from "next";
import Link from "next/link";
import { PlatformSettingsForm } from "@/components/admin/platform-settings-form";
import { getPlatformSettings } from "@/lib/platform/settings";
import { AdminPage } from "./admin-page";

export const metadata: Metadata = { title: "Platform admin" };

const SECTIONS = [
  ["/admin/roles", "Roles and permissions", "Rename roles, add custom roles, define feature::action permissions."],
  ["/admin/mappings", "Plans (role mappings)", "What each role may do on Free, Paid, Enterprise …"],
  ["/admin/orgs", "Organizations", "Every org and its plan; move an org to another plan with a preview."],
  ["/admin/explain", "Explain a permission", "Why does a user have, or lack, a permission in an org?"],
  ["/admin/api-keys", "API keys", "Keys for your backends to check permissions and look up users."],
  ["/admin/sso-domains", "SSO domain claims", "Approve email domains orgs claim for single sign-on (when DNS cannot prove them)."],
  ["/admin/webhooks", "Webhooks", "Signed events to your backends when users, orgs, keys and grants change."],
] as const;

export default function AdminHome() {
  return (
    <AdminPage
      title="Platform admin"
      description="Sign-in policy and what every role may do on every plan."
      render={async () => {
        const settings = await getPlatformSettings();
        return (
          <div className="grid gap-6">
            <nav aria-label="Platform admin" className="grid gap-3 sm:grid-cols-2">
              {SECTIONS.map(([href, label, text]) => (
                <Link key={href} href={href} className="rounded-lg border p-4 hover:bg-accent">
                  <div className="font-medium">{label}</div>
                  <div className="text-sm text-muted-foreground">{text}</div>
                </Link>
              ))}
            </nav>
            <section className="grid gap-3">
              <h2 className="font-semibold">Sign-in policy</h2>
              <PlatformSettingsForm settings={settings} />
            </section>
          </div>
        );
      }}
    />
  );
}
