import { connection } from "next/server";
import { Suspense } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePlatformStaff } from "@/lib/auth/guards";
import { ConsoleSkeleton, type SkeletonShape } from "@/components/console/console-skeleton";
import { ConsoleFrame } from "../console-frame";

/**
 * A platform-admin page: checks the caller is a platform admin (404 otherwise), then renders the
 * console frame and one card with what `render` loads on the server.
 */
export function AdminPage({
  title,
  description,
  render,
  skeleton = "table",
}: {
  title: string;
  description?: string;
  render: () => Promise<React.ReactNode>;
  /** The shape of the content while it loads. */
  skeleton?: SkeletonShape;
}) {
  return (
    <Suspense fallback={<ConsoleSkeleton shape={skeleton} />}>
      <AdminBody title={title} description={description} render={render} />
    </Suspense>
  );
}

async function AdminBody({ title, description, render }: { title: string; description?: string; render: () => Promise<React.ReactNode> }) {
  await connection();
  const user = await requirePlatformStaff("admin");
  const body = await render();
  return (
    <ConsoleFrame user={user} title={title}>
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>{title}</h1>
          </CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        <CardContent>{body}</CardContent>
      </Card>
    </ConsoleFrame>
  );
}
