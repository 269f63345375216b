#!/bin/sh
# payout.sh - payouts (preview, checksum, run, CSV, selection, minimum,
# negative balances, mark-paid), refunds of paid lines, statements with
# their SHA-256, and closed months.
#
# Time moves: lines are earned and approved on 2026-09-20, paid on
# 2026-10-05 (ALLY_NOW is set per phase).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

# jf KEY: a field of the JSON object on stdin ("-" for null).
jf() {
	sed -nE "s/.*\"$1\":(\"[^\"]*\"|[^,}]*).*/\1/p" | sed 's/^"//; s/"$//; s/^null$/-/'
}

# line ID: "status kind amount amount_minor currency partner program
# conversion" of a commission line, from `commission list --json`.
line() {
	ally commission list --json | grep -F "{\"id\":\"$1\"," >"$tmp/line"
	for k in status kind amount amount_minor currency partner program conversion; do
		jf $k <"$tmp/line"
	done | tr '\n' ' ' | sed 's/ $//'
}

# field ID FIELD: one field of a line in `commission list --json`.
field() {
	ally commission list --json | grep -F "{\"id\":\"$1\"," | jf "$2"
}

# cid CONVERSION [KIND]: the id of a conversion's commission line (or of
# its adjustments, oldest first, for KIND adjustment).
cid() {
	ally commission list --json | grep -F "\"kind\":\"${2:-commission}\"" |
	    grep -F "\"conversion\":\"$1\"," | jf id | sort -k1.2n | tr '\n' ' ' | sed 's/ $//'
}

# total PROGRAM: the sum of the lines that count (not rejected or
# reversed) of a program, in minor units.
total() {
	ally commission list --program "$1" --json | grep -Ev '"status":"(rejected|reversed)"' |
	    jf amount_minor | awk '{ s += $1 } END { print s + 0 }'
}

# buy CODE AMOUNT ID AT: a purchase by the contact CODE referred.
buy() {
	ally track conversion --code "$1" --email "buyer-$1@example.com" --event purchase \
	    --amount "$2" --id "$3" --at "$4" >/dev/null
}

# checksum: the checksum line of the preview in $out.
checksum() {
	printf '%s\n' "$out" | sed -n 's/^checksum: //p'
}

# listed: the line ids of the preview in $out, sorted, on one line.
listed() {
	printf '%s\n' "$out" | sed -n '/^lines:/,/^checksum:/p' | sed 's/^lines://; /^checksum:/d' |
	    tr ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//'
}

sorted() {
	printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}

export ALLY_NOW=2026-09-20T12:00:00Z
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --events purchase --window 365 --hold 0 --activate >/dev/null
ally partner add Acme --email ann@acme.example --payout-email pay@acme.example >/dev/null
ally partner add Beta --email bob@beta.example >/dev/null
ally partner add Dune --email dan@dune.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally code new --program Spring --partner Beta --vanity BETA >/dev/null
ally code new --program Spring --partner Dune --vanity DUNE >/dev/null
ally code new --program Spring --customer cara@example.com --name Cara --vanity CARA >/dev/null
for c in ACME BETA DUNE CARA; do
	ally track referral --code $c --email buyer-$c@example.com --at 2026-08-01 >/dev/null ||
	    { echo "Bail out! referral on $c failed"; exit 1; }
done

buy ACME 100.00 A1 2026-09-01
buy ACME 50.00 A2 2026-09-05
buy ACME 40.00 A3 2026-09-10
buy BETA 300.00 B1 2026-09-02
buy BETA 100.00 B2 2026-09-19
buy DUNE 20.00 D1 2026-09-03
buy CARA 70.00 CA1 2026-09-04
a1=$(cid A1) a2=$(cid A2) a3=$(cid A3) b1=$(cid B1) b2=$(cid B2) d1=$(cid D1) ca1=$(cid CA1)
run ally commission approve $a1 $a2 $b1 $b2 $d1 $ca1
is_rc 0 "approve the September lines"
is "$(printf '%s\n' "$out" | grep -c ' approved$')" 6 "six lines approved"

# ---- preview and run ----

export ALLY_NOW=2026-10-05T12:00:00Z
buy ACME 200.00 A4 2026-10-02
a4=$(cid A4)
ally commission approve $a4 >/dev/null

run ally payout preview --cutoff 2026-09-15 --minimum 5.00
is_rc 0 "payout preview"
is "$(listed)" "$(sorted $a1 $a2 $b1 $ca1)" \
    "preview lists every line id: approved, earned by the cutoff, payees over the minimum"
like "$out" '^Acme +pay@acme\.example +2 +15\.00$' "preview: Acme's total, to the payout e-mail"
like "$out" '^Beta +bob@beta\.example +1 +30\.00$' "preview: Beta's total"
like "$out" '^Cara +cara@example\.com +1 +7\.00$' "preview: a customer payee"
unlike "$out" 'Dune' "preview: Dune (2.00) is under the minimum"
like "$out" '^total +4 +52\.00 EUR$' "preview: the total"
sum=$(checksum)
like "$sum" '^[0-9a-f]{16}$' "preview: a 16-hex-digit checksum"
run ally payout preview --cutoff 2026-09-15 --minimum 5.00
is "$(checksum)" "$sum" "the same preview gives the same checksum"
run ally payout preview --cutoff 2026-09-15
unlike "$(checksum)" "^$sum\$" "a different selection gives a different checksum"
like "$(listed)" "$d1" "without a minimum Dune is in"

bad 65 "ally: payout run: confirm: the preview changed (checksum now $sum): preview again" \
    "run with a wrong checksum" -- \
    ally payout run --cutoff 2026-09-15 --minimum 5.00 --confirm 0123456789abcdef --output "$tmp/bad.csv"
is "$(ls "$tmp"/bad.csv* 2>/dev/null)" "" "a refused run writes no CSV"
bad 65 "ally: payout run: confirm: the preview changed (checksum now $(ally payout preview --cutoff 2026-09-15 | sed -n 's/^checksum: //p')): preview again" \
    "run with another selection than the preview" -- \
    ally payout run --cutoff 2026-09-15 --confirm "$sum" --output "$tmp/bad.csv"
bad 64 'ally: payout run: --confirm is required (see ally payout run --help)' "run without --confirm" -- \
    ally payout run --cutoff 2026-09-15 --minimum 5.00

run ally payout run --cutoff 2026-09-15 --minimum 5.00 --confirm "$sum" --output "$tmp/pb1.csv"
is_rc 0 "payout run"
pb1=$(printf '%s\n' "$out" | sed -n 's/^\(PB[0-9]*\) written.*/\1/p')
is "$out" "$pb1 written; accounts-payable CSV: $tmp/pb1.csv" "run prints the batch and the CSV"
for c in $a1 $a2 $b1 $ca1; do
	is "$(field "$c" status) $(field "$c" payout)" "paid $pb1" "$c is paid in $pb1"
done
is "$(line "$b1")" "paid commission 30.00 3000 EUR Beta Spring B1" "the paid line keeps its amount"
for c in $d1 $b2 $a3 $a4; do
	is "$(field "$c" payout)" "-" "$c is not in the batch"
done
is "$(tr -d '\r' <"$tmp/pb1.csv")" "partner,payee_email,currency,amount,batch,lines
Acme,pay@acme.example,EUR,15.00,$pb1,2
Beta,bob@beta.example,EUR,30.00,$pb1,1
Cara,cara@example.com,EUR,7.00,$pb1,1" "the accounts-payable CSV"
like "$(head -1 "$tmp/pb1.csv" | tail -c 2 | od -An -tx1)" '0d 0a' "the CSV has CRLF line ends"

# Running again pays nothing twice.
run ally payout preview --cutoff 2026-09-15 --minimum 5.00
is "$(listed)" "" "after the run the same preview lists nothing"
bad 65 'ally: payout run: nothing to pay: no approved lines match' "running again" -- \
    ally payout run --cutoff 2026-09-15 --minimum 5.00 --confirm "$(checksum)" --output "$tmp/again.csv"

# Only the chosen partner.
run ally payout preview --cutoff 2026-09-30 --partner Beta
is "$(listed)" "$b2" "--partner: only Beta's unpaid line"
unlike "$out" 'Acme|Dune|Cara' "--partner: no other payee"
run ally payout run --cutoff 2026-09-30 --partner Beta --confirm "$(checksum)" --output "$tmp/pb2.csv"
is_rc 0 "payout run --partner Beta"
pb2=$(printf '%s\n' "$out" | sed -n 's/^\(PB[0-9]*\) written.*/\1/p')
is "$(field "$b2" status) $(field "$b2" payout)" "paid $pb2" "Beta's line paid in the second batch"
is "$(field "$d1" status)" "approved" "Dune was not selected: still approved"
is "$(tr -d '\r' <"$tmp/pb2.csv" | sed 1d)" "Beta,bob@beta.example,EUR,10.00,$pb2,1" "second CSV: Beta only"
is "$(ally commission list --json | python3 -c 'import json,sys
print(",".join(sorted(o["payout"] for o in map(json.loads, sys.stdin) if o["payout"])))')" \
    "$(sorted $pb1 $pb1 $pb1 $pb1 $pb2 | tr ' ' ',')" "no line is in two batches"

# ---- refund of a paid line: negative adjustment, carried over, netted ----

run ally track refund --program Spring --id B1 --amount 300
is_rc 0 "refund of a paid line"
is "$(line "$b1")" "paid commission 30.00 3000 EUR Beta Spring B1" "a paid line is never edited"
adj=$(cid B1 adjustment)
is "$(line "$adj")" "approved adjustment -30.00 -3000 EUR Beta Spring B1" \
    "a negative adjustment line, created approved (a clawback)"
is "$(field "$adj" original)" "$b1" "the adjustment points at the paid line"
run ally commission explain "$adj"
like "$out" "adjustment of $b1 \\(paid\\): the conversion now earns 0\\.00; its lines so far total 30\\.00; difference -30\\.00" \
    "explain the negative adjustment"
run ally commission approve "$adj"
is "$out" "$adj already approved" "a clawback needs no approval"
run ally payout preview --cutoff 2026-10-05 --partner Beta --partner Dune
is "$(listed)" "$d1" "a payee with a negative balance is left out"
unlike "$out" 'Beta' "Beta (-30.00) is not paid"
run ally payout run --cutoff 2026-10-05 --partner Beta --partner Dune --confirm "$(checksum)" \
    --output "$tmp/pb3.csv"
is_rc 0 "payout run without the negative payee"
is "$(field "$adj" status)" "approved" "the negative balance carries over"
is "$(field "$d1" status)" "paid" "Dune paid"
buy BETA 500.00 B3 2026-10-04
b3=$(cid B3)
ally commission approve "$b3" >/dev/null
run ally payout preview --cutoff 2026-10-05 --partner Beta
is "$(listed)" "$(sorted $adj $b3)" "the next payout takes the adjustment and the new line"
like "$out" '^Beta +bob@beta\.example +2 +20\.00$' "the next payout nets the negative adjustment"
run ally payout run --cutoff 2026-10-05 --partner Beta --confirm "$(checksum)" --output "$tmp/pb4.csv"
is_rc 0 "payout run netting the adjustment"
is "$(tr -d '\r' <"$tmp/pb4.csv" | sed 1d | cut -d, -f1-4)" "Beta,bob@beta.example,EUR,20.00" "the CSV pays the net 20.00"
is "$(field "$adj" status)" "paid" "the adjustment is paid"

# ---- payout list, mark-paid ----

run ally payout list --json
is_rc 0 "payout list"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 4 "four batches"
run ally payout mark-paid "$pb1"
is_rc 0 "mark-paid"
is "$out" "$pb1 marked paid" "mark-paid prints the batch"
run ally payout list --json
is "$(printf '%s\n' "$out" | python3 -c 'import json,sys
for o in map(json.loads, sys.stdin):
    if o["id"] == sys.argv[1]: print(o["status"])' "$pb1")" "paid" "the batch is marked paid"
bad 66 'ally: payout mark-paid: payout "PB99" not found' "mark-paid an unknown batch" -- \
    ally payout mark-paid PB99

# ---- statements ----

# footer_ok FILE N: the SHA-256 in the last line of FILE is the sha256sum
# of everything above the last N lines.
footer_ok() {
	want=$(head -n "-$2" "$1" | sha256sum | cut -d' ' -f1)
	got=$(tail -1 "$1" | tr -d '\r' | sed 's/.*[ ,]//')
	is "$got" "$want" "$3: the SHA-256 footer matches sha256sum"
}

ally statement Acme --month 2026-09 >"$tmp/sep.txt"
run cat "$tmp/sep.txt"
like "$out" '^Statement 2026-09, Acme \(P1\), EUR' "statement header"
like "$out" "^$a1 +2026-09-01 +commission +paid +A1 +10\\.00\$" "statement: A1"
like "$out" "^$a2 +2026-09-05 +commission +paid +A2 +5\\.00\$" "statement: A2"
like "$out" "^$a3 +2026-09-10 +commission +pending +A3 +4\\.00\$" "statement: A3"
unlike "$out" "^$a4 " "September leaves out the October line"
like "$out" 'opening balance \(approved, unpaid\) +0\.00$' "September opening balance"
like "$out" 'earned in the month +19\.00$' "September earned"
like "$out" 'approved in the month +15\.00$' "September approved"
like "$out" 'paid in the month +0\.00$' "September paid"
like "$out" 'closing balance +15\.00$' "September closing balance"
like "$(tail -1 "$tmp/sep.txt")" '^SHA-256 of the lines above: [0-9a-f]{64}$' "the SHA-256 footer"
footer_ok "$tmp/sep.txt" 2 "September"
ally statement Acme --month 2026-10 >"$tmp/oct.txt"
run cat "$tmp/oct.txt"
like "$out" "^$a4 +2026-10-02 +commission +approved +A4 +20\\.00\$" "October: A4"
like "$out" 'opening balance \(approved, unpaid\) +15\.00$' "October opens with September's closing balance"
like "$out" 'approved in the month +20\.00$' "October approved"
like "$out" 'paid in the month +15\.00$' "October paid"
like "$out" 'closing balance +20\.00$' "October closing balance"
footer_ok "$tmp/oct.txt" 2 "October"
unlike "$(tail -1 "$tmp/oct.txt")" "$(tail -1 "$tmp/sep.txt" | sed 's/.*: //')" "another month has another SHA-256"
ally statement Acme --month 2026-09 --csv >"$tmp/sep.csv"
is "$(tr -d '\r' <"$tmp/sep.csv" | sed '$d')" "line,date,kind,status,conversion,amount,currency
$a1,2026-09-01,commission,paid,A1,10.00,EUR
$a2,2026-09-05,commission,paid,A2,5.00,EUR
$a3,2026-09-10,commission,pending,A3,4.00,EUR
opening_balance,,,,,0.00,EUR
earned,,,,,19.00,EUR
approved,,,,,15.00,EUR
paid,,,,,0.00,EUR
closing_balance,,,,,15.00,EUR" "the statement as CSV"
like "$(tail -1 "$tmp/sep.csv")" '^sha256,[0-9a-f]{64}'"$(printf '\r')"'$' "the CSV SHA-256 row"
footer_ok "$tmp/sep.csv" 1 "September CSV"
bad 66 'ally: statement: partner "Nobody" not found' "statement of an unknown partner" -- \
    ally statement Nobody --month 2026-09
bad 64 'ally: statement: --month is required (see ally statement --help)' "statement without --month" -- \
    ally statement Acme

# ---- closed months ----

bad 65 'ally: period close: month: 2026-10 has not ended yet' "closing the current month" -- \
    ally period close 2026-10
bad 65 'ally: period close: month: 2026-11 has not ended yet' "closing a future month" -- \
    ally period close 2026-11
run ally period close 2026-09
is_rc 0 "period close"
is "$out" "2026-09 closed: later changes land as adjustments in the next open month" "period close prints"
bad 65 'ally: period close: month: 2026-09 is already closed' "closing twice" -- \
    ally period close 2026-09
run ally track refund --program Spring --id A3 --amount 10
is_rc 0 "refund of a conversion in the closed month"
is "$(line "$a3")" "pending commission 4.00 400 EUR Acme Spring A3" "the closed month's line is frozen"
adj3=$(cid A3 adjustment)
is "$(line "$adj3")" "pending adjustment -1.00 -100 EUR Acme Spring A3" "the change lands as an adjustment"
is "$(field "$adj3" earned)" "2026-10-05T12:00:00Z" "the adjustment is dated in the open month"
ally statement Acme --month 2026-09 >"$tmp/sep2.txt"
is "$(cat "$tmp/sep2.txt")" "$(cat "$tmp/sep.txt")" "the closed month's statement is unchanged"
run ally statement Acme --month 2026-10
like "$out" "^$adj3 +2026-10-05 +adjustment +pending +A3 +-1\\.00\$" "October's statement shows the adjustment"
like "$out" 'earned in the month +19\.00$' "October earned: 20.00 - 1.00"

run ally audit verify
is_rc 0 "audit verify after payouts and closing"
run ally audit list --json
like "$out" '"action":"period close 2026-09"' "closing a month is audited"
like "$out" '"action":"payout run: commission change"' "marking lines paid is audited"

# A batch's CSV can be written again (a run killed between its commit and
# the rename leaves only the temporary file).
first=$(ally payout list --csv | awk -F, 'NR == 2 { print $1 }')
orig=$(ally payout list --csv | awk -F, 'NR == 2 { print $9 }')
run ally payout export "$first" --output "$tmp/again.csv"
is_rc 0 "payout export $first"
if cmp -s "$orig" "$tmp/again.csv"; then ok "the exported CSV equals the one the run wrote"
else not_ok "the exported CSV equals the one the run wrote" "$(diff "$orig" "$tmp/again.csv" | head -5)"; fi
bad 66 'ally: payout export: payout "PB999" not found' "export of an unknown batch" -- \
    ally payout export PB999 --output "$tmp/none.csv"

done_testing
