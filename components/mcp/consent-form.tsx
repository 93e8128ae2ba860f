import { AlertTriangle, ShieldCheck } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import type { ConsentView } from "@/lib/oauth/consent";

/**
 * The consent screen: a plain form post to /oauth/decision (same-origin checked, the request sealed
 * to this session), so it works without JavaScript and cannot be driven from another site.
 */
export function ConsentForm({
  view,
  sealed,
  userEmail,
}: {
  view: ConsentView;
  sealed: string;
  userEmail: string;
}) {
  const noOrg = view.orgs.length === 0;
  return (
    <Card className="w-full max-w-md" data-testid="consent">
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          <h1 data-testid="consent-client-name">{view.clientName}</h1>
          {view.verified ? (
            <Badge variant="success">
              <ShieldCheck aria-hidden /> Registered by an admin
            </Badge>
          ) : (
            <Badge variant="destructive">Unverified</Badge>
          )}
        </CardTitle>
        <CardDescription>
          wants to act as <strong>{userEmail}</strong>. It will receive the answer at{" "}
          <strong data-testid="consent-redirect-host">{view.redirectHost}</strong>.
        </CardDescription>
      </CardHeader>
      <form method="post" action="/oauth/decision">
        <CardContent className="grid gap-4">
          <input type="hidden" name="request" value={sealed} />
          {view.warnings.map((w) => (
            <Alert key={w} variant="destructive" data-testid="consent-warning">
              <AlertTriangle aria-hidden />
              <AlertDescription>{w}</AlertDescription>
            </Alert>
          ))}
          <fieldset className="grid gap-3">
            <legend className="mb-1 text-sm font-medium">In the organization</legend>
            {noOrg ? (
              <p className="text-sm text-destructive">
                You are not in any organization where this application is allowed.
              </p>
            ) : (
              view.orgs.map((o, i) => (
                <div key={o.id} className="grid gap-1 rounded-md border p-3" data-testid={`consent-org-${o.slug}`}>
                  <label className="flex items-center gap-2 text-sm font-medium">
                    <input type="radio" name="org" value={o.id} defaultChecked={i === 0} required />
                    {o.name} <span className="font-normal text-muted-foreground">as {o.role}</span>
                  </label>
                  <p className="text-sm">It will be able to:</p>
                  <ul className="list-disc pl-5 text-sm" data-testid="consent-scopes">
                    {o.offer.available.map((s) => (
                      <li key={s.scope}>
                        {s.description} <span className="text-muted-foreground">({s.scope})</span>
                      </li>
                    ))}
                  </ul>
                  {o.offer.unavailable.length > 0 && (
                    <div data-testid="consent-unavailable">
                      <p className="text-sm">Not available to you here, so left out:</p>
                      <ul className="list-disc pl-5 text-sm text-muted-foreground">
                        {o.offer.unavailable.map((s) => (
                          <li key={s.scope}>
                            {s.description} ({s.scope}): your role {o.role} in {o.name} does not have the{" "}
                            {s.permission} permission.
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                </div>
              ))
            )}
          </fieldset>
          <p className="text-sm" data-testid="consent-lifetime">
            Access lasts until you take it back, and at most {view.lifetime.grantDays} days; after that the
            application must ask you again. Each access token it gets is valid for{" "}
            {view.lifetime.accessTokenMinutes} minutes.
          </p>
          <p className="text-xs text-muted-foreground">
            You can take this access back at any time under My connected apps.
          </p>
        </CardContent>
        <CardFooter className="flex justify-end gap-2">
          <Button type="submit" name="decision" value="deny" variant="outline" formNoValidate>
            Deny
          </Button>
          <Button type="submit" name="decision" value="approve" disabled={noOrg}>
            Allow access
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
