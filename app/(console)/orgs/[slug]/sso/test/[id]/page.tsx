import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { SsoTestResult } from "@/components/console/sso-test-result";
import { Skeleton } from "@/components/ui/skeleton";
import { requireOrgMember } from "@/lib/auth/guards";
import { testResult } from "@/lib/sso/test-result";

export const metadata: Metadata = { title: "SSO connection test" };

export default function SsoTestPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  return (
    <Suspense fallback={<Skeleton className="m-8 h-40" />}>
      <SsoTest params={params} />
    </Suspense>
  );
}

async function SsoTest({ params }: { params: Promise<{ slug: string; id: string }> }) {
  await connection();
  const { slug, id } = await params;
  const { user, org } = await requireOrgMember(slug, { permission: "sso::manage" });
  const result = await testResult(org.id, user.id, id);
  return (
    <main className="mx-auto grid max-w-xl gap-4 p-6">
      <SsoTestResult result={result} />
    </main>
  );
}
