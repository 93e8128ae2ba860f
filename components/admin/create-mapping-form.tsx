"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

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
      <Input name="name" placeholder="New plan name" aria-label="New plan name" className="max-w-56" required />
      <label className="text-sm">
        copy of{" "}
        <select name="copyFrom" className="h-9 rounded-md border bg-background px-2" aria-label="Copy of">
          <option value="">nothing (empty)</option>
          {mappings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" disabled={create.isPending}>
        Create plan
      </Button>
    </form>
  );
}
