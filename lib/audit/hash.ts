// The canonical event encoding and hash live in verify-core.mjs, shared with the standalone verifier.
export { canonicalJson, GENESIS_HASH, type HashedFields, hashEvent } from "./verify-core.mjs";
