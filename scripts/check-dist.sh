#!/usr/bin/env bash
# Fails when the committed dist/ is not what the sources build: the action runs dist/, so a stale
# bundle would ship code nobody reviewed.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent >/dev/null
if ! git diff --quiet --ignore-space-at-eol -- dist/ || [ -n "$(git ls-files --others --exclude-standard -- dist/)" ]; then
  echo "dist/ is not what the sources build. Run 'npm run build' and commit dist/." >&2
  git --no-pager diff --stat -- dist/ >&2 || true
  git ls-files --others --exclude-standard -- dist/ >&2 || true
  exit 1
fi
# package.json's bin must be committed executable, or npm's chmod on linking dirties the checkout.
if [ "$(git ls-files --stage -- dist/cli.js | cut -d' ' -f1)" != "100755" ]; then
  echo "dist/cli.js is not committed executable: run 'git update-index --chmod=+x dist/cli.js'." >&2
  exit 1
fi
echo "dist/ is current"
