import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { AuditIntegrityCard } from "@/components/audit/audit-integrity-card";
import { auditPublicKeyDocument } from "@/lib/audit/public-key";
import { requirePlatformStaff } from "@/lib/auth/guards";
import { listAllOrgs } from "@/lib/orgs/list-all";
import { ConsoleFrame } from "../../console-frame";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Support: audit log" };

export default function SupportAuditPage() {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="form" />}>
      <SupportAudit />
    </Suspense>
  );
}

async function SupportAudit() {
  await connection();
  const user = await requirePlatformStaff("support");
  const orgs = await listAllOrgs();
  return (
    <ConsoleFrame user={user} title="Audit log (support)">
      <div className="grid gap-6">
        <h1 className="text-2xl font-semibold">Audit log across organizations</h1>
        <AuditExplorer mode="support" orgs={orgs} />
        <AuditIntegrityCard auditKey={auditPublicKeyDocument()} canSign={user.platformRole === "admin"} />
      </div>
    </ConsoleFrame>
  );
}
