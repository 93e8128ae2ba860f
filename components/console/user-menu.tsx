"use client";

import { LogOut, UserRound } from "lucide-react";
import Link from "next/link";
import { useRef } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

/** The signed-in user's menu: account and sign-out. */
export function UserMenu({
  user,
  signOutAction,
}: {
  user: { name: string | null; email: string };
  signOutAction: () => Promise<void>;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const initials = (user.name ?? user.email)
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((s) => s[0]!.toUpperCase())
    .join("");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" data-testid="user-menu">
          <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-secondary text-xs font-semibold">
            {initials}
          </span>
          <span className="sr-only">User menu</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid">
          <span className="truncate">{user.name ?? user.email}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserRound /> Account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => formRef.current?.requestSubmit()}>
          <LogOut /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
      {/* Outside the menu content, so closing the menu does not unmount it mid-submit. */}
      <form ref={formRef} action={signOutAction} hidden />
    </DropdownMenu>
  );
}
