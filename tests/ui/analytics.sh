#!/bin/sh
# analytics.sh - the Dashboard's figures and sparkline and the Analytics
# tab in script mode, at 80x24 and 160x48, on a small database built with
# the CLI (ALLY_NOW pinned): date presets, the filter form (custom range,
# program, partner), bars and braille line, the Partners tab, Enter on a
# top referrer, and the ASCII fallback under LC_ALL=C.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

me=$(id -un)
dump_n() {
	awk -v n="$1" '/^=== dump /{on = ($3 == n); next} on' "$tmp/dump" |
		sed -e "s| $ALLY_DB  $me (| DB  USER (|" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --hold 5 --activate >/dev/null
ally program add "Autumn" --rule "percent 5" --activate >/dev/null
ally tier add Gold --rule "percent 15" >/dev/null
ally partner add "Müller GmbH" --email info@mueller.de --tier Gold >/dev/null
ally partner add "Zeta Ltd" --email z@zeta.io >/dev/null
ally code new --program "Spring Referral" --partner "Müller GmbH" --vanity MUELLER >/dev/null
ally code new --program "Autumn" --partner "Zeta Ltd" --vanity ZETA >/dev/null
ally code new --program "Spring Referral" --customer carl@example.com --name "Carl Kunde" --vanity CARL >/dev/null
i=0
for d in 01 03 03 05 08 09 12 12 12 14; do
	i=$((i + 1))
	ally track referral --code MUELLER --email m$i@example.com --at 2026-10-$d >/dev/null
done
for i in 1 3 5 7; do
	ally track conversion --code MUELLER --email m$i@example.com --event purchase \
		--amount $((i * 40)) --id ORD-M$i --at 2026-10-14 >/dev/null
done
for d in 2026-09-20 2026-10-02 2026-10-11; do
	ally track referral --code ZETA --email z$d@example.com --at $d >/dev/null
done
ally track conversion --code ZETA --email z2026-10-02@example.com --event purchase --amount 300 \
	--id ORD-Z1 --at 2026-10-10 >/dev/null
for d in 2026-07-20 2026-10-13; do
	ally track referral --code CARL --email c$d@example.com --at $d >/dev/null
done

# --- the dashboard ---
screen <<'KEYS'
dump
resize 160x48
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_is 1 "dashboard at 80x24" <<'WANT'
 1 Dashboard  2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Dashboard                                               Acme  2026-10-15 12:00

  Programs 2 (2 active)   Partners 2   Tiers 1
  Referrers 3   Codes 3   Users 1

                          Last 30 days        All time
  Referrals                         14              15
  Conversions                        5               5
  Conversion rate                35.7%           33.3%
  Converted value               940.00          940.00
  Refunds                                            0

  Referrals, 90 days      ▁▃▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▃▁▁▁▁▃▆▃▁▅▃█▃

  Commissions pending 5 (111.00 EUR)   approved 0 (0.00 EUR)

  Where to go
  2 programs and their rules   3 partners and tiers   4 look up a referrer
  6 approve commissions        9 users and settings   ? every key



 DB  USER (admin)                                   ? help
WANT
screen_is 2 "dashboard at 160x48: a day a cell" <<'WANT'
 1 Dashboard  2 Programs 3 Partners 4 Referrals 5 Deals 6 Commissions 7 Analytics 8 Outbox 9 Admin
 Dashboard                                                                                                                               Acme  2026-10-15 12:00

  Programs 2 (2 active)   Partners 2   Tiers 1
  Referrers 3   Codes 3   Users 1

                          Last 30 days        All time
  Referrals                         14              15
  Conversions                        5               5
  Conversion rate                35.7%           33.3%
  Converted value               940.00          940.00
  Refunds                                            0

  Referrals, 90 days      ▁▁▃▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▃▁▁▁▁▁▁▁▁▁▁▃▃▆▁▃▁▁▃▃▁▃█▃▃▁

  Commissions pending 5 (111.00 EUR)   approved 0 (0.00 EUR)

  Where to go
  2 programs and their rules   3 partners and tiers   4 look up a referrer
  6 approve commissions        9 users and settings   ? every key



























 DB  USER (admin)                                                                                                                   ? help
WANT

# --- analytics: referrals tab, presets, line, partners tab ---
screen <<'KEYS'
key 7
dump
key d
dump
key b
dump
key Right
dump
KEYS
screen_is 1 "analytics at 80x24: last 30 days" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Analytics  8 Mail 9 Admin
 Analytics: Referrals | partners                  ←→  d range  F filter  b line
 Last 30 days 2026-09-16 – 2026-10-15   Program all   Tier all   Partner all
 Referrals 14   Converted 5 (35.7%)   Value 940.00 EUR   Commission 111.00 EUR

  Referrals and conversions per day
  4 ┤
    │                                                    █
  2 ┤                                  █                 █
    │        █                     ▓ ▓ ▓   █     ▓ █   █ ▓ █ █
  0 └─────────────────────────────────────────────────────────────────────────
     09-16 09-19 09-22 09-25 09-28 10-01 10-04 10-07 10-10 10-13
     █ referrals  ▓ converted

  Referrals    ███████████████████████████████████████████████████ 14
  Converted                    ██████████████████                   5    35.7%
  Commissioned                 ██████████████████                   5   100.0%

  Id  Referrer     Partner  Referrals  Converted  Rate    Value
  R1  Müller GmbH  P1              10          4  40.0%  640.00
  R2  Zeta Ltd     P2               3          1  33.3%  300.00
  R3  Carl Kunde                    1          0  0.0%     0.00
 3 rows
 DB  USER (admin)                                   ? help
WANT
screen_has 2 'Last 90 days 2026-07-18 – 2026-10-15' "d: the next preset"
screen_has 2 'Referrals 15   Converted 5 \(33\.3%\)' "90 days count the July referral"
screen_has 2 'per week' "90 days go by week"
screen_has 3 '⠂ referrals  ⠛ converted' "b: a braille line, the two series with glyphs of their own"
screen_has 3 'b bars' "the hint offers bars back"
screen_is 4 "the partners tab" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Analytics  8 Mail 9 Admin
 Analytics: referrals | Partners                  ←→  d range  F filter  b bars
 Last 90 days 2026-07-18 – 2026-10-15   Program all   Tier all   Partner all
 Referrals 15   Converted 5 (33.3%)   Value 940.00 EUR   Commission 111.00 EUR

  Partner contribution beside direct (value)
  Partner referrals ██████████████████████████████████ 5 converted  940.00 EUR
  Partner deals                                                0 won  0.00 EUR
  Direct deals                                                 0 won  0.00 EUR

  Commission accrued by status
  Pending  ███████████████████████████████████████████████ 5 lines  111.00 EUR
  Approved                                                   0 lines  0.00 EUR
  Paid                                                       0 lines  0.00 EUR

  Top partners by referrals
  Müller GmbH █████████████████████████████████████████████████████████████ 10
  Zeta Ltd    ██████████████████▎                                            3





 DB  USER (admin)                                   ? help
WANT

screen <<'KEYS'
resize 160x48
key 7
dump
key Right
dump
KEYS
screen_is 1 "analytics at 160x48" <<'WANT'
 1 Dashboard 2 Programs 3 Partners 4 Referrals 5 Deals 6 Commissions 7 Analytics  8 Outbox 9 Admin
 Analytics: Referrals | partners                                                                                                  ←→  d range  F filter  b line
 Last 30 days 2026-09-16 – 2026-10-15   Program all   Tier all   Partner all
 Referrals 14   Converted 5 (35.7%)   Value 940.00 EUR   Commission 111.00 EUR

  Referrals and conversions per day                                              Top referrers by referrals
  3 ┤                                                    █                       Müller GmbH ██████████████████████████████████████████████████████████████ 10
    │                                                    █                       Zeta Ltd    ██████████████████▋                                             3
    │                                                    █                       Carl Kunde  ██████▎                                                         1
  2 ┤                                  ▅                 █
    │                                  █                 █
    │                                  █                 █
    │        ▃                     ▃ ▃ █   ▃     ▃ ▃   ▃ █ ▃ ▃
  1 ┤        █                     ▓ ▓ ▓   █     ▓ █   █ ▓ █ █
    │        █                     ▓ ▓ ▓   █     ▓ █   █ ▓ █ █
    │        █                     ▓ ▓ ▓   █     ▓ █   █ ▓ █ █
  0 └──────────────────────────────────────────────────────────────────────────
     09-16 09-19 09-22 09-25 09-28 10-01 10-04 10-07 10-10 10-13
     █ referrals  ▓ converted

  Funnel: referrals, converted, commission lines                                 Commission accrued by status
  Referrals    ████████████████████████████████████████████████████ 14           Pending  ████████████████████████████████████████████████ 5 lines  111.00 EUR
  Converted                    ███████████████████                   5    35.7%  Approved                                                    0 lines  0.00 EUR
  Commissioned                 ███████████████████                   5   100.0%  Paid                                                        0 lines  0.00 EUR

 Top referrers (Enter: history)
  Id  Referrer     Partner  Referrals  Converted  Rate    Value
  R1  Müller GmbH  P1              10          4  40.0%  640.00
  R2  Zeta Ltd     P2               3          1  33.3%  300.00
  R3  Carl Kunde                    1          0  0.0%     0.00
















 3 rows
 DB  USER (admin)                                                                                                                   ? help
WANT
screen_has 2 'Top partners by referrals' "partners tab at 160x48"

# --- every preset in turn ---
screen <<'KEYS'
key 7
key d
key d
dump
key d
dump
key d
dump
key d
dump
key d
dump
key d
dump
KEYS
screen_has 1 'This month 2026-10-01 – 2026-10-15' "this month"
screen_has 2 'Last month 2026-09-01 – 2026-09-30' "last month"
screen_has 2 'Referrals 1   Converted 0' "last month counts one referral"
screen_has 3 'This quarter 2026-10-01 – 2026-10-15' "this quarter"
screen_has 4 'Year to date 2026-01-01 – 2026-10-15' "year to date"
screen_has 5 'Last 7 days 2026-10-09 – 2026-10-15' "around to 7 days"
screen_has 6 'Last 30 days' "and 30"

# --- the filter form: custom range and program, then a partner ---
screen <<'KEYS'
key 7
key F
dump
key C-u
type 2026-10-01
key Tab
key C-u
type 2026-10-10
key Tab
type Spring Referral
key C-s
dump
key F
key C-u
key Tab
key C-u
key Tab
key C-u
key Tab
key Tab
type Zeta Ltd
key C-s
dump
KEYS
screen_has 1 'Analytics filter' "F opens the filter form"
screen_has 2 'Custom 2026-10-01 – 2026-10-10   Program Spring Referral' "a custom range and a program"
screen_has 2 'Referrals 6   Converted 3 \(50.0%\)   Value 360.00 EUR   Commission 0.00 EUR' "figures of the custom range and program"
screen_lacks 2 'Zeta Ltd' "the other program's partner is gone"
screen_has 3 'Custom beginning – today   Program all   Tier all   Partner Zeta Ltd' "a partner, all dates"
screen_has 3 'Referrals 3   Converted 1' "the partner's figures"

screen <<'KEYS'
key 7
key F
key Tab
key Tab
key Tab
key Tab
type Nobody
key C-s
dump
KEYS
screen_has 1 'Nobody' "an unknown partner stays in the form"
screen_has 1 'partner' "with the reason"

# --- Enter on a top referrer opens the timeline ---
screen <<'KEYS'
key 7
key Down
key Enter
dump
key q
dump
KEYS
screen_has 1 'R2 Zeta Ltd z@zeta.io \(partner\)' "Enter opens the referrer's history"
screen_has 1 'conversion +CV5 +Autumn' "with the conversion"
screen_has 2 'Analytics: Referrals' "q goes back to Analytics"

# --- ASCII fallback ---
LC_ALL=C screen <<'KEYS'
dump
key 7
dump
key b
dump
KEYS
screen_is 2 "analytics under LC_ALL=C" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Analytics  8 Mail 9 Admin
 Analytics: Referrals | partners               <- ->  d range  F filter  b line
 Last 30 days 2026-09-16 to 2026-10-15   Program all   Tier all   Partner all
 Referrals 14   Converted 5 (35.7%)   Value 940.00 EUR   Commission 111.00 EUR

  Referrals and conversions per day
  4 +
    |                                                    #
  2 +                                  #                 #
    |        #                     = = =   #     = #   # = # #
  0 +-------------------------------------------------------------------------
     09-16 09-19 09-22 09-25 09-28 10-01 10-04 10-07 10-10 10-13
     # referrals  = converted

  Referrals    ################################################### 14
  Converted                    ##################                   5    35.7%
  Commissioned                 ##################                   5   100.0%

  Id  Referrer     Partner  Referrals  Converted  Rate    Value
  R1  M?ller GmbH  P1              10          4  40.0%  640.00
  R2  Zeta Ltd     P2               3          1  33.3%  300.00
  R3  Carl Kunde                    1          0  0.0%     0.00
 3 rows
 DB  USER (admin)                                   ? help
WANT
screen_has 1 'Referrals, 90 days +_' "an ASCII sparkline"
screen_has 3 '\* referrals  o converted' "an ASCII line"
high=$(LC_ALL=C grep -c "$(printf '[\200-\377]')" "$tmp/dump")
is "$high" 0 "no byte above 0x7f under LC_ALL=C"

done_testing
