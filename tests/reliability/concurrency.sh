#!/bin/sh
# concurrency.sh - several processes writing one database at once, with
# readers looping beside them: three ingests of different files, two
# processes approving the same lines, payout runs racing approvals and
# each other, two mail senders.  Afterwards the totals equal a run with one
# process at a time, each line was approved by exactly one process, no line
# is in two payout batches, each message went out once, and no reader
# failed or waited on a writer.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/reliability/lib.sh"

if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
	echo "1..0 # SKIP needs /usr/bin/python3 with aiosmtpd (./dev deps)"
	exit 0
fi
readers=""
trap 'stop_smtp; touch "$tmp/stop"; for p in $readers; do wait $p 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# reader N: run read-only commands in a loop until $tmp/stop (at most 400
# times); log "ms rc" per command to $tmp/reader.N.
reader() {
	_n=0
	: >"$tmp/reader.$1"
	while [ ! -f "$tmp/stop" ] && [ $_n -lt 400 ]; do
		_n=$((_n + 1))
		for _c in "report" "referral list --limit 20" "commission list --status approved --csv" "check"; do
			_t0=$(now_ms)
			# shellcheck disable=SC2086
			"$ALLY" $_c >/dev/null 2>"$tmp/reader.$1.err"
			_rc=$?
			echo "$(($(now_ms) - _t0)) $_rc $_c" >>"$tmp/reader.$1"
		done
	done
}

start_readers() {
	rm -f "$tmp/stop"
	readers=""
	reader 1 &
	readers="$readers $!"
	reader 2 &
	readers="$readers $!"
}

# stop_readers WHAT: stop them; every read succeeded.
stop_readers() {
	touch "$tmp/stop"
	for p in $readers; do wait "$p"; done
	readers=""
	cat "$tmp"/reader.[0-9] >"$tmp/reads.$2"
	is "$(awk '$2 != 0' "$tmp/reads.$2" | head -3)" "" "$1: every read succeeded ($(wc -l <"$tmp/reads.$2") reads)"
}

# totals: referrals, conversions, commission lines and their sum, by what
# they are (not their ids, which depend on the interleaving).
totals() {
	r=$(ally export referrals --csv | sed 1d | wc -l)
	c=$(ally export conversions --csv | sed 1d | wc -l)
	ally commission list --json >"$tmp/lines"
	l=$(wc -l <"$tmp/lines")
	s=$(sed -n 's/.*"amount_minor":\(-\{0,1\}[0-9]*\).*/\1/p' "$tmp/lines" | awk '{ s += $1 } END { print s + 0 }')
	echo "$r referrals, $c conversions, $l lines, $s minor units"
}

# what: the referrals (email, code, time) and conversions (order id,
# amount) and lines (conversion, amount, status), sorted.
what() {
	ally export referrals --csv | sed 1d | cut -d, -f3,5,7 | sort
	ally export conversions --csv | sed 1d | cut -d, -f2,7 | sort
	sed 's/^{"id":"C[0-9]*",//; s/"referrer":"R[0-9]*",//' "$tmp/lines" | sort
}

# ================= three ingests at once =================
base_db "$tmp/base"
gen_events 8000 a >"$tmp/a.jsonl"
gen_events 8000 b >"$tmp/b.jsonl"
gen_events 8000 c >"$tmp/c.jsonl"

copy_db "$tmp/base" "$tmp/ref"
ALLY_DB=$tmp/ref
for f in a b c; do ally ingest "$tmp/$f.jsonl" >/dev/null 2>&1; done
want=$(totals)
what >"$tmp/want.what"
like "$want" '^24000 referrals, 4800 conversions, 4800 lines, [0-9]+ minor units$' "one process at a time: $want"

copy_db "$tmp/base" "$tmp/db"
ALLY_DB=$tmp/db
start_readers
t0=$(now_ms)
ally ingest "$tmp/a.jsonl" >/dev/null 2>"$tmp/ia" & p1=$!
ally ingest "$tmp/b.jsonl" >/dev/null 2>"$tmp/ib" & p2=$!
ally ingest "$tmp/c.jsonl" >/dev/null 2>"$tmp/ic" & p3=$!
wait $p1; r1=$?
wait $p2; r2=$?
wait $p3; r3=$?
t_ingest=$(($(now_ms) - t0))
stop_readers "three ingests" ingest
is "$r1/$r2/$r3" "0/0/0" "three ingests at once all succeed ($t_ingest ms)"
is "$(totals)" "$want" "three ingests at once: the same totals"
what >"$tmp/got.what"
is "$(diff "$tmp/want.what" "$tmp/got.what" | head -5)" "" "three ingests at once: the same records"
run ally check
is "$rc $out" "0 ok: no problems found" "ally check after three ingests"
# The same file by two processes at once: recorded once.
ally ingest "$tmp/a.jsonl" >/dev/null 2>"$tmp/ia2" & p1=$!
ally ingest "$tmp/a.jsonl" >/dev/null 2>"$tmp/ia3" & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1/$r2 $(totals)" "0/0 $want" "the same file by two processes at once changes nothing"

# ================= approvals of the same lines =================
ids=$(ally commission list --json | sed -n 's/^{"id":"\(C[0-9]*\)".*/\1/p' | sort -k1.2n | head -400 | tr '\n' ' ')
rids=$(printf '%s\n' $ids | sort -k1.2nr | tr '\n' ' ')
start_readers
ally commission approve $ids >"$tmp/ap1" 2>&1 & p1=$!
ally commission approve $rids >"$tmp/ap2" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
stop_readers "two approvers" approve
is "$r1/$r2" "0/0" "two processes approving the same 400 lines both succeed"
n1=$(grep -c '^C[0-9]* approved$' "$tmp/ap1")
n2=$(grep -c '^C[0-9]* approved$' "$tmp/ap2")
is "$((n1 + n2))" 400 "each line approved by exactly one process ($n1 + $n2)"
is "$(cat "$tmp/ap1" "$tmp/ap2" | grep -c '^C[0-9]* already approved$')" 400 "and the other process was told so"
is "$(cat "$tmp/ap1" "$tmp/ap2" | grep '^C[0-9]* approved$' | sort | uniq -d)" "" "no line approved twice"
is "$(ally commission list --status approved --json | wc -l)" 400 "400 lines approved"

# ================= payout runs racing approvals and each other =================
# Lines 401..800 are approved, 40 at a time, each time racing two payout
# runs of the preview taken just before: a run either pays exactly what it
# previewed or is refused; of two runs of one preview at most one pays.
set -- $(ally commission list --status pending --json | sed -n 's/^{"id":"\(C[0-9]*\)".*/\1/p' | sort -k1.2n | head -400)
start_readers
: >"$tmp/apm"
runs=0 ok_runs=0 refused=0 i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	sum=$(ally payout preview --cutoff 2026-12-31 | sed -n 's/^checksum: //p')
	ally commission approve $(printf '%s\n' "$@" | head -40) >/dev/null 2>>"$tmp/apm" & pa=$!
	ally payout run --cutoff 2026-12-31 --confirm "$sum" --output "$tmp/p$i.a.csv" >/dev/null 2>"$tmp/pe$i.a" & q1=$!
	ally payout run --cutoff 2026-12-31 --confirm "$sum" --output "$tmp/p$i.b.csv" >/dev/null 2>"$tmp/pe$i.b" & q2=$!
	wait $q1; s1=$?
	wait $q2; s2=$?
	wait $pa || echo "approve failed" >>"$tmp/apm"
	shift 40
	runs=$((runs + 2))
	for s in $s1 $s2; do
		case $s in 0) ok_runs=$((ok_runs + 1)) ;; 65) refused=$((refused + 1)) ;; esac
	done
	if [ "$s1" -eq 0 ] && [ "$s2" -eq 0 ]; then
		not_ok "payout race $i: two runs of one preview both paid"
	fi
done
stop_readers "payouts racing approvals" payout
is "$(cat "$tmp/apm")" "" "400 more approvals, 40 at a time racing the payouts, all succeeded"
changed=$(cat "$tmp"/pe*.[ab] | grep -c 'the preview changed')
is "$((ok_runs + refused))" "$runs" "$runs payout runs: $ok_runs paid, $refused refused ($changed: the preview changed)"
# Pay the rest, then: every approved line is paid, in one batch only.
sum=$(ally payout preview --cutoff 2026-12-31 | sed -n 's/^checksum: //p')
ally payout run --cutoff 2026-12-31 --confirm "$sum" --output "$tmp/last.csv" >/dev/null 2>&1
is "$(ally commission list --status approved --json | wc -l)" 0 "every approved line was paid"
is "$(ally commission list --status paid --json | wc -l)" 800 "800 lines paid"
ally commission list --status paid --json | sed -n 's/.*"payout":"\(PB[0-9]*\)".*/\1/p' | sort | uniq -c |
    awk '{ print $2, $1 }' >"$tmp/perbatch"
ally payout list --json | sed -n 's/^{"id":"\(PB[0-9]*\)".*"lines":\([0-9]*\),.*/\1 \2/p' | sort >"$tmp/batches"
is "$(sort "$tmp/perbatch")" "$(cat "$tmp/batches")" "each batch holds exactly the lines it says ($(wc -l <"$tmp/batches") batches)"
paid_sum=$(ally commission list --status paid --json | sed -n 's/.*"amount_minor":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
batch_sum=$(ally payout list --json | sed -n 's/.*"total_minor":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
is "$batch_sum" "$paid_sum" "the batches' totals add up to the paid lines ($paid_sum)"
csv_sum=$(cat "$tmp"/p*.csv "$tmp/last.csv" 2>/dev/null | tr -d '\r' | grep -v '^partner,' | cut -d, -f4 | tr -d . |
    awk '{ s += $1 } END { print s + 0 }')
is "$csv_sum" "$paid_sum" "and so do the accounts-payable CSVs"
run ally check
is "$rc $out" "0 ok: no problems found" "ally check after the payouts"

# ================= two mail senders =================
mkdir -p "$tmp/Maildir/new" "$tmp/Maildir/cur" "$tmp/Maildir/tmp"
start_smtp "$tmp/Maildir"
printf '[smtp]\nurl = smtp://127.0.0.1:%s\nstarttls = off\ntimeout = 5\nfrom = Ally <ally@example.com>\n[portal]\nconnect = ssh portal@ally.example.com\n' \
    "$port" >"$tmp/smtp.conf"
printf '[smtp]\nurl = smtp://127.0.0.1:1\nstarttls = off\ntimeout = 2\nfrom = Ally <ally@example.com>\n[portal]\nconnect = x\n' >"$tmp/down.conf"
j=0
while [ $j -lt 25 ]; do
	j=$((j + 1))
	ally partner add "Mail $j" --email "m$j@example.org" >/dev/null
	ALLY_NOW=2026-10-15T11:00:00Z ally --config "$tmp/down.conf" partner invite "Mail $j" >/dev/null 2>&1
done
queued=$(ally mail list --state queued --json | wc -l)
start_readers
ally --config "$tmp/smtp.conf" mail send >"$tmp/m1" 2>&1 & p1=$!
ally --config "$tmp/smtp.conf" mail send >"$tmp/m2" 2>&1 & p2=$!
ally --config "$tmp/smtp.conf" mail send >"$tmp/m3" 2>&1 & p3=$!
wait $p1; r1=$?
wait $p2; r2=$?
wait $p3; r3=$?
stop_readers "three mail senders" mail
is "$r1/$r2/$r3" "0/0/0" "three mail senders at once succeed"
is "$(cat "$tmp/m1" "$tmp/m2" "$tmp/m3" | grep -c ' sent to ')" "$queued" "$queued messages, each sent by one sender"
is "$(maildir_mids "$tmp/Maildir" | wc -l) $(maildir_mids "$tmp/Maildir" | sort -u | wc -l)" "$queued $queued" \
    "each delivered once, with its own Message-ID"

# ================= readers never waited on a writer =================
cat "$tmp"/reads.* >"$tmp/reads"
max=$(sort -n "$tmp/reads" | tail -1 | cut -d' ' -f1)
echo "# reads: $(wc -l <"$tmp/reads"), slowest $max ms ($(sort -n "$tmp/reads" | tail -1 | cut -d' ' -f3-))"
like "$max" '^[0-9]{1,4}$' "no read took 10 s or more (slowest: $max ms)"
done_testing
