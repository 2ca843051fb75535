#!/usr/bin/env bash
# Runs every Go fuzz target (func Fuzz*) in the module for FUZZTIME each (default 10s). Targets
# are found with `go test -list`, so a new one joins without editing this file. A failing input
# is saved under the package's testdata/fuzz/ by go test: commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}

# `go test -list` prints a package's matching tests, then "ok  PACKAGE …".
listing=$($GO test -list '^Fuzz' ./...)
targets=$(awk '/^Fuzz/ {t[n++] = $1; next} /^ok / {for (i = 0; i < n; i++) print $2, t[i]; n = 0}' <<<"$listing")
if [ -z "$targets" ]; then
  echo "no fuzz targets found" >&2
  exit 1
fi
count=$(wc -l <<<"$targets")
echo "fuzzing $count targets for $FUZZTIME each"
while read -r pkg target; do
  echo "== $target ($pkg)"
  $GO test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg"
done <<<"$targets"
