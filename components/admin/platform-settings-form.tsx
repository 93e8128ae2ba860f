"use client";

import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

const LABELS = {
  require_mfa: "Require two-factor authentication for every user",
  require_mfa_for_staff: "Require two-factor authentication for platform staff (admin, support)",
  allow_org_creation: "Let users without an organization create one when signing in",
  dynamic_client_registration: "Allow dynamic OAuth client registration (RFC 7591)",
  personal_api_keys: "Let users create personal API keys",
  org_api_keys: "Let org admins create org API keys",
  api_keys_allow_no_expiry: "Allow API keys that never expire",
  webhooks_allow_private_addresses: "Allow webhooks to private addresses (development only)",
} as const;

/** Platform-wide switches; each change is audited. */
export function PlatformSettingsForm({ settings }: { settings: Record<keyof typeof LABELS, boolean> & { api_key_default_rate_limit: number } }) {
  const save = useAdminMutation((patch: Partial<Record<keyof typeof LABELS, boolean>>) => ({ url: "/api/admin/platform-settings", method: "PATCH", json: patch }), "Settings saved");
  return (
    <div className="grid gap-3">
      {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((key) => (
        <div key={key} className="flex items-center gap-2">
          <Checkbox id={`setting-${key}`} checked={settings[key]} disabled={save.isPending} onCheckedChange={(v) => save.mutate({ [key]: v === true })} />
          <Label htmlFor={`setting-${key}`}>{LABELS[key]}</Label>
        </div>
      ))}
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ api_key_default_rate_limit: Number(new FormData(e.currentTarget).get("limit")) } as never);
        }}
      >
        <Label htmlFor="setting-api_key_default_rate_limit">Default API key limit (requests per minute)</Label>
        <Input id="setting-api_key_default_rate_limit" name="limit" type="number" min={1} max={1000000} defaultValue={settings.api_key_default_rate_limit} className="w-32" />
        <Button type="submit" variant="outline" size="sm" disabled={save.isPending}>
          Save
        </Button>
      </form>
    </div>
  );
}
