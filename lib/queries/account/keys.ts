export const accountKeys = {
  all: () => ["account"] as const,
  mfa: () => [...accountKeys.all(), "mfa"] as const,
  passkeys: () => [...accountKeys.all(), "passkeys"] as const,
};
