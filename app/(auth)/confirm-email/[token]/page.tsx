import type { Metadata } from "next";
import { ConfirmEmailLink } from "./confirm-email-link";

export const metadata: Metadata = { title: "Confirm your email" };

export default async function ConfirmEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <ConfirmEmailLink token={token} />
    </main>
  );
}
