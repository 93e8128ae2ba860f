import type { Metadata } from "next";
import { SsoDomainClaims } from "@/components/admin/sso-domain-claims";
import { pendingDomainClaims } from "@/lib/sso/domains";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "SSO domain claims" };

export default function AdminSsoDomainsPage() {
  return (
    <AdminPage
      title="SSO domain claims"
      description="Email domains orgs have claimed for single sign-on and not yet proven by DNS. Approve only after checking, out of band, that the org controls the domain."
      render={async () => (
        <SsoDomainClaims claims={(await pendingDomainClaims()).map((c) => ({ id: c.id, domain: c.domain, org: `${c.orgName} (${c.orgSlug})`, createdAt: c.createdAt.toISOString() }))} />
      )}
    />
  );
}
