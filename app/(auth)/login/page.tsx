import type { Metadata } from "next";
import { LoginStateManager } from "@/components/login/login-state-manager";
import { safeNextPath } from "@/lib/auth/safe-next-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <LoginStateManager returnTo={safeNextPath(next)} />
    </main>
  );
}
