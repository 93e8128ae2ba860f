"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { FILTER_KEYS, toSearchParams } from "@/lib/audit/filter-params";
import type { AuditApi } from "@/lib/queries/audit/keys";
import { type AuditEventDto, useAuditEvents } from "@/lib/queries/audit/use-audit-events";
import { useAuditSummary } from "@/lib/queries/audit/use-audit-summary";
import type { SupportAccessDto } from "@/lib/queries/audit/use-support-access";
import { AuditEventSheet } from "./audit-event-sheet";
import { AuditExportButtons } from "./audit-export-button";
import { AuditFilters, type FilterValues } from "./audit-filters";
import { AuditHistogram } from "./audit-histogram";
import { AuditTable } from "./audit-table";
import { SupportAccessForm } from "./support-access-form";
import { VerifyChainButton } from "./verify-chain-button";

type Props =
  | { mode: "tenant"; orgSlug: string }
  | { mode: "support"; orgs: { slug: string; name: string }[] };

const storageKey = (org: string | null) => `gatehouse.audit-access:${org ?? "*"}`;

/** A stored support grant for this org that has not expired. */
function storedGrant(org: string | null): SupportAccessDto | null {
  try {
    const raw = sessionStorage.getItem(storageKey(org));
    const grant = raw ? (JSON.parse(raw) as SupportAccessDto) : null;
    return grant && new Date(grant.access.expiresAt).getTime() > Date.now() + 60_000 ? grant : null;
  } catch {
    return null;
  }
}

/**
 * The audit log explorer, shared by tenant admins (their org only; the server decides) and support
 * staff (any org, after stating a reason). The filter lives in the URL.
 */
export function AuditExplorer(props: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const supportOrg = props.mode === "support" ? searchParams.get("org") || null : null;

  const values = useMemo(() => {
    const v: FilterValues = {};
    for (const k of FILTER_KEYS) {
      const x = searchParams.get(k);
      if (x) v[k] = x;
    }
    return v;
  }, [searchParams]);
  const filterQuery = useMemo(() => toSearchParams(values).toString(), [values]);

  const [grant, setGrant] = useState<SupportAccessDto | null>(null);
  useEffect(() => {
    // sessionStorage is only readable after mount; a grant lasts for this browser tab.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- syncing from browser storage
    if (props.mode === "support") setGrant(storedGrant(supportOrg));
  }, [props.mode, supportOrg]);

  const api: AuditApi = useMemo(
    () => (props.mode === "tenant" ? { base: `/api/orgs/${props.orgSlug}/audit` } : { base: "/api/audit", accessToken: grant?.token ?? null }),
    [props, grant],
  );
  const ready = props.mode === "tenant" || !!grant;
  const events = useAuditEvents(api, filterQuery, ready);
  const summary = useAuditSummary(api, filterQuery, ready);
  const [open, setOpen] = useState<AuditEventDto | null>(null);

  const navigate = useCallback(
    (next: FilterValues, org: string | null = supportOrg) => {
      const sp = toSearchParams(next);
      if (props.mode === "support" && org) sp.set("org", org);
      router.replace(`${pathname}${sp.size ? `?${sp}` : ""}`, { scroll: false });
    },
    [pathname, router, props.mode, supportOrg],
  );

  if (props.mode === "support" && !grant) {
    return (
      <SupportAccessForm
        orgs={props.orgs}
        initialOrg={supportOrg}
        onGranted={(g) => {
          const org = g.access.org?.slug ?? null;
          sessionStorage.setItem(storageKey(org), JSON.stringify(g));
          setGrant(g);
          navigate(values, org);
        }}
      />
    );
  }

  const list = events.data?.pages.flatMap((p) => p.events) ?? [];
  const canVerify = props.mode === "tenant" || !!grant?.access.org;
  return (
    <div className="grid gap-6">
      {props.mode === "support" && grant && (
        <div className="flex flex-wrap items-center gap-3 rounded-md border p-3 text-sm" data-testid="support-access">
          <span>
            Viewing <strong>{grant.access.org?.name ?? "all organizations"}</strong> — reason: {grant.access.reason}
          </span>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              sessionStorage.removeItem(storageKey(supportOrg));
              setGrant(null);
            }}
          >
            Change organization
          </Button>
        </div>
      )}
      <AuditFilters key={filterQuery} value={values} onApply={(v) => navigate(v)} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm" data-testid="audit-count" aria-live="polite">
          {summary.data ? `${summary.data.count.toLocaleString()}${summary.data.capped ? "+" : ""} events` : "Counting…"}
        </p>
        <div className="flex flex-wrap gap-2">
          {canVerify && <VerifyChainButton api={api} />}
          <AuditExportButtons api={api} filterQuery={filterQuery} />
        </div>
      </div>
      {summary.data && <AuditHistogram histogram={summary.data.histogram} />}
      {events.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{events.error.message}</AlertDescription>
        </Alert>
      ) : events.isPending ? (
        <Skeleton className="h-64" />
      ) : list.length === 0 ? (
        <p className="py-8 text-center text-muted-foreground">No events match this filter.</p>
      ) : (
        <AuditTable
          events={list}
          showOrg={props.mode === "support" && !grant?.access.org}
          hasMore={!!events.hasNextPage}
          loadingMore={events.isFetchingNextPage}
          onLoadMore={() => void events.fetchNextPage()}
          onOpen={setOpen}
        />
      )}
      <AuditEventSheet api={api} event={open} onClose={() => setOpen(null)} />
    </div>
  );
}
