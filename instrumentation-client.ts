// Runs in the browser before the app's code. zod would otherwise probe `new Function("")` to decide
// whether it may compile its parsers, an eval the page's Content-Security-Policy refuses (and reports
// as a violation): tell it up front that it may not. This file is in every page's first load, the
// sign-in pages included, so it sets zod's global configuration object (globalThis.__zod_globalConfig,
// shared by every copy of zod; lib/zod-jitless.test.ts checks zod reads it) instead of importing zod.
const g = globalThis as typeof globalThis & { __zod_globalConfig?: Record<string, unknown> };
(g.__zod_globalConfig ??= {}).jitless = true;
export {};
