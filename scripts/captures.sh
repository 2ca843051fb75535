#!/usr/bin/env bash
# captures.sh — plain-text screens of `byova --demo` for the README.
#
# Runs bin/byova --demo in tmux at 80x24 and 120x40 with NO_COLOR=1, walks through the list, a
# filter, a detail view, the register form and the help, and writes each screen to
# docs/captures/<view>-<cols>x<rows>.txt, then puts list-80x24 into README.md as its inline
# sample (a test fails when the two drift). Needs tmux and a built bin/byova (make build).
set -euo pipefail

cd "$(dirname "$0")/.."
bin=${BYOVA_BIN:-bin/byova}
out=${CAPTURES_DIR:-docs/captures}
readme=${CAPTURES_README:-README.md}
[ -x "$bin" ] || { echo "captures: $bin not found: run make build first" >&2; exit 2; }
command -v tmux >/dev/null || { echo "captures: tmux is required (apt-get install tmux)" >&2; exit 2; }
mkdir -p "$out"

sock="byova-captures-$$"
session=captures
tm() { tmux -L "$sock" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; }
trap cleanup EXIT

# wait_for TEXT: poll the pane until TEXT shows (10 s at most).
wait_for() {
	for _ in $(seq 1 100); do
		if tm capture-pane -p -t "$session" | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
	done
	echo "captures: timed out waiting for '$1'; the screen was:" >&2
	tm capture-pane -p -t "$session" >&2
	exit 1
}

# shot NAME: save the pane without trailing blanks.
shot() {
	tm capture-pane -p -t "$session" | sed -e 's/[[:space:]]*$//' >"$out/$1-${cols}x${rows}.txt"
	echo "captures: $out/$1-${cols}x${rows}.txt"
}

keys() { tm send-keys -t "$session" "$@"; }
# esc: a lone escape; the pause keeps the terminal from reading it and the next key as alt+key.
esc() { keys Escape; sleep 0.25; }

for size in 80x24 120x40; do
	cols=${size%x*}
	rows=${size#*x}
	tm new-session -d -s "$session" -x "$cols" -y "$rows" "env NO_COLOR=1 TERM=xterm-256color $bin --demo"
	wait_for "sort expiry"
	sleep 0.3
	shot list

	keys /
	wait_for "filter by status"
	keys -l "bank"
	wait_for "of 8"
	keys Enter
	shot filter
	esc

	keys Enter
	wait_for "JWS header"
	sleep 0.3 # the full object arrives with its nonce
	shot detail
	esc

	keys n
	wait_for "Register a data source"
	shot register
	esc

	keys x
	wait_for "Extend the token"
	shot extend
	esc

	keys '?'
	wait_for "Global"
	shot help
	esc

	keys 2
	wait_for "SERVICE TYPE"
	sleep 0.3
	shot schemas

	keys 3
	wait_for "authorized"
	sleep 0.3
	shot webhooks

	keys 4
	wait_for "service-app"
	sleep 0.3
	shot auth
	keys 1

	keys q
	for _ in $(seq 1 50); do tm has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
	tm kill-session -t "$session" 2>/dev/null || true
done

# The README's inline sample is the 80x24 list capture, between its two marker lines.
sample="$out/list-80x24.txt"
begin='<!-- make captures writes the sample below from docs/captures/list-80x24.txt; a test checks it -->'
end='<!-- end of the sample -->'
grep -qxF -- "$begin" "$readme" && grep -qxF -- "$end" "$readme" ||
	{ echo "captures: $readme lacks the sample's marker lines" >&2; exit 1; }
tmp=$(mktemp "$readme.XXXXXX")
awk -v begin="$begin" -v end="$end" -v sample="$sample" '
	$0 == begin { print; print "```"; while ((getline line < sample) > 0) print line; print "```"; skip = 1; next }
	$0 == end { skip = 0 }
	!skip { print }
' "$readme" >"$tmp"
mv "$tmp" "$readme"
echo "captures: $readme sample from $sample"
