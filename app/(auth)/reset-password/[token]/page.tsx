import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { ResetPassword } from "@/components/login/reset-password";
import { passwordPolicy } from "@/lib/auth/password-policy";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Set a new password" };

export default function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Suspense>
        <Reset params={params} />
      </Suspense>
    </main>
  );
}

async function Reset({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  return <ResetPassword token={token} passwordMinLength={getEnv().PASSWORD_MIN_LENGTH} passwordPolicy={passwordPolicy()} />;
}
