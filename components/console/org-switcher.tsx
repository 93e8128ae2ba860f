"use client";

import { Building2, Check, ChevronsUpDown } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export interface OrgOption {
  slug: string;
  name: string;
  role: string;
}

/** Pick the organization to work in. */
export function OrgSwitcher({ orgs, currentOrgSlug }: { orgs: OrgOption[]; currentOrgSlug?: string }) {
  const current = orgs.find((o) => o.slug === currentOrgSlug);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" className="w-full justify-between" data-testid="org-switcher">
          <span className="flex min-w-0 items-center gap-2">
            <Building2 className="size-4" aria-hidden />
            <span className="sr-only">Switch organization: </span>
            <span className="truncate">{current?.name ?? (orgs.length ? "Choose organization" : "No organization")}</span>
          </span>
          <ChevronsUpDown className="size-4 opacity-50" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>Switch organization</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {orgs.length === 0 && <DropdownMenuItem disabled>No organization</DropdownMenuItem>}
        {orgs.map((org) => (
          <DropdownMenuItem key={org.slug} asChild>
            <Link href={`/orgs/${org.slug}`} className="flex items-center justify-between gap-2">
              <span className="flex min-w-0 items-center gap-2">
                <Check className={org.slug === currentOrgSlug ? "size-4" : "size-4 opacity-0"} aria-hidden />
                <span className="truncate">{org.name}</span>
              </span>
              <Badge variant="secondary">{org.role}</Badge>
            </Link>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
