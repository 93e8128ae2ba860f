import type { Metadata } from "next";
import { PasswordSignInForm } from "@/components/login/password-sign-in-form";
import { safeNextPath } from "@/lib/auth/guards";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <PasswordSignInForm action={signInAction} next={safeNextPath(next)} />
    </main>
  );
}
