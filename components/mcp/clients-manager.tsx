"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ClientFormInput } from "@/lib/oauth/client-schema";
import { ClientForm, type FormResult } from "./client-form";
import { ConfirmAction } from "@/components/console/confirm-action";

export interface ClientRow {
  id: string;
  name: string;
  type: string;
  orgName: string | null;
  redirectUris: string[];
  presets: string[];
  presetNames: string[];
  /** URIs that come from the ticked presets (not shown in the free-text box when editing). */
  presetUris?: string[];
  allowedScopes: string[];
  accessTokenTtlSeconds: number;
  registration: string;
  verified: boolean;
  disabled: boolean;
  lastUsedAt: string | null;
}

type Action<I> = (input: I) => Promise<FormResult<unknown>>;

/** The client list with register, edit, disable and delete; a new secret is shown exactly once. */
export function ClientsManager({
  clients,
  showOrg = false,
  create,
  update,
  setDisabled,
  remove,
}: {
  clients: ClientRow[];
  showOrg?: boolean;
  create: Action<ClientFormInput>;
  update: Action<{ id: string; form: ClientFormInput }>;
  setDisabled: Action<{ id: string; disabled: boolean }>;
  remove: Action<{ id: string }>;
}) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ClientRow | null>(null);
  const [secret, setSecret] = useState<{ clientId: string; clientSecret: string | null } | null>(null);
  const [pending, startTransition] = useTransition();

  const act = (fn: () => Promise<FormResult<unknown>>, done: string) =>
    startTransition(async () => {
      const r = await fn();
      if (r.ok) {
        toast.success(done);
        router.refresh();
      } else toast.error(r.error.message);
    });

  return (
    <div className="grid gap-6">
      {secret && (
        <Card data-testid="client-secret-once" className="border-primary">
          <CardHeader>
            <CardTitle>Client registered</CardTitle>
            <CardDescription>
              {secret.clientSecret
                ? "Copy the secret now: it is shown only once and stored as a hash."
                : "A public client has no secret; it uses PKCE."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            <div className="font-mono break-all">
              client_id: <span data-testid="new-client-id">{secret.clientId}</span>
            </div>
            {secret.clientSecret && (
              <div className="font-mono break-all">
                client_secret: <span data-testid="new-client-secret">{secret.clientSecret}</span>
              </div>
            )}
            <Button variant="outline" className="justify-self-start" onClick={() => setSecret(null)}>
              I have copied it
            </Button>
          </CardContent>
        </Card>
      )}
      <div>
        <Button onClick={() => setCreating(true)}>Register a client</Button>
      </div>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            {showOrg && <TableHead>Organization</TableHead>}
            <TableHead>Type</TableHead>
            <TableHead>Redirects</TableHead>
            <TableHead>Scopes</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {clients.length === 0 && (
            <TableRow>
              <TableCell colSpan={showOrg ? 7 : 6} className="text-muted-foreground">
                No clients yet.
              </TableCell>
            </TableRow>
          )}
          {clients.map((c) => (
            <TableRow key={c.id} data-testid={`client-row-${c.name}`}>
              <TableCell>
                <div className="font-medium">{c.name}</div>
                <div className="font-mono text-xs text-muted-foreground">{c.id}</div>
              </TableCell>
              {showOrg && <TableCell>{c.orgName ?? "All organizations"}</TableCell>}
              <TableCell>
                {c.type}
                {c.registration !== "manual" && (
                  <div className="text-xs text-muted-foreground">{c.registration.replace("_", " ")}</div>
                )}
              </TableCell>
              <TableCell className="max-w-80 text-xs whitespace-normal">
                {c.presetNames.length > 0 && <div className="font-medium">{c.presetNames.join(", ")}</div>}
                <ul className="text-muted-foreground">
                  {c.redirectUris.map((u) => (
                    <li key={u} className="break-all">
                      {u}
                    </li>
                  ))}
                </ul>
              </TableCell>
              <TableCell className="text-xs whitespace-normal">{c.allowedScopes.join(" ")}</TableCell>
              <TableCell>
                {c.disabled ? (
                  <Badge variant="destructive">Disabled</Badge>
                ) : (
                  <Badge variant="success">Active</Badge>
                )}
                {!c.verified && (
                  <Badge variant="outline" className="ml-1">
                    Unverified
                  </Badge>
                )}
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap justify-end gap-1">
                  <Button
                    size="sm"
                    variant="outline"
                    onClick={() => setEditing(c)}
                    disabled={c.registration !== "manual"}
                  >
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={pending}
                    onClick={() =>
                      act(
                        () => setDisabled({ id: c.id, disabled: !c.disabled }),
                        c.disabled ? "Client enabled" : "Client disabled",
                      )
                    }
                  >
                    {c.disabled ? "Enable" : "Disable"}
                  </Button>
                  <ConfirmAction
                    label="Delete"
                    triggerLabel={`Delete ${c.name}`}
                    variant="destructive"
                    disabled={pending}
                    title={`Delete ${c.name}?`}
                    description="Every grant of this client and every token issued to it end at once; people would have to approve it again after it is registered anew."
                    confirmLabel="Delete client"
                    onConfirm={() => act(() => remove({ id: c.id }), "Client deleted")}
                  />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Register a client</DialogTitle>
            <DialogDescription>
              An application that connects to your MCP server on behalf of your members.
            </DialogDescription>
          </DialogHeader>
          <ClientForm
            submitLabel="Register"
            onSubmit={async (input) => {
              const r = await create(input);
              if (r.ok) {
                setSecret(r.data as { clientId: string; clientSecret: string | null });
                setCreating(false);
                toast.success("Client registered");
                router.refresh();
              }
              return r;
            }}
          />
        </DialogContent>
      </Dialog>

      <Dialog open={editing !== null} onOpenChange={(o) => !o && setEditing(null)}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Edit {editing?.name}</DialogTitle>
            <DialogDescription>Changes apply to new authorizations and token requests.</DialogDescription>
          </DialogHeader>
          {editing && (
            <ClientForm
              editing
              submitLabel="Save"
              initial={{
                name: editing.name,
                type: editing.type as "public" | "confidential",
                presets: editing.presets as ClientFormInput["presets"],
                presetParams: { callback_id: callbackIdOf(editing.redirectUris) },
                redirectUris: editing.redirectUris.filter((u) => !editing.presetUris?.includes(u)),
                allowedScopes: editing.allowedScopes as ClientFormInput["allowedScopes"],
                accessTokenTtlSeconds: editing.accessTokenTtlSeconds,
              }}
              onSubmit={async (form) => {
                const r = await update({ id: editing.id, form });
                if (r.ok) {
                  setEditing(null);
                  toast.success("Client saved");
                  router.refresh();
                }
                return r;
              }}
            />
          )}
        </DialogContent>
      </Dialog>
    </div>
  );
}

function callbackIdOf(uris: string[]): string {
  const m = uris.map((u) => /^https:\/\/chatgpt\.com\/connector\/oauth\/([^/?#]+)$/.exec(u)).find(Boolean);
  return m?.[1] ?? "";
}
