"use client";

import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

const LABELS = {
  require_mfa: "Require two-factor authentication for every user",
  require_mfa_for_staff: "Require two-factor authentication for platform staff (admin, support)",
  allow_org_creation: "Let users without an organization create one when signing in",
  dynamic_client_registration: "Allow dynamic OAuth client registration (RFC 7591)",
} as const;

/** Platform-wide switches; each change is audited. */
export function PlatformSettingsForm({ settings }: { settings: Record<keyof typeof LABELS, boolean> }) {
  const save = useAdminMutation((patch: Partial<Record<keyof typeof LABELS, boolean>>) => ({ url: "/api/admin/platform-settings", method: "PATCH", json: patch }), "Settings saved");
  return (
    <div className="grid gap-3">
      {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((key) => (
        <div key={key} className="flex items-center gap-2">
          <Checkbox id={`setting-${key}`} checked={settings[key]} disabled={save.isPending} onCheckedChange={(v) => save.mutate({ [key]: v === true })} />
          <Label htmlFor={`setting-${key}`}>{LABELS[key]}</Label>
        </div>
      ))}
    </div>
  );
}
