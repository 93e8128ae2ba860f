"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";

type Result = { ok: true } | { ok: false; error: { message: string; fields?: Record<string, string> } };
export interface OrgSettingsValues {
  name: string;
  autoJoinDomains: string[];
  restrictToDomains: boolean;
  requireMfa: boolean;
  requirePasskey: boolean;
}

/** The org's settings. Saving goes through a server action that checks the caller's permission. */
export function OrgSettingsForm({
  slug,
  settings,
  save,
}: {
  slug: string;
  settings: OrgSettingsValues;
  save: (slug: string, input: OrgSettingsValues) => Promise<Result>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The server names each bad domain ("“not a domain”: Enter a domain…"); show them all under the field.
  const domainsError =
    Object.entries(errors)
      .filter(([k]) => k === "autoJoinDomains" || k.startsWith("autoJoinDomains."))
      .map(([, v]) => v)
      .join(" ") || undefined;
  return (
    <form
      className="grid max-w-lg gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const input: OrgSettingsValues = {
          name: String(form.get("name") ?? ""),
          autoJoinDomains: String(form.get("domains") ?? "")
            .split(/[\s,]+/)
            .filter(Boolean),
          restrictToDomains: form.get("restrictToDomains") === "on",
          requireMfa: form.get("requireMfa") === "on",
          requirePasskey: form.get("requirePasskey") === "on",
        };
        startTransition(async () => {
          const result = await save(slug, input);
          if (result.ok) {
            setErrors({});
            toast.success("Settings saved");
            router.refresh();
          } else {
            setErrors(result.error.fields ?? { _: result.error.message });
            toast.error(result.error.message);
          }
        });
      }}
    >
      <FormField label="Organization name" id="org-name" error={errors.name}>
        <Input name="name" defaultValue={settings.name} required maxLength={80} {...fieldA11y("org-name", errors.name)} />
      </FormField>
      <FormField label="Email domains for auto-join" id="org-domains" error={domainsError}
        description="People with a confirmed address on these domains can join from the sign-in page. One per line."
      >
        <Textarea name="domains" defaultValue={settings.autoJoinDomains.join("\n")} rows={3} {...fieldA11y("org-domains", domainsError)} />
      </FormField>
      <div className="flex items-center gap-2">
        <Checkbox id="restrictToDomains" name="restrictToDomains" defaultChecked={settings.restrictToDomains} />
        <Label htmlFor="restrictToDomains">Members must use one of these domains</Label>
      </div>
      <div className="flex items-center gap-2">
        <Checkbox id="requireMfa" name="requireMfa" defaultChecked={settings.requireMfa} />
        <Label htmlFor="requireMfa">Require two-factor authentication for members (from their next sign-in)</Label>
      </div>
      <div className="flex items-center gap-2">
        <Checkbox id="requirePasskey" name="requirePasskey" defaultChecked={settings.requirePasskey} />
        <Label htmlFor="requirePasskey">Require a phishing-resistant factor (a passkey) for members</Label>
      </div>
      <p aria-live="polite" className="text-sm text-destructive">
        {errors._}
      </p>
      <Button type="submit" disabled={pending} className="justify-self-start">
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
