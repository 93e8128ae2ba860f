"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { TestResultDto } from "@/lib/sso/test-result";

/** The popup's page after a test sign-in: the claims received, and a note to the console that opened it. */
export function SsoTestResult({ result }: { result: TestResultDto }) {
  useEffect(() => {
    if (result.state === "ok") window.opener?.postMessage("gatehouse:sso-tested", window.location.origin);
  }, [result.state]);
  if (result.state === "missing") return <p>No such test.</p>;
  return (
    <Card data-testid="sso-test-result">
      <CardHeader>
        <CardTitle>
          <h1>{result.state === "ok" ? `${result.connection}: the test sign-in worked` : `${result.connection}: the test sign-in failed`}</h1>
        </CardTitle>
        <CardDescription>
          {result.state === "ok"
            ? `These are the claims Gatehouse received. MFA asserted by the IdP: ${result.mfa ? "yes" : "no"}. You can enable the connection now.`
            : `${result.reason}: ${result.message}`}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {result.state === "ok" && (
          <pre className="overflow-auto rounded bg-muted p-3 text-xs" data-testid="sso-test-claims">
            {JSON.stringify(result.claims, null, 2)}
          </pre>
        )}
        <Button variant="outline" className="justify-self-start" onClick={() => window.close()}>
          Close
        </Button>
      </CardContent>
    </Card>
  );
}
