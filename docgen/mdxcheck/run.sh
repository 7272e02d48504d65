#!/usr/bin/env bash
# CI entry: install the pinned MDX compiler (npm ci, only when needed) and
# compile the given MDX files/directories. Paths are relative to the
# caller's working directory, e.g. from the repo root:
#   bash docgen/mdxcheck/run.sh docs/reference/cli/baseten
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Install in the tool's own directory; node runs from the caller's cwd so
# the path arguments (and the paths in error lines) stay as the caller gave them.
(
  cd "$here"
  stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    npm ci --no-audit --no-fund --silent
  fi
)

exec node "$here/compile.mjs" "$@"
