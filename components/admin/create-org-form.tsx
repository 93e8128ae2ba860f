"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
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
      <div className="grid w-full gap-2 sm:w-48">
        <Label htmlFor="new-org-name">Organization name</Label>
        <Input id="new-org-name" name="name" placeholder="Acme Inc." required />
      </div>
      <div className="grid w-full gap-2 sm:w-36">
        <Label htmlFor="new-org-slug">Slug</Label>
        <Input id="new-org-slug" name="slug" placeholder="acme" required />
      </div>
      <div className="grid w-full gap-2 sm:w-auto">
        <Label htmlFor="new-org-plan">Plan</Label>
        <select
          id="new-org-plan"
          name="mappingId"
          defaultValue={mappings.find((m) => m.isDefault)?.id}
          className="h-9 rounded-md border border-input bg-background px-2 text-sm outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          {mappings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.isDefault ? `${m.name} (default)` : m.name}
            </option>
          ))}
        </select>
      </div>
      <div className="grid w-full gap-2 sm:w-56">
        <Label htmlFor="new-org-owner">Owner email</Label>
        <Input id="new-org-owner" name="ownerEmail" type="email" placeholder="owner@example.com" required />
      </div>
      <Button type="submit" disabled={create.isPending}>
        Create organization
      </Button>
    </form>
  );
}
