import { cloneElement, isValidElement } from "react";
import type * as React from "react";
import { cn } from "@/lib/utils";

type AnyProps = Record<string, unknown>;

/**
 * Renders its only child with these props merged in (`asChild`): classes joined, styles merged, and
 * event handlers of both called (the child's first). A few lines instead of a UI library's Slot,
 * so that the sign-in pages stay light.
 */
export function Slot({ children, ...props }: AnyProps & { children?: React.ReactNode }) {
  if (!isValidElement<AnyProps>(children)) return null;
  const own = children.props;
  const merged: AnyProps = { ...props, ...own };
  for (const key of Object.keys(props)) {
    const a = own[key];
    const b = props[key];
    if (/^on[A-Z]/.test(key) && typeof a === "function" && typeof b === "function") {
      merged[key] = (...args: unknown[]) => {
        a(...args);
        b(...args);
      };
    }
  }
  merged.className = cn(props.className as string | undefined, own.className as string | undefined);
  if (props.style || own.style) merged.style = { ...(props.style as object), ...(own.style as object) };
  return cloneElement(children, merged);
}
