"use client";

import {
  Building2,
  House,
  KeyRound,
  Mail,
  Menu,
  Plug,
  ScrollText,
  Settings,
  ShieldCheck,
  Users,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { cn } from "@/lib/utils";
import { type OrgOption, OrgSwitcher } from "./org-switcher";
import { UserMenu } from "./user-menu";

const ICONS = {
  home: House,
  users: Users,
  shield: ShieldCheck,
  key: KeyRound,
  settings: Settings,
  scroll: ScrollText,
  plug: Plug,
  mail: Mail,
  building: Building2,
} as const;

export interface ConsoleNavItem {
  href: string;
  label: string;
  icon?: keyof typeof ICONS;
}

export interface ConsoleShellProps {
  user: { name: string | null; email: string };
  orgs: OrgOption[];
  currentOrgSlug?: string;
  nav: ConsoleNavItem[];
  title?: string;
  signOutAction: () => Promise<void>;
  children: React.ReactNode;
  /** The brand (lib/brand.ts): name and logo at the top of the sidebar. */
  brand?: { productName: string; logoUrl?: string | null };
}

function isActive(pathname: string, href: string, all: ConsoleNavItem[]) {
  if (pathname === href) return true;
  // A deeper link that also matches wins, so "Overview" is not active on every org page.
  return pathname.startsWith(`${href}/`) && !all.some((i) => i.href !== href && i.href.startsWith(href) && pathname.startsWith(i.href));
}

function SidebarBody({ orgs, currentOrgSlug, nav, onNavigate, brand }: Pick<ConsoleShellProps, "orgs" | "currentOrgSlug" | "nav" | "brand"> & { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <div className="flex h-full flex-col gap-4 p-3">
      <Link href="/" className="flex items-center gap-2 px-2 pt-1 text-lg font-semibold tracking-tight" onClick={onNavigate} data-testid="console-brand">
        {brand?.logoUrl && (
          // eslint-disable-next-line @next/next/no-img-element -- an operator-configured logo, any origin
          <img src={brand.logoUrl} alt="" width={24} height={24} className="size-6 object-contain" />
        )}
        {brand?.productName ?? "Gatehouse"}
      </Link>
      <OrgSwitcher orgs={orgs} currentOrgSlug={currentOrgSlug} />
      <nav aria-label="Main" className="grid gap-1">
        {nav.map((item) => {
          const Icon = item.icon ? ICONS[item.icon] : null;
          const active = isActive(pathname, item.href, nav);
          return (
            <Link
              key={item.href}
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-sidebar-foreground/80 outline-none hover:bg-sidebar-accent hover:text-sidebar-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                active && "bg-sidebar-accent font-medium text-sidebar-foreground",
              )}
            >
              {Icon && <Icon className="size-4" aria-hidden />}
              {item.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}

/** The frame of every signed-in page: sidebar with org switcher and navigation, header with user menu. */
export function ConsoleShell({ user, orgs, currentOrgSlug, nav, title, signOutAction, children, brand }: ConsoleShellProps) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex min-h-dvh">
      <aside className="hidden w-64 shrink-0 border-r border-sidebar-border bg-sidebar md:block">
        <SidebarBody orgs={orgs} currentOrgSlug={currentOrgSlug} nav={nav} brand={brand} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-2 border-b px-4">
          <Sheet open={open} onOpenChange={setOpen}>
            <SheetTrigger asChild>
              <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open menu">
                <Menu className="size-5" />
              </Button>
            </SheetTrigger>
            <SheetContent side="left" className="w-72 bg-sidebar p-0">
              <SheetTitle className="sr-only">Navigation</SheetTitle>
              <SidebarBody orgs={orgs} currentOrgSlug={currentOrgSlug} nav={nav} brand={brand} onNavigate={() => setOpen(false)} />
            </SheetContent>
          </Sheet>
          <div className="min-w-0 flex-1 truncate font-medium">{title}</div>
          <ThemeToggle />
          <UserMenu user={user} signOutAction={signOutAction} />
        </header>
        <main id="main" className="flex-1 p-4 md:p-8">
          {children}
        </main>
      </div>
    </div>
  );
}
