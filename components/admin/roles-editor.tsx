"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";
import { ConfirmAction } from "@/components/console/confirm-action";
import { InlineField, nativeSelectClass } from "@/components/console/inline-field";

interface Role {
  id: string;
  key: string;
  name: string;
  rank: number;
}
interface Permission {
  id: string;
  description: string;
  deprecatedAt: string | Date | null;
}

/** Rename, add and delete roles; create and deprecate permissions. */
export function RolesEditor({ roles, permissions }: { roles: Role[]; permissions: Permission[] }) {
  const rename = useAdminMutation((i: { id: string; name: string }) => ({ url: `/api/admin/roles/${i.id}`, method: "PATCH", json: { name: i.name } }), (i) => `Renamed to ${i.name}`);
  const create = useAdminMutation((i: { name: string; key: string; belowRoleId: string }) => ({ url: "/api/admin/roles", method: "POST", json: i }), (i) => `${i.name} added`);
  const remove = useAdminMutation((i: { id: string; name: string }) => ({ url: `/api/admin/roles/${i.id}`, method: "DELETE" }), (i) => `${i.name} deleted`);
  const addPermission = useAdminMutation((i: { id: string; description: string }) => ({ url: "/api/admin/permissions", method: "POST", json: i }), (i) => `${i.id} created`);
  const deprecate = useAdminMutation((i: { id: string }) => ({ url: `/api/admin/permissions/${encodeURIComponent(i.id)}`, method: "DELETE" }), (i) => `${i.id} deprecated`);
  return (
    <div className="grid gap-8">
      <section className="grid gap-3" aria-labelledby="roles-heading">
        <h2 id="roles-heading" className="font-semibold">
          Roles, highest first
        </h2>
        <Table data-testid="roles">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Key</TableHead>
              <TableHead className="sr-only">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {roles.map((r) => (
              <TableRow key={r.id}>
                <TableCell>
                  <form
                    className="flex gap-2"
                    onSubmit={(e) => {
                      e.preventDefault();
                      rename.mutate({ id: r.id, name: String(new FormData(e.currentTarget).get("name") ?? "") });
                    }}
                  >
                    <Input name="name" defaultValue={r.name} aria-label={`Name of role ${r.key}`} className="h-8 max-w-48" />
                    <Button size="sm" variant="outline" type="submit">
                      Rename
                    </Button>
                  </form>
                </TableCell>
                <TableCell className="font-mono text-xs">{r.key}</TableCell>
                <TableCell className="text-right">
                  <ConfirmAction
                    label="Delete"
                    triggerLabel={`Delete role ${r.name}`}
                    title={`Delete the role ${r.name}?`}
                    description={`The role ${r.name} (${r.key}) is deleted, with its permissions in every plan. It cannot be deleted while members hold it or invitations offer it.`}
                    confirmLabel="Delete role"
                    onConfirm={() => remove.mutate({ id: r.id, name: r.name })}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            create.mutate({ name: String(f.get("name")), key: String(f.get("key")), belowRoleId: String(f.get("below")) });
          }}
        >
          <InlineField label="New role name" htmlFor="new-role-name">
            <Input id="new-role-name" name="name" placeholder="Agent" className="sm:w-48" required />
          </InlineField>
          <InlineField label="New role key" htmlFor="new-role-key">
            <Input id="new-role-key" name="key" placeholder="agent" className="sm:w-40" required />
          </InlineField>
          <InlineField label="Place below" htmlFor="new-role-below">
            <select id="new-role-below" name="below" className={nativeSelectClass}>
              {roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </InlineField>
          <Button type="submit">Add role</Button>
        </form>
      </section>
      <section className="grid gap-3" aria-labelledby="permissions-heading">
        <h2 id="permissions-heading" className="font-semibold">
          Permissions
        </h2>
        <ul className="grid gap-2">
          {permissions.map((p) => (
            <li key={p.id} className="flex items-center justify-between gap-2 rounded-md border p-2">
              <span>
                <span className="font-mono text-xs">{p.id}</span> <span className="text-sm text-muted-foreground">{p.description}</span>{" "}
                {p.deprecatedAt && <Badge variant="outline">deprecated</Badge>}
              </span>
              {!p.deprecatedAt && (
                <Button size="sm" variant="ghost" onClick={() => deprecate.mutate({ id: p.id })}>
                  Deprecate
                </Button>
              )}
            </li>
          ))}
        </ul>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            addPermission.mutate({ id: String(f.get("id")), description: String(f.get("description") ?? "") });
          }}
        >
          <InlineField label="Permission id" htmlFor="new-permission-id">
            <Input id="new-permission-id" name="id" placeholder="feature::action" className="font-mono sm:w-56" required />
          </InlineField>
          <InlineField label="Permission description" htmlFor="new-permission-description">
            <Input id="new-permission-description" name="description" placeholder="What it allows" className="sm:w-72" />
          </InlineField>
          <Button type="submit">Create permission</Button>
        </form>
      </section>
    </div>
  );
}
