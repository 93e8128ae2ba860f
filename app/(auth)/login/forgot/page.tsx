import type { Metadata } from "next";
import { RequestPasswordReset } from "@/components/login/request-password-reset";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <RequestPasswordReset />
    </main>
  );
}
