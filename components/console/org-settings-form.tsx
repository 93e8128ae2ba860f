"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

type Result = { ok: true } | { ok: false; error: { message: string; fields?: Record<string, string> } };

/** The org's name. Saving goes through a server action that checks the caller's permission. */
export function OrgSettingsForm({
  slug,
  name,
  save,
}: {
  slug: string;
  name: string;
  save: (slug: string, input: { name: string }) => Promise<Result>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <form
      className="grid max-w-md gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const value = String(new FormData(e.currentTarget).get("name") ?? "");
        startTransition(async () => {
          const result = await save(slug, { name: value });
          if (result.ok) {
            setError(undefined);
            toast.success("Organization renamed");
            router.refresh();
          } else {
            setError(result.error.fields?.name ?? result.error.message);
            toast.error(result.error.message);
          }
        });
      }}
    >
      <FormField label="Organization name" id="org-name" error={error}>
        <Input name="name" defaultValue={name} required maxLength={80} {...fieldA11y("org-name", error)} />
      </FormField>
      <Button type="submit" disabled={pending} className="justify-self-start">
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
