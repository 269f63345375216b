#!/bin/sh
# export.sh - ally export: the header row even for an empty table (the
# same header as a filled one), --output FILE written beside the target
# and renamed with the mode the umask gives, --output - as stdout, and
# JSON numbers without binary-float noise.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

kinds="programs partners tiers codes referrals conversions refunds commissions deals payouts audit"
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
for k in $kinds; do
	run ally export "$k" --csv
	is "$rc|$(printf '%s\n' "$out" | wc -l)" "0|1" "export $k of an empty table: one line"
	echo "$out" >"$tmp/empty-$k"
done
run ally export partners --json
is "$rc|$out" "0|" "an empty JSON export is empty (one object a line)"

ALLY_DB=$tmp/demo ally demo --size 40 >/dev/null 2>&1 || echo "# demo failed"
for k in $kinds; do
	full=$(ALLY_DB=$tmp/demo "$ALLY" export "$k" --csv | head -1)
	is "$full" "$(cat "$tmp/empty-$k")" "export $k: the empty table's header is the filled one's"
done

# ---- --output ----
cd "$tmp" || exit 1
(umask 027 && "$ALLY" --db "$tmp/demo" export partners --output "$tmp/p.csv")
is "$?" 0 "export --output FILE"
is "$(stat -c %a "$tmp/p.csv")" 640 "the file's mode comes from the umask (027: 0640)"
is "$(ls "$tmp" | grep -c '^p.csv.')" 0 "no temporary file is left beside it"
is "$(cat "$tmp/p.csv")" "$(ALLY_DB=$tmp/demo "$ALLY" export partners)" "the file holds the export"
(umask 077 && "$ALLY" --db "$tmp/demo" export tiers --output "$tmp/t.csv")
is "$(stat -c %a "$tmp/t.csv")" 600 "umask 077: 0600"
run ally --db "$tmp/demo" export partners --output -
is "$out" "$(ALLY_DB=$tmp/demo "$ALLY" export partners)" "--output - is stdout"
is "$(ls "$tmp" | grep -c '^-')" 0 "--output - writes no file named -"
printf 'keep\n' >"$tmp/keep.csv"
chmod 444 "$tmp/keep.csv"
mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
	run ally export partners --output "$tmp/ro/x.csv"
	is_rc 73 "--output into a directory that cannot be written"
	like "$err" "^ally: export: $tmp/ro/x.csv: Permission denied" "the failure names the file"
else
	ok "# skip the unwritable directory: running as root"
	ok "# skip the unwritable directory: running as root"
fi

# ---- JSON numbers ----
# 1 of 3 and 2 of 10: the shortest text that reads back as the same double
ally program add Spring --rule "percent 10" --activate >/dev/null
ally partner add Acme --email a@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
for i in 1 2 3; do ally track referral --code ACME --email "c$i@example.com" --at 2026-10-01 >/dev/null; done
ally track conversion --code ACME --email c1@example.com --event purchase --amount 10 --id O1 --at 2026-10-02 >/dev/null
run ally report --json --from 2026-10-01
like "$out" '"conversion_rate":0\.3333333333333333[,}]' "1 of 3: 16 digits, the shortest that round-trip"
unlike "$out" '[0-9]\.[0-9]*0000000[0-9]' "no binary-float noise"
run ally --db "$tmp/demo" report --json
rate=$(printf '%s\n' "$out" | python3 -c 'import json,sys
o = json.loads(sys.stdin.read())
r = o["conversion_rate"]
exp = o["conversions"] / o["total_referrals"] if o["total_referrals"] else 0
print("same" if r == exp else "%r != %r" % (r, exp))')
is "$rate" same "the demo's conversion_rate reads back as the exact ratio"
like "$out" '"conversion_rate":0\.175[,}]' "7 of 40 prints as 0.175"

done_testing
