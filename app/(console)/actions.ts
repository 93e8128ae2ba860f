"use server";

import { signOut } from "@/lib/auth";

/** Sign out: the session row is revoked by the Auth.js signOut event. */
export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}
