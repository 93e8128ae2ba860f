"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useSsoAction } from "@/lib/queries/sso/use-sso-action";

export interface SsoConnectionView {
  id: string;
  kind: "oidc" | "saml";
  name: string;
  issuer: string | null;
  clientId: string | null;
  scopes: string;
  defaultRoleKey: string;
  groupsClaim: string;
  idpEnforcesMfa: boolean;
  enabled: boolean;
  testedAt: string | null;
  /** OIDC: the redirect URI; SAML: the connection's ACS URL. */
  redirectUri: string;
  /** SAML: Gatehouse's entity id (the URL of its SP metadata) and the IdP's entity id. */
  spEntityId?: string | null;
  idpEntityId?: string | null;
  roleRules: { group: string; roleKey: string }[];
}
export interface SsoDomainView {
  id: string;
  domain: string;
  verified: boolean;
  verifiedBy: string | null;
  txtRecord: string;
}

const selectClass = "h-9 rounded-md border border-input bg-transparent px-3 text-sm";
const rulesText = (rules: { group: string; roleKey: string }[]) => rules.map((r) => `${r.group} = ${r.roleKey}`).join("\n");
function parseRules(text: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.lastIndexOf("=");
      return { group: i < 0 ? l : l.slice(0, i).trim(), roleKey: i < 0 ? "" : l.slice(i + 1).trim() };
    });
}

/** The org's enterprise SSO: connections (create, test in a popup, enable, role rules), domains, policy. */
export function SsoPanel({
  slug,
  connections,
  domains,
  settings,
  roles,
  redirectUri,
}: {
  slug: string;
  connections: SsoConnectionView[];
  domains: SsoDomainView[];
  settings: { requireSso: boolean; breakGlassEmail: string | null };
  roles: { key: string; name: string }[];
  redirectUri: string;
}) {
  const router = useRouter();
  const base = `/api/orgs/${slug}/sso`;
  const create = useSsoAction<Record<string, unknown>>("POST", () => `${base}/connections`, "Connection added. Test it, then enable it.");
  const change = useSsoAction<Record<string, unknown> & { id: string }>("PATCH", (i) => `${base}/connections/${i.id}`, "Connection saved");
  const enable = useSsoAction<{ id: string; enabled: boolean }>("POST", (i) => `${base}/connections/${i.id}/enable`, "Connection updated");
  const claim = useSsoAction<{ domain: string }>("POST", () => `${base}/domains`, "Domain claimed");
  const verify = useSsoAction<{ id: string }>("POST", (i) => `${base}/domains/${i.id}/verify`, "Domain verified");
  const policy = useSsoAction<{ requireSso: boolean; breakGlassEmail: string | null }>("PUT", () => `${base}/settings`, "Policy saved");

  // The test popup reports back: show the new "tested" state.
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.origin === window.location.origin && e.data === "gatehouse:sso-tested") router.refresh();
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [router]);

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Connections</h2>
          </CardTitle>
          <CardDescription>
            OIDC redirect URI to register at your identity provider: <code data-testid="sso-redirect-uri">{redirectUri}</code>. SAML
            connections show their own ACS URL and entity ID.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {connections.map((c) => (
            <section key={c.id} className="grid gap-3 rounded-lg border p-4" data-testid="sso-connection" aria-label={c.name}>
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-medium">{c.name}</h3>
                <Badge variant="outline">{c.kind.toUpperCase()}</Badge>
                {c.enabled ? <Badge data-testid="sso-enabled">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>}
                {c.testedAt ? <Badge variant="outline" data-testid="sso-tested">Tested</Badge> : <Badge variant="outline">Not tested</Badge>}
              </div>
              {c.kind === "saml" ? (
                <dl className="grid gap-1 text-sm" data-testid="saml-sp-details">
                  <div>
                    <dt className="inline text-muted-foreground">IdP entity ID: </dt>
                    <dd className="inline break-all">{c.idpEntityId}</dd>
                  </div>
                  <div>
                    <dt className="inline text-muted-foreground">ACS URL (paste into the IdP): </dt>
                    <dd className="inline break-all">
                      <code data-testid="saml-acs-url">{c.redirectUri}</code>
                    </dd>
                  </div>
                  <div>
                    <dt className="inline text-muted-foreground">Entity ID / audience (paste into the IdP): </dt>
                    <dd className="inline break-all">
                      <code data-testid="saml-entity-id">{c.spEntityId}</code>{" "}
                      <a className="underline" href={c.spEntityId ?? "#"} target="_blank" rel="noreferrer">
                        SP metadata
                      </a>
                    </dd>
                  </div>
                </dl>
              ) : (
                <p className="text-sm text-muted-foreground">
                  {c.issuer} · client {c.clientId} · scopes “{c.scopes}”
                </p>
              )}
              <div className="flex flex-wrap gap-2">
                <Button
                  variant="outline"
                  onClick={() => window.open(`${base}/connections/${c.id}/test`, "gatehouse-sso-test", "popup,width=520,height=720")}
                >
                  Test connection
                </Button>
                <Button
                  variant={c.enabled ? "outline" : "default"}
                  disabled={enable.isPending || (!c.enabled && !c.testedAt)}
                  onClick={() => enable.mutate({ id: c.id, enabled: !c.enabled })}
                >
                  {c.enabled ? "Disable" : "Enable"}
                </Button>
              </div>
              <form
                className="grid gap-3"
                onSubmit={(e) => {
                  e.preventDefault();
                  const f = new FormData(e.currentTarget);
                  const metadataXml = String(f.get("metadataXml") ?? "").trim();
                  change.mutate({
                    id: c.id,
                    defaultRoleKey: String(f.get("defaultRoleKey")),
                    groupsClaim: String(f.get("groupsClaim")),
                    idpEnforcesMfa: f.get("idpEnforcesMfa") === "on",
                    roleRules: parseRules(String(f.get("roleRules") ?? "")),
                    ...(c.kind === "saml" && metadataXml ? { metadataXml } : {}),
                  });
                }}
              >
                <div className="flex flex-wrap gap-3">
                  <FormField label="Default role" id={`default-role-${c.id}`}>
                    <select id={`default-role-${c.id}`} name="defaultRoleKey" defaultValue={c.defaultRoleKey} className={selectClass}>
                      {roles.map((r) => (
                        <option key={r.key} value={r.key}>
                          {r.name}
                        </option>
                      ))}
                    </select>
                  </FormField>
                  <FormField label={c.kind === "saml" ? "Groups attribute" : "Groups claim"} id={`groups-claim-${c.id}`}>
                    <Input id={`groups-claim-${c.id}`} name="groupsClaim" defaultValue={c.groupsClaim} />
                  </FormField>
                </div>
                <FormField label="Role rules (one per line: IdP group = role key)" id={`rules-${c.id}`}>
                  <Textarea id={`rules-${c.id}`} name="roleRules" defaultValue={rulesText(c.roleRules)} rows={3} placeholder="eng-admins = admin" />
                </FormField>
                {c.kind === "saml" && (
                  <FormField
                    label="Replace the IdP metadata (XML)"
                    id={`metadata-${c.id}`}
                    description="For a new signing certificate: the connection is disabled until it is tested again. Leave empty to keep the current metadata."
                  >
                    <Textarea id={`metadata-${c.id}`} name="metadataXml" rows={2} placeholder="<EntityDescriptor …>" />
                  </FormField>
                )}
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="idpEnforcesMfa" defaultChecked={c.idpEnforcesMfa} />
                  The IdP enforces MFA (its {c.kind === "saml" ? "AuthnContext" : "amr/acr"} satisfies the org&apos;s MFA requirement)
                </label>
                <Button type="submit" variant="outline" className="justify-self-start" disabled={change.isPending}>
                  Save mapping
                </Button>
              </form>
            </section>
          ))}
          <form
            className="grid gap-3 rounded-lg border border-dashed p-4"
            data-testid="sso-new-connection"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const target = e.currentTarget;
              create.mutate(
                {
                  name: String(f.get("name")),
                  issuer: String(f.get("issuer")),
                  clientId: String(f.get("clientId")),
                  clientSecret: String(f.get("clientSecret")),
                  scopes: String(f.get("scopes")),
                  defaultRoleKey: String(f.get("defaultRoleKey")),
                },
                { onSuccess: () => target.reset() },
              );
            }}
          >
            <h3 className="font-medium">Add an OIDC connection</h3>
            <FormField label="Name" id="sso-name">
              <Input id="sso-name" name="name" placeholder="Okta" required />
            </FormField>
            <FormField label="Issuer URL" id="sso-issuer">
              <Input id="sso-issuer" name="issuer" type="url" placeholder="https://acme.okta.com" required />
            </FormField>
            <FormField label="Client ID" id="sso-client-id">
              <Input id="sso-client-id" name="clientId" required />
            </FormField>
            <FormField label="Client secret" id="sso-client-secret" description="Stored encrypted; never shown again.">
              <Input id="sso-client-secret" name="clientSecret" type="password" autoComplete="off" required />
            </FormField>
            <FormField label="Scopes" id="sso-scopes">
              <Input id="sso-scopes" name="scopes" defaultValue="openid email profile" />
            </FormField>
            <FormField label="Default role" id="sso-default-role">
              <select id="sso-default-role" name="defaultRoleKey" defaultValue="member" className={selectClass}>
                {roles.map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.name}
                  </option>
                ))}
              </select>
            </FormField>
            <Button type="submit" className="justify-self-start" disabled={create.isPending}>
              Add connection
            </Button>
          </form>
          <form
            className="grid gap-3 rounded-lg border border-dashed p-4"
            data-testid="sso-new-saml-connection"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const target = e.currentTarget;
              const metadataUrl = String(f.get("metadataUrl") ?? "").trim();
              const metadataXml = String(f.get("metadataXml") ?? "").trim();
              create.mutate(
                {
                  kind: "saml",
                  name: String(f.get("name")),
                  ...(metadataUrl ? { metadataUrl } : { metadataXml }),
                  groupsClaim: String(f.get("groupsClaim") || "groups"),
                  defaultRoleKey: String(f.get("defaultRoleKey")),
                  idpEnforcesMfa: f.get("idpEnforcesMfa") === "on",
                },
                { onSuccess: () => target.reset() },
              );
            }}
          >
            <h3 className="font-medium">Add a SAML 2.0 connection</h3>
            <p className="text-sm text-muted-foreground">
              Give the IdP&apos;s metadata by URL or as XML. Once added, the connection shows its ACS URL and entity ID to paste into the IdP.
            </p>
            <FormField label="Name" id="saml-name">
              <Input id="saml-name" name="name" placeholder="Entra ID" required />
            </FormField>
            <FormField label="IdP metadata URL" id="saml-metadata-url">
              <Input id="saml-metadata-url" name="metadataUrl" type="url" placeholder="https://login.microsoftonline.com/…/federationmetadata.xml" />
            </FormField>
            <FormField label="…or IdP metadata XML" id="saml-metadata-xml" description="Paste it, or choose the downloaded file.">
              <Textarea id="saml-metadata-xml" name="metadataXml" rows={4} placeholder="<EntityDescriptor …>" />
            </FormField>
            <input
              type="file"
              accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
              aria-label="IdP metadata file"
              className="text-sm"
              onChange={async (e) => {
                const file = e.currentTarget.files?.[0];
                const area = e.currentTarget.form?.elements.namedItem("metadataXml");
                if (file && area instanceof HTMLTextAreaElement) area.value = await file.text();
              }}
            />
            <FormField label="Groups attribute" id="saml-groups">
              <Input id="saml-groups" name="groupsClaim" defaultValue="groups" />
            </FormField>
            <FormField label="Default role" id="saml-default-role">
              <select id="saml-default-role" name="defaultRoleKey" defaultValue="member" className={selectClass}>
                {roles.map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.name}
                  </option>
                ))}
              </select>
            </FormField>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="idpEnforcesMfa" />
              The IdP enforces MFA (its AuthnContext satisfies the org&apos;s MFA requirement)
            </label>
            <Button type="submit" className="justify-self-start" disabled={create.isPending}>
              Add SAML connection
            </Button>
          </form>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Domains</h2>
          </CardTitle>
          <CardDescription>
            Sign-ins of addresses on a verified domain go to your identity provider. Verify with a DNS TXT record, or ask platform staff to approve the claim.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <ul className="grid gap-2" data-testid="sso-domains">
            {domains.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium">{d.domain}</span>
                {d.verified ? <Badge>Verified</Badge> : <Badge variant="secondary">Pending</Badge>}
                {!d.verified && (
                  <>
                    <code className="text-xs">
                      TXT _gatehouse.{d.domain} “{d.txtRecord}”
                    </code>
                    <Button size="sm" variant="outline" onClick={() => verify.mutate({ id: d.id })}>
                      Check DNS
                    </Button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              const target = e.currentTarget;
              claim.mutate({ domain: String(new FormData(target).get("domain")) }, { onSuccess: () => target.reset() });
            }}
          >
            <FormField label="Domain" id="sso-domain" className="min-w-64 flex-1">
              <Input id="sso-domain" name="domain" placeholder="acme.com" required />
            </FormField>
            <Button type="submit" disabled={claim.isPending}>
              Claim domain
            </Button>
          </form>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Policy</h2>
          </CardTitle>
          <CardDescription>Requiring SSO refuses password and sign-in-link sign-ins for your domains, except for the break-glass Owner.</CardDescription>
        </CardHeader>
        <CardContent>
          <form
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const email = String(f.get("breakGlassEmail") ?? "").trim();
              policy.mutate({ requireSso: f.get("requireSso") === "on", breakGlassEmail: email || null });
            }}
          >
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="requireSso" defaultChecked={settings.requireSso} />
              Require SSO for addresses on our verified domains
            </label>
            <FormField label="Break-glass Owner (email)" id="sso-break-glass">
              <Input id="sso-break-glass" name="breakGlassEmail" type="email" defaultValue={settings.breakGlassEmail ?? ""} />
            </FormField>
            <Button type="submit" variant="outline" className="justify-self-start" disabled={policy.isPending}>
              Save policy
            </Button>
          </form>
        </CardContent>
      </Card>
    </div>
  );
}
