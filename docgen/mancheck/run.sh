#!/usr/bin/env bash
# Render man pages with groff and fail on any warning: `groff -man -ww -z`
# (the default device) and again for UTF-8 terminals (-Tutf8, what man(1)
# uses), each with every warning on; anything on stderr is a failure. Takes
# files and directories (every *.1 in them), e.g. from the repo root:
#   bash docgen/mancheck/run.sh docs/man
set -euo pipefail

if ! command -v groff >/dev/null 2>&1; then
  echo "mancheck: groff is not installed (Debian/Ubuntu: apt-get install groff-base)" >&2
  exit 1
fi
if [ "$#" -eq 0 ]; then
  echo "usage: bash docgen/mancheck/run.sh FILE_OR_DIR..." >&2
  exit 2
fi

pages=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    pages+=("$arg"/*.1)
  else
    pages+=("$arg")
  fi
done

failed=0
for page in "${pages[@]}"; do
  for device in "" -Tutf8; do
    # stderr only; -z writes no output. A missing file is a failure too.
    if ! warnings=$(groff -man -ww -z $device "$page" 2>&1 >/dev/null) || [ -n "$warnings" ]; then
      echo "${page}${device:+ ($device)}:" >&2
      echo "${warnings:-groff failed}" >&2
      failed=1
    fi
  done
done
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "ok: ${#pages[@]} man pages render without warnings"
