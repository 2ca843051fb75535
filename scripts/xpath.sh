#!/bin/sh
# Which files `x` on the data sources screen runs through, from the key to Webex and back: the
# code the TestXPath journey runs when it also extends a token, and never when it only loads
# the list (the fake Webex and the test harness left out). Each journey runs RUNS times; a
# block counts only if every extend run covered it and no load-only run did, so work that
# happens in the background at its own pace (an org name fetched) does not count.
set -eu
GO=${GO:-go}
RUNS=${RUNS:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	$GO test -tags xpath -count=1 -run '^TestXPath$' -coverpkg=./... -coverprofile="$dir/load$i.cov" ./tui >/dev/null
	BYOVA_XPATH=x $GO test -tags xpath -count=1 -run '^TestXPath$' -coverpkg=./... -coverprofile="$dir/x$i.cov" ./tui >/dev/null
done
$GO run ./scripts/xpathdiff.go "$dir"
