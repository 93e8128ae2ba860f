import type { Metadata } from "next";
import { RolesEditor } from "@/components/admin/roles-editor";
import { listPermissionIds } from "@/lib/plans/mappings";
import { listRoles } from "@/lib/rbac/roles";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "Roles and permissions" };

export default function AdminRolesPage() {
  return (
    <AdminPage
      title="Roles and permissions"
      description="Renaming a role changes what everyone sees; code keeps using its key."
      render={async () => {
        const [roles, permissions] = await Promise.all([listRoles(), listPermissionIds()]);
        return <RolesEditor roles={roles} permissions={permissions} />;
      }}
    />
  );
}
