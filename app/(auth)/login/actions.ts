"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { safeNextPath } from "@/lib/auth/guards";

export interface SignInState {
  error?: string;
  email?: string;
}

/** Email + password sign-in. Success redirects; every failure reads the same. */
export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "");
  const password = String(formData.get("password") ?? "");
  const next = safeNextPath(String(formData.get("next") ?? "/"));
  if (!email || !password) return { error: "Enter your email and password.", email };
  try {
    await signIn("password", { email, password, redirectTo: next });
    return {};
  } catch (err) {
    if (err instanceof AuthError) return { error: "That email and password do not match an account.", email };
    throw err; // the success redirect
  }
}
