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
run ally --db "$tmp/demo" report --json
rate=$(printf '%s\n' "$out" | python3 -c 'import json,sys,re
s = sys.stdin.read()
m = re.search(r"\"conversion_rate\":([0-9.eE+-]+)", s)
print(m.group(1))')
like "$rate" '^[01](\.[0-9]{1,6})?$' "conversion_rate has at most 6 decimals ($rate)"
ally --db "$tmp/demo" report --json | python3 -c 'import json,sys
o = json.loads(sys.stdin.read())
r = o["conversion_rate"]
exp = o["conversions"] / o["total_referrals"] if o["total_referrals"] else 0
sys.exit(0 if abs(r - exp) < 5e-7 else 1)'
is "$?" 0 "conversion_rate is the ratio, rounded to 6 places"

done_testing
