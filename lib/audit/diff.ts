/** One changed field between `before` and `after` (dotted path for nested objects). */
export interface FieldChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The fields that differ between two snapshots, sorted by path. Arrays compare as whole values. */
export function diffSnapshots(before: unknown, after: unknown, prefix = ""): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!(k in before)) return [{ path, kind: "added" as const, after: after[k] }];
      if (!(k in after)) return [{ path, kind: "removed" as const, before: before[k] }];
      return diffSnapshots(before[k], after[k], path);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined) return [{ path: prefix || "(value)", kind: "added", after }];
  if (after === undefined) return [{ path: prefix || "(value)", kind: "removed", before }];
  return [{ path: prefix || "(value)", kind: "changed", before, after }];
}
