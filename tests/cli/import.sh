#!/bin/sh
# import.sh - ally import as spreadsheets and other tools write CSV: a BOM,
# CRLF, unknown and missing columns, --map, --strict, the --from presets
# (samples written from the column lists those tools document), every
# kind of error with its line and record (and nothing imported), and
# ally import conversions with ingest's idempotency and exit codes.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

json_get() {  # json_get TEXT LINE KEY
	printf '%s\n' "$1" | python3 -c 'import json,sys
l = sys.stdin.read().splitlines()[int(sys.argv[1]) - 1]
v = json.loads(l)[sys.argv[2]]
print(json.dumps(v) if not isinstance(v, str) else v)' "$2" "$3" 2>/dev/null
}
count() { printf '%s\n' "$1" | grep -c .; }

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Gold --rule "percent 10" >/dev/null
cd "$tmp" || exit 1

# ---- what Excel writes: a BOM and CRLF ----
printf '\357\273\277name,email,payout_email\r\nBom Corp,bom@example.com,pay@bom.example\r\n' >bom.csv
run ally import partners bom.csv
is_rc 0 "a file with a UTF-8 BOM"
run ally partner show "Bom Corp" --json
is "$(json_get "$out" 1 email)" "bom@example.com" "the BOM is not part of the first column"
printf 'Name,E-Mail,Notes\r\n"Crlf, Ltd",crlf@example.com,"two\r\nlines"\r\n' >crlf.csv
run ally import partners crlf.csv
is_rc 0 "a CRLF file with folded header names (E-Mail is email)"
run ally partner show "Crlf, Ltd" --json
is "$(json_get "$out" 1 notes)" "two
lines" "a CRLF inside a quoted field is kept as a line break"

# ---- unknown columns: one warning line, --strict refuses ----
printf 'name,email,payout_emial,Fax\nTypo Inc,typo@example.com,x@example.com,123\n' >unknown.csv
snapshot
bad 65 'ally: import: unknown.csv: unknown columns payout_emial, Fax (--strict; --map renames a column)' \
    "--strict with unknown columns" -- ally import partners unknown.csv --strict
run ally import partners unknown.csv
is_rc 0 "unknown columns are not an error"
is "$(printf '%s\n' "$err" | grep -c 'unknown')" 1 "one warning line"
like "$err" '^ally: import: unknown.csv: ignoring unknown columns payout_emial, Fax \(--map renames, --strict refuses\)' \
    "the warning lists the unknown columns"
run ally import partners unknown.csv --map 'payout_emial=payout_email,Fax=-' --strict
is_rc 65 "the same file again: the name is taken"
like "$err" 'record 1: name: "Typo Inc" is already taken' "--map fixed the header, the row is checked"

# ---- --map ----
printf 'Partner,Owner,Level\nMapped GmbH,owner@mapped.example,Gold\n' >map.csv
run ally import partners map.csv --map 'Partner=name,Owner=email,Level=tier'
is_rc 0 "--map renames columns"
run ally partner show "Mapped GmbH" --json
is "$(json_get "$out" 1 email)|$(json_get "$out" 1 tier)" "owner@mapped.example|Gold" "mapped columns are read"
bad 64 'ally: import: --map: "mail" is not a column of partners (see ally import --help)' \
    "--map to an unknown column" -- ally import partners map.csv --map 'Owner=mail'
bad 64 'ally: import: --map: "Owner" is not Source=column (see ally import --help)' \
    "--map without =" -- ally import partners map.csv --map 'Owner'
bad 64 'ally: import: --from: "hubspot" must be affiliatewp, rewardful, tapfiliate or partnerstack (see ally import --help)' \
    "--from an unknown tool" -- ally import partners map.csv --from hubspot

# ---- errors: line and record, nothing imported ----
printf 'name\nNo Mail\n' >nomail.csv
bad 65 'ally: import: nomail.csv: no email column in the header (--map Header=email names one)' \
    "the one missing column is named" -- ally import partners nomail.csv
printf 'name,email\nOk One,ok1@example.com\n"Open,x@example.com\nOk Two,ok2@example.com\n' >open.csv
bad 65 'ally: import: open.csv:3: record 2: a quoted field is not closed (its quote opens on line 3)' \
    "an unterminated quote: its line and record" -- ally import partners open.csv
printf 'name,email\nOk One,ok1@example.com\nBad "q",bq@example.com\n' >quote.csv
bad 65 'ally: import: quote.csv:3: record 2: a quote inside a field that does not start with one, or text after a closing quote' \
    "a stray quote: its line and record" -- ally import partners quote.csv
printf 'name,email,notes\nOk One,ok1@example.com,"a\nb\nc"\nP12,p12@example.com,\nCtl\001x,c@example.com,\n' >rows.csv
snapshot
run ally import partners rows.csv
is_rc 65 "bad rows (exit 65)"
like "$err" '^ally: rows.csv:5: record 2: name: ' "an id-like name: its line after a 3-line record"
like "$err" 'ally: rows.csv:6: record 3: name: .*control' "a control character: refused with its line"
like "$err" 'ally: import: 2 invalid rows: nothing was imported' "all or nothing, and it says so"
unchanged "bad rows"
run ally partner show "Ok One"
is_rc 66 "the good row of a bad file is not imported"

# ---- presets ----
printf '%s\n' 'Affiliate ID,Email,First Name,Last Name,Payment Email,Username,Rate,Rate Type,Earnings,Unpaid Earnings,Referrals,Visits,Status,Date Registered' \
    '7,ann@wp.example,Ann,Lee,ann.pay@wp.example,ann,20,percentage,10.00,0.00,3,40,active,2025-01-02 10:00:00' >affwp.csv
run ally import partners affwp.csv --from affiliatewp --strict
is_rc 0 "an AffiliateWP affiliates export (--strict: every column is known)"
run ally partner show "Ann Lee" --json
is "$(json_get "$out" 1 contact)|$(json_get "$out" 1 payout_email)" "Ann Lee|ann.pay@wp.example" \
    "AffiliateWP: first and last name joined, Payment Email"
printf '%s\n' 'id,first_name,last_name,email,paypal_email,token,state,created_at,campaign,visitors,leads,conversions' \
    'a1b2,Bo,Rew,bo@rew.example,bo.pp@rew.example,bo_rew,active,2025-03-04T05:06:07.000Z,Main,1,0,0' >rewardful.csv
run ally import partners rewardful.csv --from rewardful --strict
is_rc 0 "a Rewardful affiliates export"
run ally partner show "Bo Rew" --json
is "$(json_get "$out" 1 payout_email)" "bo.pp@rew.example" "Rewardful: paypal_email is the payout e-mail"
printf '%s\n' 'id,firstname,lastname,email,company,affiliate_group,referral_code,created_at' \
    'tap1,Cy,Tap,cy@tap.example,Tap Partners Ltd,Gold,cytap,2025-05-06 07:08:09' >tapfiliate.csv
run ally import partners tapfiliate.csv --from tapfiliate --strict
is_rc 0 "a Tapfiliate affiliates export"
run ally partner show "Tap Partners Ltd" --json
is "$(json_get "$out" 1 contact)|$(json_get "$out" 1 tier)" "Cy Tap|Gold" \
    "Tapfiliate: the company is the name, first+last the contact, the group the tier"
printf '%s\r\n' 'Partner key,First name,Last name,Email,Company,Group,Payout email,Created at,Status' \
    'dee_stack,Dee,Stack,dee@ps.example,Stack & Co,Gold,dee.pay@ps.example,05/06/2025,active' >ps.csv
run ally import partners ps.csv --from partnerstack --strict
is_rc 0 "a PartnerStack partners export"
run ally partner show "Stack & Co" --json
is "$(json_get "$out" 1 tier)|$(json_get "$out" 1 email)" "Gold|dee@ps.example" "PartnerStack: Group is the tier"

# ---- conversions ----
ally program add Spring --rule "percent 10" --activate >/dev/null
ally code new --program Spring --partner "Bo Rew" --vanity BO-REW >/dev/null
ally track referral --code BO-REW --email cust@example.com --at 2026-10-01 >/dev/null
printf 'code,email,event,amount,currency,id,at\n%s\n%s\n%s\n' \
    'BO-REW,cust@example.com,purchase,120.00,EUR,ORD-1,2026-10-03T08:00:00Z' \
    'BO-REW,cust@example.com,purchase,abc,EUR,ORD-2,2026-10-03' \
    'BO-REW,cust@example.com,purchase,30,EUR,ORD-3,2026-10-04' >conv.csv
run ally import conversions conv.csv
is_rc 65 "conversions with a bad row (exit 65, as ingest)"
like "$err" '^ally: conv.csv:3: record 2: amount' "the bad conversion named by line and record"
like "$err" 'ally: import: 3 lines, 2 recorded, 0 duplicates, 0 rejected, 1 invalid' "the good rows are recorded"
run ally export conversions --json
is "$(count "$out")" 2 "two conversions"
snapshot
run ally import conversions conv.csv
is_rc 65 "the same file again"
like "$err" '3 lines, 0 recorded, 2 duplicates' "the same file twice: duplicates"
unchanged "the same file twice"
printf 'type,program,id,amount,at\nrefund,Spring,ORD-1,20.00,2026-10-09T12:00:00Z\n' >refund.csv
run ally import conversions refund.csv
is_rc 0 "a refund row"
run ally export refunds --json
is "$(count "$out")" 1 "the refund is recorded"
printf 'Customer Email,Token,Charge ID,Amount,Currency,Charged At\ncust@example.com,bo_rew,ch_9,50.00,EUR,2026-10-05T10:00:00.000Z\n' >rconv.csv
run ally import conversions rconv.csv --from rewardful --strict
is_rc 0 "Rewardful conversions: token bo_rew is the vanity code BO-REW, ISO dates with milliseconds"
run ally export conversions --json
like "$out" '"ch_9"' "the Rewardful charge is a conversion"
printf 'id,amount\nX,1\n' >noevent.csv
snapshot
run ally import conversions noevent.csv
is_rc 65 "a conversion without an event"
like "$err" '^ally: noevent.csv:2: record 1: ' "named by line and record"
unchanged "a conversion without an event"
printf 'code,email\n' >nocols.csv
bad 65 'ally: import: nocols.csv: no id column in the header (--map Header=id names one)' \
    "conversions without an id column" -- ally import conversions nocols.csv

done_testing
