#!/bin/sh
# currency.sh - two currencies in one organisation (EUR, with a JPY
# program) through tracking, ingest, the approval queue (CLI and TUI),
# statements, the report and payouts.  Amounts in different currencies
# are never added; no exchange rate is ever invented.
#
# The numbers, worked by hand from DESIGN.md section 3 (percent 10,
# rounded once, half away from zero, to the minor unit):
#   Acme  E1 100.00 EUR -> 10.00 EUR (1000 minor)
#   Acme  Y1 12345 JPY  -> 1234.5  -> 1235 JPY (JPY has no minor digits)
#   Kenji Y2 5000 JPY   -> 500 JPY
#   JPY approved: 1235 + 500 = 1735; JPY converted: 12345 + 5000 = 17345
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/ui/lib.sh"

# jget PATH: a value from the JSON object in $out (python3 reads it, so
# the test does not depend on ally's field order).
jget() {
	printf '%s\n' "$out" | python3 -c 'import json,sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k, "-") if isinstance(v, dict) else "-"
print(v if not isinstance(v, (dict, list)) else json.dumps(v, sort_keys=True))' "$1"
}

export ALLY_NOW=2026-10-20T12:00:00Z
ally init --currency EUR >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Euro --rule "percent 10" --events purchase --window 365 --hold 0 --activate >/dev/null
ally program add Yen --rule "percent 10" --currency JPY --events purchase --window 365 --hold 0 \
    --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally partner add Kenji --email ken@kenji.example >/dev/null
ally code new --program Euro --partner Acme --vanity ACME-EUR >/dev/null
ally code new --program Yen --partner Acme --vanity ACME-JPY >/dev/null
ally code new --program Yen --partner Kenji --vanity KENJI >/dev/null
for c in ACME-EUR ACME-JPY KENJI; do
	ally track referral --code $c --email "buyer-$c@example.com" --at 2026-10-01 >/dev/null ||
	    { echo "Bail out! referral $c"; exit 1; }
done

# ---- a conversion in another currency than its program is refused ----

bad 65 'ally: track conversion: currency: JPY, but program Euro is in EUR' \
    "track: a JPY conversion in the EUR program" -- \
    ally track conversion --code ACME-EUR --email buyer-ACME-EUR@example.com --event purchase \
    --amount 5000 --currency JPY --id BAD1 --at 2026-10-02
bad 65 'ally: track conversion: currency: EUR, but program Yen is in JPY' \
    "track: an EUR conversion in the JPY program" -- \
    ally track conversion --code KENJI --email buyer-KENJI@example.com --event purchase \
    --amount 50.00 --currency EUR --id BAD2 --at 2026-10-02

run ally track conversion --code ACME-EUR --email buyer-ACME-EUR@example.com --event purchase \
    --amount 100.00 --id E1 --at 2026-10-02
is_rc 0 "E1: 100.00 in the EUR program"
run ally track conversion --code ACME-JPY --email buyer-ACME-JPY@example.com --event purchase \
    --amount 12345 --currency JPY --id Y1 --at 2026-10-03
is_rc 0 "Y1: 12345 JPY with --currency JPY"

# ingest: the mismatched line is invalid, the others are written
cat >"$tmp/in.jsonl" <<'JSONL'
{"type":"conversion","code":"KENJI","email":"buyer-KENJI@example.com","event":"purchase","amount":"5000","currency":"JPY","id":"Y2","at":"2026-10-04T08:00:00Z"}
{"type":"conversion","code":"KENJI","email":"buyer-KENJI@example.com","event":"purchase","amount":"50.00","currency":"EUR","id":"BAD3","at":"2026-10-04T09:00:00Z"}
JSONL
run ally ingest "$tmp/in.jsonl"
is_rc 65 "ingest with one cross-currency line"
like "$err" "^ally: $tmp/in.jsonl:2: currency: EUR, but program Yen is in JPY" \
    "ingest names the line and both currencies"
run ally export conversions --csv
unlike "$out" 'BAD[0-9]' "no refused conversion was recorded"
like "$out" 'Y2' "the valid ingest line was recorded"

# ---- the approval queue ----

run ally commission list --json
is "$(printf '%s\n' "$out" | grep -c '"currency":"JPY"')" 2 "two JPY lines in the queue"
is "$(printf '%s\n' "$out" | grep -F '"conversion":"Y1"' | sed -n 's/.*"amount":"\([^"]*\)".*/\1/p')" \
    1235 "Y1 earns 1235 JPY (1234.5 rounded half away from zero)"
c_e1=$(printf '%s\n' "$out" | grep -F '"conversion":"E1"' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
c_y1=$(printf '%s\n' "$out" | grep -F '"conversion":"Y1"' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
c_y2=$(printf '%s\n' "$out" | grep -F '"conversion":"Y2"' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')

# the TUI queue: totals per currency on a line of their own; the table's
# total row, which could only add them, says "-"
screen <<'KEYS'
key 6
dump
key q
key q
KEYS
screen_has 1 'Totals by currency:  10\.00 EUR \(1 line\)  1,735 JPY \(2 lines\)' \
    "the Commissions screen totals each currency apart"
screen_has 1 '^Total +-$' "the table's total row never adds EUR and JPY"

run ally commission approve $c_e1 $c_y1 $c_y2
is_rc 0 "approve the three lines"

# ---- statements: a section per currency ----

run ally statement Acme --month 2026-10
is_rc 0 "Acme's October statement"
body=$(printf '%s\n' "$out" | sed '/^SHA-256/d')
is "$body" "Statement 2026-10, Acme (P1), EUR
LINE     DATE       KIND       STATUS    CONVERSION                   AMOUNT
$(printf 'C%-7s' "${c_e1#C}") 2026-10-02 commission approved  E1                            10.00

opening balance (approved, unpaid) 0.00
earned in the month                10.00
approved in the month              10.00
paid in the month                  0.00
closing balance                    10.00

Statement 2026-10, Acme (P1), JPY
LINE     DATE       KIND       STATUS    CONVERSION                   AMOUNT
$(printf 'C%-7s' "${c_y1#C}") 2026-10-03 commission approved  Y1                            1,235

opening balance (approved, unpaid) 0
earned in the month                1,235
approved in the month              1,235
paid in the month                  0
closing balance                    1,235" "the statement: an EUR section and a JPY section, each with its own balances"
sha=$(printf '%s\n' "$out" | sed -n 's/^SHA-256 of the lines above: //p')
is "$sha" "$(printf '%s\n' "$out" | sed '/^SHA-256/d' | sed '$d' | sha256sum | cut -d' ' -f1)" \
    "the SHA-256 at the foot covers both sections"
run ally statement Acme --month 2026-10 --csv
is "$(printf '%s\n' "$out" | tr -d '\r' | grep -v '^sha256,')" "line,date,kind,status,conversion,amount,currency
$c_e1,2026-10-02,commission,approved,E1,10.00,EUR
opening_balance,,,,,0.00,EUR
earned,,,,,10.00,EUR
approved,,,,,10.00,EUR
paid,,,,,0.00,EUR
closing_balance,,,,,10.00,EUR
$c_y1,2026-10-03,commission,approved,Y1,1235,JPY
opening_balance,,,,,0,JPY
earned,,,,,1235,JPY
approved,,,,,1235,JPY
paid,,,,,0,JPY
closing_balance,,,,,1235,JPY" "the CSV statement: each row names its currency"
run ally statement Kenji --month 2026-10
like "$out" '^Statement 2026-10, Kenji \(P2\), JPY' "a JPY-only partner's statement is in JPY"
unlike "$out" 'EUR' "and has no EUR section"

# ---- the report ----

run ally report --json
is_rc 0 "report --json"
is "$(jget currency)" EUR "the report is in the organisation's currency"
is "$(jget commission_accrued.approved.amount_minor)" 1000 "approved in EUR: 10.00, no JPY added in"
is "$(jget commission_accrued.approved.by_currency)" \
    '{"EUR": {"amount": "10.00", "amount_minor": 1000, "lines": 1}, "JPY": {"amount": "1735", "amount_minor": 1735, "lines": 2}}' \
    "approved per currency: 10.00 EUR and 1735 JPY"
is "$(jget converted_value_minor)" 10000 "converted value in EUR: 100.00"
is "$(jget converted_value_by_currency.JPY.amount_minor)" 17345 "converted value in JPY: 17345"
is "$(jget currencies)" '["EUR", "JPY"]' "the currencies present"
is "$(jget top_referrers.0.value_by_currency)" \
    '{"EUR": {"amount": "100.00", "amount_minor": 10000}, "JPY": {"amount": "12345", "amount_minor": 12345}}' \
    "Acme's value: 100.00 EUR and 12345 JPY"
is "$(jget partner_contribution.referral_value_by_currency.JPY.amount_minor)" 17345 \
    "partner contribution in JPY"
run ally report --json --currency JPY
is "$(jget currency) $(jget commission_accrued.approved.amount) $(jget converted_value) $(jget total_referrals)" \
    "JPY 1735 17345 2" "--currency JPY narrows to the JPY program"
run ally report --csv
like "$out" "$(printf 'commission_accrued,approved,2,1735,JPY\r')" "CSV: the JPY approved row"
like "$out" "$(printf 'commission_accrued,approved,1,10.00,EUR\r')" "CSV: the EUR approved row"
bad 65 'ally: report: currency: "XYZ" is not an ISO 4217 currency code' "report --currency XYZ" -- \
    ally report --currency XYZ

# ---- payouts: one currency a batch ----

run ally payout preview --cutoff 2026-10-19
is_rc 0 "preview in the organisation's currency"
like "$out" '^total +1 +10\.00 EUR$' "the EUR batch pays Acme's 10.00 alone"
unlike "$out" 'Kenji' "no JPY payee in an EUR batch"
eur_sum=$(printf '%s\n' "$out" | sed -n 's/^checksum: //p')
run ally payout preview --cutoff 2026-10-19 --currency JPY
like "$out" '^Acme +ann@acme\.example +1 +1,235$' "JPY batch: Acme 1,235"
like "$out" '^Kenji +ken@kenji\.example +1 +500$' "JPY batch: Kenji 500 (a JPY-only partner)"
like "$out" '^total +2 +1,735 JPY$' "JPY batch total"
jpy_sum=$(printf '%s\n' "$out" | sed -n 's/^checksum: //p')
unlike "$jpy_sum" "^$eur_sum\$" "the checksums differ"
# the TUI payout screen: the organisation's currency, u for another
ALLY_NOW=2026-10-19T12:00:00Z screen <<'KEYS'
key 6
key p
dump
key u
type JPY
key Enter
dump
key q
key q
KEYS
screen_has 1 '1 payees, 1 lines, total 10\.00 EUR, checksum '"$eur_sum" "TUI payout: EUR by default"
screen_has 2 '2 payees, 2 lines, total 1,735 JPY, checksum '"$jpy_sum" "TUI payout: u JPY shows the JPY batch"
screen_has 2 'Kenji .* 500' "TUI payout: the JPY-only partner is in the JPY batch"
bad 65 "ally: payout run: confirm: the preview changed (checksum now $eur_sum): preview again" \
    "the JPY checksum does not confirm an EUR run" -- \
    ally payout run --cutoff 2026-10-19 --confirm "$jpy_sum" --output "$tmp/x.csv"
bad 65 'ally: payout preview: currency: "XYZ" is not an ISO 4217 currency code' "preview --currency XYZ" -- \
    ally payout preview --cutoff 2026-10-19 --currency XYZ
bad 65 'ally: payout preview: minimum: "5.5" has more decimals than JPY allows (0)' \
    "the minimum is read in the batch's currency" -- \
    ally payout preview --cutoff 2026-10-19 --currency JPY --minimum 5.5
run ally payout run --cutoff 2026-10-19 --currency JPY --confirm "$jpy_sum" --output "$tmp/jpy.csv"
is_rc 0 "run the JPY batch"
pb=$(printf '%s\n' "$out" | sed -n 's/^\(PB[0-9]*\) written.*/\1/p')
is "$(tr -d '\r' <"$tmp/jpy.csv")" "partner,payee_email,currency,amount,batch,lines
Acme,ann@acme.example,JPY,1235,$pb,1
Kenji,ken@kenji.example,JPY,500,$pb,1" "the JPY batch's CSV says JPY"
run ally payout list --json
like "$out" "\"id\":\"$pb\".*\"currency\":\"JPY\"" "the batch records its currency"
run ally payout preview --cutoff 2026-10-19
is "$(printf '%s\n' "$out" | sed -n 's/^checksum: //p')" "$eur_sum" "the EUR lines still wait for their batch"
run ally statement Acme --month 2026-10
like "$out" 'paid in the month                  1,235' "the JPY section shows the JPY payment"
like "$out" 'paid in the month                  0\.00' "the EUR section paid nothing"
run ally check
is "$out" "ok: no problems found" "check: two currencies, no problems"

done_testing
