export const loginKeys = {
  all: () => ["login"] as const,
  state: () => [...loginKeys.all(), "state"] as const,
};
