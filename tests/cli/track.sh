#!/bin/sh
# track.sh - ally track referral|conversion|refund: one event from flags;
# duplicates, rejections, windows, amounts, refunds, attribution, JSON.
#
# Now is 2026-10-15T12:00:00Z (lib.sh sets ALLY_NOW).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')

no_esc() {
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

json_get() {
	printf '%s\n' "$1" | python3 -c 'import json,sys
l = sys.stdin.read().splitlines()[int(sys.argv[1]) - 1]
v = json.loads(l)[sys.argv[2]]
print(json.dumps(v) if not isinstance(v, str) else v)' "$2" "$3" 2>/dev/null
}

json_has() {  # json_has TEXT KEYS WHAT: every line has every key
	if printf '%s\n' "$1" | python3 -c 'import json,sys
keys = sys.argv[1].split()
n = 0
for l in sys.stdin:
    o = json.loads(l); n += 1
    miss = [k for k in keys if k not in o]
    assert not miss, "missing %s in %s" % (miss, l)
assert n > 0, "no lines"' "$2" 2>"$tmp/py"; then
		ok "$3"
	else
		not_ok "$3" "$(tail -1 "$tmp/py")"
	fi
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --window 30 --events signup,purchase --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally code new --program Spring --customer cara@example.com --vanity CARA >/dev/null
ally code new --program Spring --customer dora@example.com --vanity DORA >/dev/null

# ---- referrals ----

run ally track referral --code ACME --email " Dan@Example.COM " --name Dan --at 2026-10-01T10:00:00Z
is_rc 0 "referral"
is "$out" "recorded referral RF1" "referral recorded"
is "$err" "" "referral writes nothing on stderr"
run ally referral show RF1 --json
is "$(json_get "$out" 1 email)" "dan@example.com" "contact e-mail trimmed and lower-cased"
is "$(json_get "$out" 1 code)" "ACME" "the referral keeps its code"
is "$(json_get "$out" 1 status)" "pending" "a new referral is pending"
is "$(json_get "$out" 1 at)" "2026-10-01T10:00:00Z" "--at is kept"

snapshot
run ally track referral --code acme --email dan@example.com --name Dan --at 2026-10-01T10:00:00Z
is_rc 0 "the same referral again"
is "$out" "already recorded: nothing changed (referral RF1)" "the same referral again is a duplicate"
unchanged "the same referral again"

run ally track referral --code ACME --email erin@example.com --at 2026-10-02
is "$out" "recorded referral RF2" "referral with a date for --at"
run ally referral show RF2 --json
is "$(json_get "$out" 1 at)" "2026-10-02T00:00:00Z" "a date is midnight in the organisation's zone"

run ally track referral --code ACME --email fay@example.com
is "$out" "recorded referral RF3" "referral at now"
run ally referral show RF3 --json
is "$(json_get "$out" 1 at)" "2026-10-15T12:00:00Z" "--at defaults to ALLY_NOW"

# Self-referral: recorded, as rejected, with the reason.
run ally track referral --code CARA --email Cara@Example.com --at 2026-10-05
is_rc 0 "self-referral"
is "$out" "recorded referral RF4 as rejected: self-referral" "self-referral recorded as rejected"
run ally referral show RF4 --json
is "$(json_get "$out" 1 status)" "rejected" "self-referral status"
is "$(json_get "$out" 1 reason)" "self-referral" "self-referral reason"

# Errors.
bad 66 'ally: track referral: code: NOPE not found' "unknown code" -- \
    ally track referral --code NOPE --email x@example.com
bad 65 'ally: track referral: code: "A!" is not a referral code' "malformed code" -- \
    ally track referral --code 'A!' --email x@example.com
bad 65 'ally: track referral: email: "x" has no @' "bad contact e-mail" -- \
    ally track referral --code ACME --email x
bad 64 'ally: track referral: --email is required (see ally track referral --help)' "missing --email" -- \
    ally track referral --code ACME
bad 64 'ally: track referral: --code is required (see ally track referral --help)' "missing --code" -- \
    ally track referral --email x@example.com
bad 65 'ally: track referral: at: "yesterday" is not a valid date (want YYYY-MM-DD or RFC 3339)' \
    "bad --at" -- ally track referral --code ACME --email x@example.com --at yesterday
bad 65 'ally: track referral: at: 2026-10-15T12:05:01Z is in the future' "--at 5 min 1 s ahead" -- \
    ally track referral --code ACME --email x@example.com --at 2026-10-15T12:05:01Z
bad 65 'ally: track referral: name: control characters are not allowed' "a name holding ESC" -- \
    ally track referral --code ACME --email x@example.com --name "x${ESC}[2J"
run ally track referral --code "AB${ESC}[2J" --email x@example.com
is_rc 65 "a code holding ESC"
no_esc "$err" "a code holding ESC"
err_is 'ally: track referral: code: "AB\e[2J" is not a referral code' "a code holding ESC"

run ally track referral --code ACME --email gus@example.com --at 2026-10-15T12:05:00Z
is_rc 0 "--at exactly 5 minutes ahead is accepted"

# A disabled code: the referral is recorded as rejected.
ally code disable DORA >/dev/null
run ally track referral --code DORA --email hal@example.com
is_rc 0 "referral on a disabled code"
like "$out" '^recorded referral RF[0-9]+ as rejected: code disabled$' "disabled code: rejected"
ally code enable DORA >/dev/null

# A paused program: rejected.
ally program add Paused --rule "flat 1" --activate >/dev/null
ally code new --program Paused --customer ivy@example.com --vanity PAUSED >/dev/null
ally program pause Paused >/dev/null
run ally track referral --code PAUSED --email jo@example.com
like "$out" 'as rejected: program not active$' "paused program: rejected"

# ---- conversions ----

run ally track conversion --code ACME --email dan@example.com --event purchase --amount 120.00 \
    --id ORD-1 --at 2026-10-03T08:00:00Z
is_rc 0 "conversion"
is "$out" "recorded conversion CV1" "qualifying conversion recorded"
run ally conversion show CV1 --json
is "$(json_get "$out" 1 qualifying)" "true" "the conversion qualifies"
is "$(json_get "$out" 1 amount_minor)" "12000" "amount in minor units"
run ally referral show RF1 --json
is "$(json_get "$out" 1 status)" "converted" "the referral is converted"

bad 0 '' "the same conversion again (same --id)" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 120.00 \
    --id ORD-1 --at 2026-10-03T08:00:00Z
is "$out" "already recorded: nothing changed (conversion CV1)" "the same --id: already recorded"
bad 0 '' "the same --id with another amount" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 99 --id ORD-1

run ally track conversion --code ACME --email dan@example.com --event Pageview --amount 0 \
    --id ORD-2 --at 2026-10-04T08:00:00Z
is_rc 0 "non-qualifying event"
is "$out" "recorded conversion CV2; it earns no commission: event pageview does not qualify in Spring" \
    "non-qualifying event recorded, not qualifying"
run ally conversion show CV2 --json
is "$(json_get "$out" 1 qualifying)" "false" "non-qualifying event: qualifying false"

run ally track conversion --referral RF1 --event signup --amount 0 --id SIGNUP-1 --at 2026-10-02
is_rc 0 "conversion by referral id"
is "$out" "recorded conversion CV3" "signup qualifies too"
run ally track conversion --program Spring --email dan@example.com --event purchase --amount 5 \
    --id ORD-3 --at 2026-10-05
is "$out" "recorded conversion CV4" "conversion by e-mail within the program"

# Outside the window: a referral on 2026-08-01 with a 30-day window.
ally track referral --code ACME --email old@example.com --at 2026-08-01 >/dev/null
run ally track conversion --code ACME --email old@example.com --event purchase --amount 10 \
    --id OLD-1 --at 2026-10-01
is_rc 0 "conversion outside the window"
is "$out" "recorded conversion CV5; it earns no commission: outside the 30-day window" \
    "outside the window: recorded, not qualifying"
run ally track conversion --code ACME --email old@example.com --event purchase --amount 10 \
    --id OLD-2 --at 2026-08-30T23:59:59Z
is "$out" "recorded conversion CV6" "the window's last second still qualifies"
run ally track conversion --code ACME --email old@example.com --event purchase --amount 10 \
    --id OLD-3 --at 2026-08-31
like "$out" 'outside the 30-day window$' "the window ends 30 days after the referral"
bad 65 'ally: track conversion: at: the conversion is before any usable referral of old@example.com in Spring' \
    "conversion before its referral" -- \
    ally track conversion --code ACME --email old@example.com --event purchase --amount 10 \
    --id OLD-0 --at 2026-07-01

# On a rejected (self-)referral: recorded, earns nothing.
run ally track conversion --code CARA --email cara@example.com --event purchase --amount 10 \
    --id SELF-1 --at 2026-10-06
is_rc 0 "conversion on a rejected referral"
like "$out" '^recorded conversion CV[0-9]+; it earns no commission: referral was rejected$' \
    "conversion on a rejected referral earns nothing"

# Future times.
bad 65 'ally: track conversion: at: 2026-10-15T12:06:00Z is in the future' "conversion in the future" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 5 \
    --id FUT-1 --at 2026-10-15T12:06:00Z
bad 65 'ally: track conversion: at: 2026-11-05T08:00:00Z is in the future' "conversion next month" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 5 \
    --id FUT-2 --at 2026-11-05T08:00:00Z

# Amounts.
bad 65 'ally: track conversion: amount: "1.234" has more decimals than EUR allows (2)' \
    "amount with 3 decimals" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 1.234 --id A-1
bad 65 'ally: track conversion: amount: "-5" must not be negative' "negative amount" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount -5 --id A-1
bad 65 "ally: track conversion: amount: \"abc\" is not an amount (want digits with '.' for decimals and no thousands separators, e.g. 12.50)" \
    "garbage amount" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount abc --id A-1
bad 65 "ally: track conversion: amount: \"1,000.00\" is not an amount (want digits with '.' for decimals and no thousands separators, e.g. 12.50)" \
    "amount with a thousands separator" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 1,000.00 --id A-1
bad 65 'ally: track conversion: amount: is empty (want an amount like 12.50)' "empty amount" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount "" --id A-1
bad 65 'ally: track conversion: currency: USD, but program Spring is in EUR' "wrong currency" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 5 \
    --id A-1 --currency USD
run ally track conversion --code ACME --email dan@example.com --event purchase --amount 12.5 \
    --id A-2 --currency eur --at 2026-10-06
is_rc 0 "the program's currency in any case"
run ally conversion list --json
is "$(printf '%s\n' "$out" | python3 -c 'import json,sys
print([json.loads(l)["amount_minor"] for l in sys.stdin if json.loads(l)["external_id"]=="A-2"][0])')" \
    "1250" "12.5 EUR is 1250 cents"

# Which referral.
bad 66 'ally: track conversion: email: no referral of nobody@example.com in program Spring with that code' \
    "conversion with no referral for that e-mail" -- \
    ally track conversion --code ACME --email nobody@example.com --event purchase --amount 5 --id N-1
bad 66 'ally: track conversion: email: no referral of nobody@example.com in program Spring' \
    "conversion by program and e-mail with no referral" -- \
    ally track conversion --program Spring --email nobody@example.com --event purchase --amount 5 --id N-1
bad 66 'ally: track conversion: code: NOPE not found' "conversion with an unknown code" -- \
    ally track conversion --code NOPE --email dan@example.com --event purchase --amount 5 --id N-1
bad 64 'ally: track conversion: --id is required (see ally track conversion --help)' "conversion without --id" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 5
bad 64 'ally: track conversion: --email needs --code or --program (see ally track conversion --help)' \
    "conversion with only --email" -- \
    ally track conversion --email dan@example.com --event purchase --amount 5 --id N-1
bad 65 'ally: track conversion: id: control characters are not allowed' "an --id holding ESC" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 5 --id "N${ESC}[2J"

# ---- refunds ----

run ally track refund --program Spring --id ORD-1 --amount 20.00 --at 2026-10-09T12:00:00Z
is_rc 0 "partial refund"
is "$out" "recorded refund RD1" "partial refund recorded"
run ally conversion show CV1 --json
is "$(json_get "$out" 1 refunded)" "20.00" "the conversion shows what was refunded"
bad 0 '' "the same refund again" -- \
    ally track refund --program Spring --id ORD-1 --amount 20.00 --at 2026-10-09T12:00:00Z
is "$out" "already recorded: nothing changed (refund RD1)" "the same refund again: already recorded"
bad 65 'ally: track refund: amount: refund of 100.01 is more than the 100.00 left of conversion ORD-1' \
    "over-refund" -- ally track refund --program Spring --id ORD-1 --amount 100.01
run ally track refund --program Spring --id ORD-1 --amount 100
is_rc 0 "refund of the rest"
is "$out" "recorded refund RD2" "full refund recorded"
run ally conversion show CV1 --json
is "$(json_get "$out" 1 refunded_minor)" "12000" "fully refunded"
bad 65 'ally: track refund: amount: refund of 0.01 is more than the 0.00 left of conversion ORD-1' \
    "refund after a full refund" -- ally track refund --program Spring --id ORD-1 --amount 0.01
bad 66 'ally: track refund: id: no conversion NOPE in that program' "refund of an unknown id" -- \
    ally track refund --program Spring --id NOPE --amount 1
bad 66 'ally: track refund: program "Nope" not found' "refund in an unknown program" -- \
    ally track refund --program Nope --id ORD-1 --amount 1
bad 65 'ally: track refund: amount: a refund must be more than zero' "refund of zero" -- \
    ally track refund --program Spring --id ORD-3 --amount 0
bad 65 'ally: track refund: at: the refund is before the conversion it refunds' "refund before the conversion" -- \
    ally track refund --program Spring --id ORD-3 --amount 1 --at 2026-10-01
bad 65 'ally: track refund: amount: "1.001" has more decimals than EUR allows (2)' "refund with 3 decimals" -- \
    ally track refund --program Spring --id ORD-3 --amount 1.001
bad 65 'ally: track refund: at: 2026-10-16T00:00:00Z is in the future' "refund in the future" -- \
    ally track refund --program Spring --id ORD-3 --amount 1 --at 2026-10-16

# ---- JSON ----

run ally track referral --code ACME --email kit@example.com --json
is_rc 0 "track --json"
like "$out" '^\{"outcome":"recorded","kind":"referral","id":"RF[0-9]+","reason":null\}$' "referral outcome as JSON"
run ally track referral --code CARA --email cara@example.com --json
is "$(json_get "$out" 1 outcome)" "rejected" "rejected outcome as JSON"
is "$(json_get "$out" 1 reason)" "self-referral" "the reason as JSON"
run ally track conversion --code ACME --email kit@example.com --event purchase --amount 1 --id K-1 --json
is "$(json_get "$out" 1 qualifying)" "true" "conversion outcome has qualifying"

run ally referral list --json
is_rc 0 "referral list --json"
json_has "$out" "id program code referrer email name at status reason" "referral JSON fields"
run ally conversion list --json
is_rc 0 "conversion list --json"
json_has "$out" "id external_id program referral event amount amount_minor currency at qualifying" \
    "conversion JSON fields"
is "$(printf '%s\n' "$out" | python3 -c 'import json,sys
o = [json.loads(l) for l in sys.stdin if json.loads(l)["external_id"] == "ORD-1"][0]
print(o["amount"], o["amount_minor"], o["currency"])')" "120.00 12000 EUR" \
    "conversion money: string, minor units and currency"
run ally conversion list --json --limit 2
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "2" "--limit"
is "$(json_get "$out" 1 external_id)" "K-1" "conversion list is newest first"
run ally referral list --csv --status rejected
like "$out" '^id,program,code,referrer,email,name,at,status,reason' "referral CSV header"
unlike "$out" 'pending' "--status rejected shows only rejected referrals"

# ---- first vs last attribution ----

for m in first last; do
	ally program add "P-$m" --rule "flat 10" --attribution $m --activate >/dev/null
	ally code new --program "P-$m" --customer "a-$m@example.com" --vanity "A-$m" >/dev/null
	ally code new --program "P-$m" --customer "b-$m@example.com" --vanity "B-$m" >/dev/null
	ally track referral --code "A-$m" --email kim@example.com --at 2026-10-01 >/dev/null
	run ally track referral --code "B-$m" --email kim@example.com --at 2026-10-05
	[ $m = first ] && like "$out" 'as rejected: duplicate contact$' \
	    "first: a second referrer's referral is a duplicate contact"
	[ $m = last ] && like "$out" '^recorded referral RF[0-9]+$' \
	    "last: a second referrer's referral is recorded"
	run ally track conversion --program "P-$m" --email kim@example.com --event purchase \
	    --amount 100 --id "K-$m" --at 2026-10-10
	is_rc 0 "$m: conversion"
	run ally conversion list --program "P-$m" --json
	cid=$(json_get "$out" 1 referral)
	run ally referral show "$cid" --json
	want=A-$(echo $m | tr a-z A-Z)
	[ $m = last ] && want=B-LAST
	is "$(json_get "$out" 1 code)" "$want" "$m attribution: the conversion goes to $want"
done

# The per-referrer limit counts the referrer's referrals in the period.
ally program add Limited --rule "flat 1.00" --max-referrals 2/month --activate >/dev/null
ally code new --program Limited --customer lim@x.example --vanity LIMIT1 >/dev/null
for i in 1 2; do
	ally track referral --code LIMIT1 --email lim$i@y.example --at 2026-10-0${i}T10:00:00Z >/dev/null
done
run ally track referral --code LIMIT1 --email lim3@y.example --at 2026-10-03T10:00:00Z
is "$out" "recorded referral $(echo "$out" | sed -n 's/^recorded referral \(RF[0-9]*\).*/\1/p') as rejected: referral limit reached" \
    "the third referral in a month is rejected by the limit"
run ally track referral --code LIMIT1 --email lim4@y.example --at 2026-09-30T10:00:00Z
like "$out" '^recorded referral RF[0-9]+$' "a referral in the month before is within its own limit"

done_testing
