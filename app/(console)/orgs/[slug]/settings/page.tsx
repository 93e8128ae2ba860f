import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { OrgSettingsForm } from "@/components/console/org-settings-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireOrgMember } from "@/lib/auth/guards";
import { getOrgSettings } from "@/lib/orgs/settings";
import { ConsoleFrame } from "../../../console-frame";
import { updateOrgSettingsAction } from "./actions";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Settings" };

export default function OrgSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="form" />}>
      <OrgSettings params={params} />
    </Suspense>
  );
}

async function OrgSettings({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const { user, org, role } = await requireOrgMember(slug, { permission: "org::manage" });
  const settings = await getOrgSettings(org.id);
  return (
    <ConsoleFrame user={user} membership={{ org, role }} title="Settings">
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Organization settings</h1>
          </CardTitle>
          <CardDescription>Changes are recorded in the audit log.</CardDescription>
        </CardHeader>
        <CardContent>
          <OrgSettingsForm slug={slug} settings={settings} save={updateOrgSettingsAction} />
        </CardContent>
      </Card>
    </ConsoleFrame>
  );
}
