// Runs in the browser before the app's code. zod would otherwise probe `new Function("")` to decide
// whether it may compile its parsers, an eval the page's Content-Security-Policy refuses (and reports
// as a violation): tell it up front that it may not. Only zod's tiny core config is imported here —
// this file is in every page's first load, the sign-in pages included.
import { config } from "zod/v4/core";

config({ jitless: true });
