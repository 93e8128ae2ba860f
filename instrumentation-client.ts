// Runs in the browser before the app's code. zod would otherwise probe `new Function("")` to decide
// whether it may compile its parsers, an eval the page's Content-Security-Policy refuses (and reports
// as a violation): tell it up front that it may not.
import { z } from "zod";

z.config({ jitless: true });
