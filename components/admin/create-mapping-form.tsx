"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";
import { InlineField, nativeSelectClass } from "@/components/console/inline-field";

/** Create a plan, empty or as a copy of an existing one. */
export function CreateMappingForm({ mappings }: { mappings: { id: string; name: string }[] }) {
  const create = useAdminMutation((i: { name: string; copyFrom?: string }) => ({ url: "/api/admin/mappings", method: "POST", json: i }), (i) => `${i.name} created`);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const copyFrom = String(f.get("copyFrom") ?? "");
        create.mutate({ name: String(f.get("name") ?? ""), ...(copyFrom ? { copyFrom } : {}) });
      }}
    >
      <InlineField label="New plan name" htmlFor="new-plan-name">
        <Input id="new-plan-name" name="name" placeholder="Enterprise" className="sm:w-56" required />
      </InlineField>
      <InlineField label="Copy of" htmlFor="new-plan-copy">
        <select id="new-plan-copy" name="copyFrom" className={nativeSelectClass}>
          <option value="">nothing (empty)</option>
          {mappings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </InlineField>
      <Button type="submit" disabled={create.isPending}>
        Create plan
      </Button>
    </form>
  );
}
