import type { Metadata } from "next";
import { MagicLink } from "./magic-link";

export const metadata: Metadata = { title: "Sign in with a link" };

export default async function MagicLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <MagicLink token={token} />
    </main>
  );
}
