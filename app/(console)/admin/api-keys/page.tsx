import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/admin/api-keys-panel";
import { listApiKeys } from "@/lib/api-keys";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "API keys" };

export default function AdminApiKeysPage() {
  return (
    <AdminPage
      title="API keys"
      description="Keys for your own backends to call /api/v1 (user lookup, permission checks, member lists). Stored as hashes; rate-limited per key."
      render={async () => <ApiKeysPanel keys={await listApiKeys()} />}
    />
  );
}
