"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

/** Create an org on a plan; its first owner gets an invitation by mail. */
export function CreateOrgForm({ mappings }: { mappings: { id: string; name: string; isDefault?: boolean }[] }) {
  const create = useAdminMutation(
    (i: { name: string; slug: string; mappingId: string; ownerEmail: string }) => ({ url: "/api/admin/orgs", method: "POST", json: i }),
    (i) => `${i.name} created; ${i.ownerEmail} was invited as owner`,
  );
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const target = e.currentTarget;
        create.mutate(
          { name: String(f.get("name")), slug: String(f.get("slug")), mappingId: String(f.get("mappingId")), ownerEmail: String(f.get("ownerEmail")) },
          { onSuccess: () => target.reset() },
        );
      }}
    >
      <Input name="name" placeholder="Organization name" aria-label="Organization name" className="max-w-48" required />
      <Input name="slug" placeholder="slug" aria-label="Slug" className="max-w-36" required />
      <select name="mappingId" aria-label="Plan" defaultValue={mappings.find((m) => m.isDefault)?.id} className="h-9 rounded-md border bg-background px-2 text-sm">
        {mappings.map((m) => (
          <option key={m.id} value={m.id}>
            {m.isDefault ? `${m.name} (default)` : m.name}
          </option>
        ))}
      </select>
      <Input name="ownerEmail" type="email" placeholder="owner@example.com" aria-label="Owner email" className="max-w-56" required />
      <Button type="submit" disabled={create.isPending}>
        Create organization
      </Button>
    </form>
  );
}
