#!/usr/bin/env bash
# events.sh - ally events: the change log oldest first, as text and JSON
# Lines, --since, who may read it, bad input; and --follow in one process
# printing, in order, what three other processes commit, holding no read
# transaction while it waits and never spinning.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

PY=/usr/bin/python3
if ! [ -x $PY ]; then
	echo "1..0 # SKIP needs /usr/bin/python3"
	exit 0
fi

follower=""
cleanup() {
	[ -n "$follower" ] && kill "$follower" 2>/dev/null && wait "$follower" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# field NAME of each JSON line on stdin, one a line
jf() {
	$PY -c '
import json, sys
for l in sys.stdin:
    v = json.loads(l)
    for k in sys.argv[1].split("."):
        v = v[k] if v is not None else None
    print(v)' "$1"
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "flat 25.00" --events purchase --hold 0 --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally user add max --role manager >/dev/null
ally user add sue --role support >/dev/null

# ---- the log as it is ----

run ally events
is_rc 0 "ally events"
n=$(ally audit list --json | wc -l)
is "$(printf '%s\n' "$out" | wc -l)" "$n" "one line per audit entry"
is "$(printf '%s\n' "$out" | sed -n 's/^\(A[0-9]*\) .*/\1/p' | tr '\n' ' ')" \
    "$(ally audit list --json | jf id | tac | tr '\n' ' ')" "oldest first"
like "$(printf '%s\n' "$out" | grep -F 'program add')" \
    '^A[0-9]+  2026-10-15T12:00:00Z  root  program add  PG1$' "a line: seq, time, actor, action, record"

run ally events --json
is_rc 0 "ally events --json"
is "$(printf '%s\n' "$out" | jf seq | tr '\n' ' ')" "$(seq 1 "$n" | tr '\n' ' ')" "seq counts from 1 with no gap"
pa=$(printf '%s\n' "$out" | grep -F '"action":"program add"')
is "$(printf '%s\n' "$pa" | jf id) $(printf '%s\n' "$pa" | jf kind) $(printf '%s\n' "$pa" | jf record)" \
    "A$(printf '%s\n' "$pa" | jf seq) program PG1" "id, kind and record"
is "$(printf '%s\n' "$pa" | jf after.name) $(printf '%s\n' "$pa" | jf after.rule)" "Spring flat 25.00" \
    "after: the record's fields as an object"
is "$(printf '%s\n' "$pa" | jf at) $(printf '%s\n' "$pa" | jf actor)" "2026-10-15T12:00:00Z root" "at and actor"

run ally events --json --since 2
is "$(printf '%s\n' "$out" | head -n 1 | jf seq)" 3 "--since 2 starts after A2"
run ally events --since A$n
is "$rc/$out" "0/" "--since the last entry: nothing, exit 0"
run ally events --since 9999
is "$rc/$out" "0/" "--since beyond the end: nothing"

ally partner edit Acme --name "Acme GmbH" >/dev/null
run ally events --json --since $n
is "$(printf '%s\n' "$out" | jf action) $(printf '%s\n' "$out" | jf after.name)" "partner change Acme GmbH" \
    "a change after: its fields after it"

# a referral tracked on its own carries its fields; a batch is one summary entry
ally code new --program Spring --partner P1 --vanity ACME1 >/dev/null
n=$(ally events --json | tail -n 1 | jf seq)
ally track referral --code ACME1 --email zoe@example.com >/dev/null
run ally events --json --since $n
is "$(printf '%s\n' "$out" | jf action) $(printf '%s\n' "$out" | jf after.email)" \
    "track referral RF1 zoe@example.com" "a tracked referral: its entry carries its fields"
n=$(ally events --json | tail -n 1 | jf seq)
printf '%s\n' '{"type":"referral","code":"ACME1","email":"b1@example.com"}' \
    '{"type":"referral","code":"ACME1","email":"b2@example.com"}' | ally ingest - >/dev/null
run ally events --json --since $n
is "$(printf '%s\n' "$out" | wc -l) $(printf '%s\n' "$out" | jf after)" "1 None" \
    "an ingested batch: one summary entry without fields"

# the secret of an endpoint and a user's password are never in the stream
printf 'events-test-secret-0123456789\n' >"$tmp/secret"
ally webhook add http://127.0.0.1:9/x --events referral --secret-file "$tmp/secret" >/dev/null
run ally events --json
unlike "$out" "events-test-secret" "an endpoint's secret never appears"
like "$(printf '%s\n' "$out" | grep -F '"action":"webhook add"' | jf after.secret)" '^\(set\)$' \
    "only that it is set"

# ---- who may ----

run env ALLY_USER=sue "$ALLY" events --since 1
is_rc 0 "support reads the change log (as it reads the audit log)"
run env ALLY_USER=max "$ALLY" events --since 1
is_rc 0 "a manager reads it"

# ---- bad input: a one-line error, nothing written ----

bad 64 'ally: events: --since: expected a whole number (see ally events --help)' \
    "--since not a number" -- ally events --since yesterday
bad 64 'ally: events: --since: expected a whole number (see ally events --help)' \
    "--since negative" -- ally events --since -3
bad 64 'ally: events: unknown option --tail (see ally events --help)' \
    "an unknown flag" -- ally events --tail

# ---- --follow: three other processes commit, one follower prints them in order ----

last=$(ally events --json | tail -n 1 | jf seq)
"$ALLY" events --follow --json --since "$last" >"$tmp/follow" 2>"$tmp/follow.err" &
follower=$!
sleep 0.3
for w in one two three; do
	(
		for i in 1 2 3 4 5; do
			"$ALLY" partner add "Partner $w $i" --email "$w$i@partners.example" >/dev/null
		done
	) &
done
wait_writers() {
	local j
	for j in $(jobs -p); do
		[ "$j" = "$follower" ] || wait "$j"
	done
}
wait_writers
want=$(ally events --json --since "$last" | jf seq | tr '\n' ' ')
for i in $(seq 100); do
	[ "$(jf seq <"$tmp/follow" | tr '\n' ' ')" = "$want" ] && break
	sleep 0.05
done
is "$(jf seq <"$tmp/follow" | tr '\n' ' ')" "$want" "the follower printed every commit of the three writers, in order"
is "$(jf action <"$tmp/follow" | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "15 partner add " \
    "all fifteen partner adds"
is "$(jf after.name <"$tmp/follow" | grep -c '^Partner one')" 5 "five from the first writer"

# a commit wakes the follower at once: inotify, not a second's poll
t0=$($PY -c 'import time; print(time.monotonic())')
ally partner add "Quick Co" --email q@quick.example >/dev/null
for i in $(seq 200); do
	grep -q '"Quick Co"' "$tmp/follow" && break
	sleep 0.01
done
t1=$($PY -c 'import time; print(time.monotonic())')
ms=$($PY -c "print(int(($t1 - $t0) * 1000))")
if grep -q '"Quick Co"' "$tmp/follow" && [ "$ms" -lt 900 ]; then
	ok "a new commit is printed within ${ms} ms"
else
	not_ok "a new commit took ${ms} ms to be printed"
fi

# waiting holds no read transaction (a reader would pin old pages), and
# sleeps: its CPU time stays near nothing over a second of waiting
readers=$(mdb_stat -r "$ALLY_DB" 2>/dev/null | grep -Ec "^ *$follower +[0-9a-f]+ +[0-9]+ *$")
is "$readers" 0 "the waiting follower holds no reader slot"
c0=$(awk '{print $14 + $15}' /proc/$follower/stat)
sleep 1
c1=$(awk '{print $14 + $15}' /proc/$follower/stat)
if [ $((c1 - c0)) -le 5 ]; then ok "waiting uses no CPU to speak of ($((c1 - c0)) ticks in 1 s)"
else not_ok "the follower spins: $((c1 - c0)) ticks in 1 s"; fi

kill -0 "$follower" 2>/dev/null && ok "the follower is still running" || not_ok "the follower died"
kill "$follower"
wait "$follower" 2>/dev/null
follower=""
is "$(cat "$tmp/follow.err")" "" "nothing on the follower's stderr"

# output closed: the follower ends instead of waiting forever
run bash -c "\"$ALLY\" events --follow | head -n 1"
is "$rc/$(printf '%s\n' "$out" | wc -l)" "0/1" "events --follow | head -n 1 ends"

run ally check
is_rc 0 "ally check passes"

done_testing
