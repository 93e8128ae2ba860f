import { Skeleton } from "@/components/ui/skeleton";

export type SkeletonShape = "table" | "form" | "overview" | "audit";

function Rows({ count, columns }: { count: number; columns: number }) {
  return (
    <div className="grid gap-3">
      {Array.from({ length: count }, (_, r) => (
        <div key={r} className="flex items-center gap-4 border-b pb-3 last:border-0">
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={c === 0 ? "h-9 w-40 shrink-0" : "hidden h-5 flex-1 sm:block"} />
          ))}
          <Skeleton className="ml-auto h-8 w-16 shrink-0 sm:hidden" />
        </div>
      ))}
    </div>
  );
}

function Body({ shape }: { shape: SkeletonShape }) {
  switch (shape) {
    case "form":
      return (
        <div className="grid max-w-lg gap-5">
          {[0, 1, 2].map((i) => (
            <div key={i} className="grid gap-2">
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-9 w-full" />
            </div>
          ))}
          <Skeleton className="h-9 w-24" />
        </div>
      );
    case "overview":
      return (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <div key={i} className="grid gap-3 rounded-lg border p-4">
              <Skeleton className="h-4 w-24" />
              <Skeleton className="h-8 w-16" />
            </div>
          ))}
        </div>
      );
    case "audit":
      return (
        <div className="grid gap-6">
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {Array.from({ length: 8 }, (_, i) => (
              <div key={i} className="grid gap-2">
                <Skeleton className="h-4 w-20" />
                <Skeleton className="h-9 w-full" />
              </div>
            ))}
          </div>
          <Skeleton className="h-24 w-full" />
          <Rows count={6} columns={5} />
        </div>
      );
    default:
      return (
        <div className="grid gap-4">
          <Skeleton className="h-9 w-full max-w-sm" />
          <Rows count={5} columns={4} />
        </div>
      );
  }
}

/** The content of a console page while it loads, shaped like what comes (a table, a form, cards, the audit explorer). */
export function ContentSkeleton({ shape = "table" }: { shape?: SkeletonShape }) {
  return (
    <div className="grid gap-4" aria-busy="true" data-testid="content-skeleton">
      <span role="status" className="sr-only">
        Loading…
      </span>
      <div className="grid gap-6 rounded-xl border bg-card p-6">
        <div className="grid gap-2">
          <Skeleton className="h-6 w-56 max-w-full" />
          <Skeleton className="h-4 w-80 max-w-full" />
        </div>
        <Body shape={shape} />
      </div>
    </div>
  );
}

/**
 * A console page while it loads: the frame (sidebar, header) is drawn at once and only the content
 * is a skeleton, so the navigation does not vanish between pages.
 */
export function ConsoleSkeleton({ shape = "table" }: { shape?: SkeletonShape }) {
  return (
    <div className="flex min-h-dvh">
      <aside className="hidden w-64 shrink-0 border-r border-sidebar-border bg-sidebar md:block" aria-hidden>
        <div className="flex h-full flex-col gap-4 p-3">
          <div className="px-2 pt-1 text-lg font-semibold tracking-tight">Gatehouse</div>
          <Skeleton className="h-9 w-full" />
          <div className="grid gap-2 px-2">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} className="h-5 w-36" />
            ))}
          </div>
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-2 border-b px-4" aria-hidden>
          <Skeleton className="size-9 md:hidden" />
          <Skeleton className="h-5 w-40" />
          <div className="flex-1" />
          <Skeleton className="size-9 rounded-full" />
          <Skeleton className="size-9 rounded-full" />
        </header>
        {/* Not a <main>: the page's own frame brings it (both are in the document for a moment while it streams in). */}
        <div className="flex-1 p-4 md:p-8">
          <ContentSkeleton shape={shape} />
        </div>
      </div>
    </div>
  );
}
