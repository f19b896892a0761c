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
echo "dist/ is current"
