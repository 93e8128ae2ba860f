import "server-only";
import { currentSessionId } from "@/lib/auth/current-user";

/**
 * Read-ahead for a signed-in route's read (withOrg's and withSupportAccess's `readAhead`). The check
 * (the session and what it may see: one statement) and the route's read are two round trips in a
 * row. When this node let the same session in for the same thing (an org and permission, a support
 * grant) within the last minute, the read starts alongside the check, with what was let in then
 * (the admission: the user, the membership or grant). The check decides as it always does; the
 * early read is used only when the check admits the request again exactly as before. Otherwise it
 * is dropped and the read runs after the check, as without read-ahead.
 *
 * Nothing is answered before the check: a session revoked since, a member removed or a permission
 * withdrawn get the check's answer, never the early read's. A read for a check that fails costs one
 * read, and only a session let in within the minute can cause one; a refusal forgets the admission,
 * so the next request of that session waits for its check. Only read-only routes opt in.
 */
export interface ReadAhead<A, T> {
  /** The request was let in as `admission`: the early read when it was started for the same one, else null (read now). */
  take(admission: A): Promise<T> | null;
  /** The request ended: an admission not taken (refused, or failed before) is forgotten. */
  end(): void;
}

const recent = new Map<string, { admission: unknown; at: number }>();
const TTL_MS = 60_000;
const MAX_REMEMBERED = 5_000;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Start `read` for this request's session if it was admitted to `scope` (what the check is about:
 * `org:<slug>:<permission>`, a grant) within the last minute; null without a session cookie. The
 * early read's failure is held, not thrown: it surfaces only if `take` hands it out.
 */
export async function startReadAhead<A, T>(scope: string, read: (admission: A) => Promise<T>, now = Date.now()): Promise<ReadAhead<A, T> | null> {
  const sid = await currentSessionId();
  if (!sid) return null;
  const key = `${sid}\n${scope}`;
  const last = recent.get(key) as { admission: A; at: number } | undefined;
  const early: { admission: A; result: Promise<Settled<T>> } | null =
    last && now - last.at < TTL_MS
      ? {
          admission: last.admission,
          result: read(last.admission).then(
            (value) => ({ ok: true, value }),
            (error: unknown) => ({ ok: false, error }),
          ),
        }
      : null;
  let taken = false;
  return {
    take(admission) {
      taken = true;
      remember(key, admission, now);
      if (!early || !sameAdmission(early.admission, admission)) return null;
      return early.result.then((r) => (r.ok ? r.value : Promise.reject(r.error)));
    },
    end() {
      if (!taken) recent.delete(key);
    },
  };
}

function remember(key: string, admission: unknown, now: number) {
  recent.delete(key);
  if (recent.size >= MAX_REMEMBERED) recent.delete(recent.keys().next().value!);
  recent.set(key, { admission, at: now });
}

/** Equal in everything a route is handed: the user (as the session check read it), its membership or grant. */
function sameAdmission(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
