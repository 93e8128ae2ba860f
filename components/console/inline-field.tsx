import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** A visible label above one control, for the one-row forms of the console (full width on a phone). */
export function InlineField({ label, htmlFor, className, children }: { label: string; htmlFor: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={cn("grid w-full gap-2 sm:w-auto", className)}>
      <Label htmlFor={htmlFor}>{label}</Label>
      {children}
    </div>
  );
}

/** The native select's look next to the console's inputs. */
export const nativeSelectClass =
  "h-9 w-full rounded-md border border-input bg-background px-2 text-sm outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 sm:w-auto";
