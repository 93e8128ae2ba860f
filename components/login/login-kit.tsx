"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";

export type LoginStateName =
  | "LOGIN_REQUIRED"
  | "EMAIL_NOT_CONFIRMED_YET"
  | "UPDATE_PASSWORD_REQUIRED"
  | "USER_MISSING_REQUIRED_PROPERTIES"
  | "TWO_FACTOR_ENROLLMENT_REQUIRED"
  | "TWO_FACTOR_REQUIRED"
  | "USER_MUST_BE_IN_AT_LEAST_ONE_ORG"
  | "LOGGED_IN"
  | "SSO_REDIRECT";

/** The server's password rules, carried in every state payload (GET /api/login/state). */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** Common passwords are refused (the server checks when the form is sent). */
  blocksCommon?: boolean;
  /** The email address's local part is refused as a password. */
  blocksEmail?: boolean;
}

export interface LoginStateResponse {
  state: LoginStateName;
  email: string | null;
  passwordMinLength: number;
  passwordPolicy?: PasswordPolicy;
  fields?: { key: string; label: string; type: string }[];
  join?: {
    invitations: { id: string; org: { id: string; slug: string; name: string }; role: string; expiresAt: string }[];
    autoJoin: { id: string; name: string; slug: string }[];
    canCreateOrg: boolean;
  };
  returnTo?: string;
  attemptsLeft?: number;
  /** Second factors offered at TWO_FACTOR_REQUIRED / TWO_FACTOR_ENROLLMENT_REQUIRED. */
  factors?: { totp: boolean; passkey: boolean };
}

interface LoginKit {
  /** Origin of the Gatehouse server ("" for the same origin). */
  baseUrl: string;
  /**
   * Whether Gatehouse is this page's own origin (useSameOrigin). Passkeys are bound to Gatehouse's
   * origin: across origins the kit offers none.
   */
  sameOrigin: boolean;
  /** The product name shown in headings. */
  productName: string;
  /** POST/GET against Gatehouse's /api/login/* with the pending sign-in's cookie. */
  call: <T>(path: string, json?: unknown) => Promise<T>;
  /** Ask the server where the sign-in stands now (the page moves to that step). */
  refresh: () => Promise<void>;
  /** Forget the pending sign-in and go back to the first step ("use another account"). */
  restart: () => Promise<void>;
}

const LoginKitContext = createContext<LoginKit | null>(null);

/** An error answered by Gatehouse: `{ error: { code, message, fields? } }` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * GET (no `json`) or POST JSON to Gatehouse. Cross-origin calls carry the cookies (Gatehouse allows
 * the origins in its LOGIN_ALLOWED_ORIGINS only). Error answers become ApiError.
 */
export async function gatehouseCall<T>(baseUrl: string, path: string, json?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: json === undefined ? "GET" : "POST",
    headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}) },
    body: json !== undefined ? JSON.stringify(json) : undefined,
    credentials: baseUrl ? "include" : "same-origin",
    cache: "no-store",
  });
  const text = await res.text();
  let body: { error?: { code?: unknown; message?: unknown; fields?: Record<string, string> } } | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const err = body?.error;
    if (err && typeof err.code === "string" && typeof err.message === "string") throw new ApiError(res.status, err.code, err.message, err.fields);
    throw new ApiError(res.status, "http_error", res.statusText || `Request failed (${res.status})`);
  }
  return body as T;
}

/**
 * Holds this browser's sign-in state: the server decides the state, the kit only displays it.
 * While the user waits for the confirmation mail, it asks again every few seconds.
 */
export function useLoginStateStore(baseUrl: string, initial?: LoginStateResponse) {
  const [data, setData] = useState<LoginStateResponse | undefined>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const call = useCallback(<T,>(path: string, json?: unknown) => gatehouseCall<T>(baseUrl, path, json), [baseUrl]);
  const refresh = useCallback(async () => {
    try {
      setData(await call<LoginStateResponse>("/api/login/state"));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "network", "We could not reach the sign-in service."));
    }
  }, [call]);
  const restart = useCallback(async () => {
    await call("/api/login/restart", {});
    await refresh();
  }, [call, refresh]);
  const loaded = useRef(!!initial);
  useEffect(() => {
    if (!loaded.current) {
      loaded.current = true;
      void refresh();
    }
  }, [refresh]);
  useEffect(() => {
    if (data?.state !== "EMAIL_NOT_CONFIRMED_YET") return;
    const timer = setInterval(() => void refresh(), 3000);
    return () => clearInterval(timer);
  }, [data?.state, refresh]);
  return { data, error, call, refresh, restart };
}

export function LoginKitProvider({ value, children }: { value: LoginKit; children: React.ReactNode }) {
  return <LoginKitContext.Provider value={value}>{children}</LoginKitContext.Provider>;
}

/** The kit of the nearest LoginStateManager; outside one, the same-origin Gatehouse. */
export function useLoginKit(): LoginKit {
  const kit = useContext(LoginKitContext);
  return useMemo(
    () =>
      kit ?? {
        baseUrl: "",
        sameOrigin: true,
        productName: "Gatehouse",
        call: <T,>(path: string, json?: unknown) => gatehouseCall<T>("", path, json),
        refresh: async () => window.location.reload(),
        restart: async () => {
          await gatehouseCall("", "/api/login/restart", {});
          window.location.reload();
        },
      },
    [kit],
  );
}

interface ActionState<TResult> {
  data: TResult | undefined;
  error: ApiError | null;
  isPending: boolean;
  isIdle: boolean;
  isSuccess: boolean;
}

/** One request the user starts (a button, a form): its result, its error, whether it runs. */
export function useAction<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const [s, setS] = useState<ActionState<TResult>>({ data: undefined, error: null, isPending: false, isIdle: true, isSuccess: false });
  const fnRef = useRef(fn);
  useEffect(() => {
    fnRef.current = fn;
  });
  const mutate = useCallback((input: TInput, opts?: { onSuccess?: (r: TResult) => void; onError?: (e: ApiError) => void }) => {
    setS((p) => ({ ...p, isPending: true, isIdle: false, error: null }));
    fnRef.current(input).then(
      (data) => {
        setS({ data, error: null, isPending: false, isIdle: false, isSuccess: true });
        opts?.onSuccess?.(data);
      },
      (err: unknown) => {
        const error = err instanceof ApiError ? err : new ApiError(0, "network", "We could not reach the sign-in service.");
        setS({ data: undefined, error, isPending: false, isIdle: false, isSuccess: false });
        opts?.onError?.(error);
      },
    );
  }, []);
  const reset = useCallback(() => setS({ data: undefined, error: null, isPending: false, isIdle: true, isSuccess: false }), []);
  return { ...s, mutate, reset };
}

/**
 * POST one sign-in step to /api/login/<step>. On success the state is fetched again, which moves
 * the page to the next step; `advance: false` keeps the current step (e.g. to show backup codes first).
 */
export function useLoginStep<TInput, TResult = { ok: true }>(step: string, opts: { advance?: boolean } = {}) {
  const kit = useLoginKit();
  const advance = opts.advance !== false;
  return useAction<TInput, TResult>(async (input) => {
    try {
      const result = await kit.call<TResult>(`/api/login/${step}`, input ?? {});
      if (advance) await kit.refresh();
      return result;
    } catch (err) {
      // A step out of order, or an ended sign-in: show where things really are.
      if (err instanceof ApiError && (err.code === "wrong_state" || err.code === "too_many_attempts")) void kit.refresh();
      throw err;
    }
  });
}

const noSubscribe = () => () => {};

/** Whether `baseUrl` ("" or an absolute URL) is the origin of the page this runs in (browser only). */
export function isSameOrigin(baseUrl: string): boolean {
  if (!baseUrl) return true;
  if (typeof window === "undefined") return false;
  try {
    return new URL(baseUrl, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

/**
 * Whether Gatehouse (`baseUrl`) is this page's origin. "" is, on the server and in the browser alike,
 * so Gatehouse's own pages render the same before and after hydration. An absolute `baseUrl` counts as
 * another origin on the server (the page's origin is known only in the browser) and is compared with
 * the page's once it hydrates.
 */
export function useSameOrigin(baseUrl: string): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => isSameOrigin(baseUrl),
    () => !baseUrl,
  );
}

/** False on the server and while the page hydrates, true once React runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}
