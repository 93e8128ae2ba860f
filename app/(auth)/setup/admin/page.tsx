import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";
import { FirstAdminForm } from "@/components/setup/first-admin-form";
import { getEnv } from "@/lib/env";
import { cookieName } from "@/lib/http/cookies";
import { SETUP_COOKIE, setupTokenValid } from "@/lib/setup";

export const metadata: Metadata = { title: "Set up Gatehouse", referrer: "no-referrer" };

export default function SetupAdminPage() {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Suspense>
        <Setup />
      </Suspense>
    </main>
  );
}

async function Setup() {
  await connection();
  const token = (await cookies()).get(cookieName(SETUP_COOKIE))?.value;
  if (!(await setupTokenValid(token))) notFound();
  return <FirstAdminForm passwordMinLength={getEnv().PASSWORD_MIN_LENGTH} />;
}
