import { redirect } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listUserOrgs } from "@/lib/orgs/queries";

export default function HomePage() {
  return (
    <Suspense>
      <Home />
    </Suspense>
  );
}

/** Send people where they belong: their first org, their account, or sign-in. */
async function Home(): Promise<null> {
  await connection();
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  const [first] = await listUserOrgs(user.id);
  redirect(first ? `/orgs/${first.org.slug}` : "/account");
}
