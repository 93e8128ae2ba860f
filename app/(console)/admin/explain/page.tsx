import type { Metadata } from "next";
import { ExplainForm } from "@/components/admin/explain-form";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "Explain a permission" };

export default function AdminExplainPage() {
  return (
    <AdminPage skeleton="form" title="Explain a permission" description="Membership → role → the org's plan → the matrix cell that decides." render={async () => <ExplainForm />} />
  );
}
