#!/usr/bin/env bash
# fuzz/run.sh [TOTAL]: run every fuzz target of the module for TOTAL (a Go
# duration, default 10m) split evenly between the targets, one after the
# other. A failing input is written under the package's testdata/fuzz/ by
# go test; commit it as a seed once the bug (in the library or the model in
# fuzz/model.go) is fixed. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

total=${1:-10m}
targets=()
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
		targets+=("$pkg $t")
	done
done
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets" >&2; exit 1; }

# TOTAL in seconds: a number with an s, m or h suffix.
case $total in
*h) secs=$(( ${total%h} * 3600 )) ;;
*m) secs=$(( ${total%m} * 60 )) ;;
*s) secs=${total%s} ;;
*) echo "usage: run.sh [DURATION like 90s, 10m, 1h]" >&2; exit 2 ;;
esac
secs=$(( secs / ${#targets[@]} ))
[ "$secs" -ge 1 ] || secs=1
for entry in "${targets[@]}"; do
	set -- $entry
	echo "=== $2 ($1) for ${secs}s"
	go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "${secs}s" -parallel 2
done
echo "=== all fuzz targets ran ${total} without a failure"
