#!/bin/sh
# refresh.sh - the TUI's live refresh under concurrent writes, in a real
# terminal (tmux): the Commissions list picks up other processes' ingests
# within a tick, keeps the cursor on the same record, and keeps answering
# keys while a long ingest commits batch after batch (tests/ui/refresh.py
# does the timing and prints the figures as "# " lines).
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/reliability/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
sock=ally-refresh-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

base_db "$tmp/db"
gen_events 50 a | sed 's/CODE[2-5]/CODE1/' >"$tmp/first.jsonl"
ally ingest "$tmp/first.jsonl" >/dev/null 2>&1
for i in 1 2 3 4 5; do
	gen_events 100 "s$i" >"$tmp/small.jsonl.$i"
done
# 240,000 lines (48 batches) with 4,800 conversions: the list stays below
# its 5,000-row cap, so C8 stays in it
awk 'BEGIN {
	for (i = 1; i <= 235200; i++) {
		c = 1 + i % 5;
		t = 1775000000 + (i * 7919) % (86400 * 150);
		printf "{\"type\":\"referral\",\"code\":\"CODE%d\",\"email\":\"big%d@x.example\",\"at\":\"%s\"}\n", c, i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
		if (i % 49 == 0)
			printf "{\"type\":\"conversion\",\"code\":\"CODE%d\",\"email\":\"big%d@x.example\",\"event\":\"purchase\",\"amount\":\"%d.00\",\"id\":\"big-%d\",\"at\":\"%s\"}\n", c, i, 10 + i % 90, i, strftime("%Y-%m-%dT%H:%M:%SZ", t + 3600, 1);
	}
}' >"$tmp/big.jsonl"

tm -f /dev/null new-session -d -s main -x 80 -y 24 \
	"env TERM=tmux-256color ESCDELAY=25 ALLY_DB='$ALLY_DB' ALLY_NOW='$ALLY_NOW' LC_ALL=C.UTF-8 '$ALLY'; echo EXITED:\$?; sleep 30"
# keys only once the TUI reads them (typed earlier, the terminal is not raw yet)
i=0
while [ $i -lt 200 ] && ! tm capture-pane -p -t main 2>/dev/null | grep -q '^ Dashboard'; do
	sleep 0.05
	i=$((i + 1))
done
tm send-keys -t main 6
tm send-keys -t main Down
tm send-keys -t main Down

$PY "$top_srcdir/tests/ui/refresh.py" "$ALLY" "$sock" "$tmp/small.jsonl" "$tmp/big.jsonl" >"$tmp/py.out"
py_rc=$?
# renumber the Python TAP lines into ours
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	*) echo "$line" ;;
	esac
done <"$tmp/py.out"
[ $py_rc -eq 0 ] || [ $tap_failed -ne 0 ] || not_ok "refresh.py exits 0 (got $py_rc)"

tm send-keys -t main q
i=0
while [ $i -lt 200 ] && ! tm capture-pane -p -t main 2>/dev/null | grep -q 'EXITED:0'; do
	sleep 0.05
	i=$((i + 1))
done
like "$(tm capture-pane -p -t main 2>/dev/null)" 'EXITED:0' "q quits with status 0"

done_testing
