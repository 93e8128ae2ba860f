import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { AuditIntegrityCard } from "@/components/audit/audit-integrity-card";
import { auditPublicKeyDocument } from "@/lib/audit/public-key";
import { requireOrgMember } from "@/lib/auth/guards";
import { ConsoleFrame } from "../../../console-frame";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Audit log" };

export default function OrgAuditPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="audit" />}>
      <OrgAudit params={params} />
    </Suspense>
  );
}

async function OrgAudit({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { permission: "audit::read" });
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="Audit log">
      <div className="grid gap-6">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <AuditExplorer mode="tenant" orgSlug={org.slug} />
        <AuditIntegrityCard auditKey={auditPublicKeyDocument()} orgSlug={org.slug} />
      </div>
    </ConsoleFrame>
  );
}
