#!/usr/bin/env bash
# npm test: the whole suite — lint, types, unit + integration (vitest), one production build, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n=== %s ===\n' "$*"; }

step "lint";        npm run --silent lint
step "typecheck";   npm run --silent typecheck
db="embedded PGlite"; [ -n "${DATABASE_URL:-}" ] && db="PostgreSQL"
step "unit + integration ($db)"
npx vitest run
step "build";       npx next build
step "browser tests"; npm run --silent test:e2e
