#!/bin/sh
# figures.sh - the Dashboard and Analytics share one definition per figure
# (DESIGN.md section 4): "last 30 days" is the referrals created from the
# start of the day 29 days back to now, and of those the ones that reached
# a qualifying conversion; both screens show the same numbers.
#
# Now is 2026-10-15 12:00, so the range is 2026-09-16 .. 2026-10-15:
#   RA 2026-09-01, converted 2026-10-10   outside the range
#   RB 2026-09-15 18:00, not converted    outside (inside 30 x 24 hours)
#   RC 2026-10-01, converted twice        in the range, one converted referral
#   RD 2026-10-05, not converted          in the range
# Last 30 days: 2 referrals, 1 converted, 50.0%.  All time: 4, 2, 50.0%.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org Acme --currency EUR >/dev/null
ally program add Spring --rule "percent 10" --events purchase --window 365 --activate >/dev/null
ally partner add Alpha --email a@alpha.example >/dev/null
ally code new --program Spring --partner Alpha --vanity ALPHA >/dev/null
ally track referral --code ALPHA --email ra@x.example --at 2026-09-01 >/dev/null
ally track referral --code ALPHA --email rb@x.example --at 2026-09-15T18:00:00Z >/dev/null
ally track referral --code ALPHA --email rc@x.example --at 2026-10-01 >/dev/null
ally track referral --code ALPHA --email rd@x.example --at 2026-10-05 >/dev/null
ally track conversion --code ALPHA --email ra@x.example --event purchase --amount 10 --id A1 --at 2026-10-10 >/dev/null
ally track conversion --code ALPHA --email rc@x.example --event purchase --amount 20 --id C1 --at 2026-10-02 >/dev/null
ally track conversion --code ALPHA --email rc@x.example --event purchase --amount 30 --id C2 --at 2026-10-03 >/dev/null

screen <<'KEYS'
dump
key 7
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 'Referrals +2 +4$' "dashboard: referrals created in the last 30 days and all time"
screen_has 1 'Conversions +1 +2$' "dashboard: of those, the ones that converted"
screen_has 1 'Conversion rate +50\.0% +50\.0%$' "dashboard: the rate"
screen_has 1 'Converted value +50\.00 +60\.00$' "dashboard: their converted value"
screen_has 2 'Last 30 days 2026-09-16 – 2026-10-15' "analytics: the same range"
screen_has 2 'Referrals 2   Converted 1 \(50\.0%\)   Value 50\.00 EUR' "analytics: the same figures"
run ally report --from 2026-09-16 --json
like "$out" '"total_referrals":2,' "report: 2 referrals"
like "$out" '"conversions":1,' "report: 1 converted"

done_testing
