"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type * as React from "react";
import { Toaster } from "@/components/ui/sonner";
import { getQueryClient } from "@/lib/queries/get-query-client";

/**
 * Data fetching (react-query) and toasts, for the pages that use them (console, dev, setup). They
 * are kept out of the root layout so that the sign-in pages load neither (README "/login weight").
 */
export function Providers({ children }: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster richColors closeButton />
    </QueryClientProvider>
  );
}
