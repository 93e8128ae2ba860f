import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { AccountMfa } from "@/components/console/account-mfa";
import { AccountPasskeys } from "@/components/console/account-passkeys";
import { SignOutOthersButton } from "@/components/console/sign-out-others-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/guards";
import { listActiveSessions } from "@/lib/auth/sessions";
import { ConsoleFrame } from "../console-frame";
import { signOutOtherSessionsAction } from "./actions";
import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export const metadata: Metadata = { title: "Account" };

export default function AccountPage() {
  return (
    <Suspense fallback={<ConsoleSkeleton shape="form" />}>
      <Account />
    </Suspense>
  );
}

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

async function Account() {
  await connection();
  const user = await requireUser("/account");
  const sessions = await listActiveSessions(user.id);
  return (
    <ConsoleFrame user={user} title="Account">
      <div className="grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle>
              <h1>{user.name ?? user.email}</h1>
            </CardTitle>
            <CardDescription>
              {user.email} {user.platformRole && <Badge variant="secondary">platform {user.platformRole}</Badge>}
            </CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Two-factor authentication</CardTitle>
            <CardDescription>A code from an authenticator app when you sign in.</CardDescription>
          </CardHeader>
          <CardContent>
            <AccountMfa />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Passkeys</CardTitle>
            <CardDescription>
              Sign in with your device&apos;s screen lock or a security key: no password, and it counts as two-factor authentication.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <AccountPasskeys />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Sessions</CardTitle>
            <CardDescription>Where you are signed in. Signing a session out takes effect at once.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <Table data-testid="sessions">
              <TableHeader>
                <TableRow>
                  <TableHead>Device</TableHead>
                  <TableHead>IP</TableHead>
                  <TableHead>Signed in</TableHead>
                  <TableHead>Last active</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sessions.map((s) => (
                  <TableRow key={s.idHash}>
                    <TableCell className="max-w-72">
                      <span className="flex items-center gap-2">
                        {s.idHash === user.sessionIdHash && <Badge variant="success">this session</Badge>}
                        <span className="truncate">{s.userAgent ?? "Unknown device"}</span>
                      </span>
                    </TableCell>
                    <TableCell>{s.ip ?? "—"}</TableCell>
                    <TableCell>{when(s.createdAt)}</TableCell>
                    <TableCell>{when(s.lastSeenAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <SignOutOthersButton action={signOutOtherSessionsAction} disabled={sessions.length < 2} />
          </CardContent>
        </Card>
      </div>
    </ConsoleFrame>
  );
}
