"use client";

import { fetchJson } from "@/lib/queries/fetch-json";

/**
 * Client side of the passkey ceremonies. @simplewebauthn/browser is loaded with import() only when a
 * ceremony starts, so it is not part of the sign-in page's first load.
 */
const browser = () => import("@simplewebauthn/browser");

/** Whether this browser can use passkeys at all (no library needed to ask). */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";
}

type Ceremony<T> = { ceremony: string; options: T };

/** Sign-in step: get options for the current state, ask the authenticator, post the answer. */
export async function loginPasskey(opts: { returnTo?: string; autofill?: boolean } = {}): Promise<void> {
  const { startAuthentication } = await browser();
  const { options } = await fetchJson<Ceremony<Parameters<typeof startAuthentication>[0]["optionsJSON"]>>("/api/login/passkey/options", {
    method: "POST",
    json: opts.returnTo ? { returnTo: opts.returnTo } : {},
  });
  const response = await startAuthentication({ optionsJSON: options, useBrowserAutofill: Boolean(opts.autofill) });
  await fetchJson("/api/login/passkey/verify", { method: "POST", json: { response } });
}

/** Whether the browser can offer passkeys in the email field's autofill (conditional UI). */
export async function autofillSupported(): Promise<boolean> {
  const { browserSupportsWebAuthnAutofill } = await browser();
  return browserSupportsWebAuthnAutofill();
}

/** Abort a pending ceremony (e.g. the autofill request when the sign-in page goes away). */
export async function cancelCeremony(): Promise<void> {
  const { WebAuthnAbortService } = await browser();
  WebAuthnAbortService.cancelCeremony();
}

/** Register a passkey: `optionsUrl` gives creation options, `saveUrl` stores the named answer. */
export async function registerPasskey(optionsUrl: string, saveUrl: string, name: string): Promise<void> {
  const { startRegistration } = await browser();
  const got = await fetchJson<unknown>(optionsUrl, { method: "POST", json: {} });
  const options = (got as { options?: unknown }).options ?? got;
  const response = await startRegistration({ optionsJSON: options as Parameters<typeof startRegistration>[0]["optionsJSON"] });
  await fetchJson(saveUrl, { method: "POST", json: { name, response } });
}

/** A fresh passkey check (account changes): the assertion to send with the change. */
export async function passkeyProof(optionsUrl: string): Promise<unknown> {
  const { startAuthentication } = await browser();
  const options = await fetchJson<Parameters<typeof startAuthentication>[0]["optionsJSON"]>(optionsUrl, { method: "POST", json: {} });
  return startAuthentication({ optionsJSON: options });
}

/** A message for a ceremony the user or the browser cancelled (NotAllowedError) or one we refused. */
export function passkeyErrorMessage(err: unknown): string {
  const name = (err as { name?: string }).name;
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey request was cancelled or timed out.";
  if (name === "InvalidStateError") return "This passkey is already registered.";
  return (err as Error).message || "That passkey could not be used.";
}
