#!/bin/sh
# screens.sh - the TUI in script mode on a small database built with the
# CLI: each screen's text at 80x24, forms with live validation, marking
# and approving, filters and sorting, resizing, refresh after another
# process commits, and the [keys] configuration.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

me=$(id -un)
# the status line names the database and the user: make them stable
dump_n() {
	awk -v n="$1" '/^=== dump /{on = ($3 == n); next} on' "$tmp/dump" |
		sed -e "s| $ALLY_DB  $me (| DB  USER (|" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --hold 5 --activate >/dev/null
ally tier add Gold --rule "percent 15" >/dev/null
ally partner add "Müller GmbH" --email info@mueller.de --tier Gold >/dev/null
ally partner add "Zeta Ltd" --email z@zeta.io >/dev/null
ally code new --program "Spring Referral" --partner "Müller GmbH" --vanity MUELLER >/dev/null
ally track referral --code MUELLER --email ann@example.com --name "Ann Lee" --at 2026-10-01 >/dev/null
ally track conversion --code MUELLER --email ann@example.com --event purchase --amount 120 \
	--id ORD-1 --at 2026-10-02 >/dev/null
ally track referral --code MUELLER --email bob@example.com --name "Bob Roe" --at 2026-10-12 >/dev/null
ally track conversion --code MUELLER --email bob@example.com --event purchase --amount 80 \
	--id ORD-2 --at 2026-10-13 >/dev/null

# --- every tab by its digit ---
screen <<'KEYS'
dump
key 2
dump
key 3
dump
key 5
dump
key 7
dump
key 8
dump
key q
KEYS
is "$rc" 0 "script mode exits 0"
screen_is 1 "dashboard" <<'WANT'
 1 Dashboard  2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Dashboard                                               Acme  2026-10-15 12:00

  Programs 1 (1 active)   Partners 2   Tiers 1
  Referrers 1   Codes 1   Users 1

                          Last 30 days        All time
  Referrals                          2               2
  Conversions                        2               2
  Conversion rate               100.0%          100.0%
  Converted value               200.00          200.00
  Refunds                                            0

  Referrals, 90 days      ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁█▁▁▁▁▁█▁

  Commissions pending 2 (30.00 EUR)   approved 0 (0.00 EUR)

  Where to go
  2 programs and their rules   3 partners and tiers   4 look up a referrer
  6 approve commissions        9 users and settings   ? every key



 DB  USER (admin)                                   ? help
WANT
screen_is 2 "programs list" <<'WANT'
 1 Dash 2 Programs  3 Partners 4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Programs                     n new  e edit  A/P/E status  c code  Enter detail
  Id   Name             Status  Rule        Hold
  PG1  Spring Referral  active  percent 10     5


















 1 row
 DB  USER (admin)                                   ? help
WANT
screen_is 3 "partners by tier, UTF-8 name" <<'WANT'
 1 Dash 2 Progs 3 Partners  4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Partners                   n new  e edit  t tier  i invite  I resend  X revoke
  Id  Name         Tier▲  Kind      Status  E-mail
  P2  Zeta Ltd            reseller  active  z@zeta.io
  P1  Müller GmbH  Gold   reseller  active  info@mueller.de

















 2 rows  sort: Tier▲
 DB  USER (admin)                                   ? help
WANT
screen_has 4 'Deals: all, open first' "deals tab shows the registrations queue"
screen_has 4 'No deals here: n registers one.' "an empty queue says how to start"
screen_has 5 'Referrals 2   Converted 2 \(100.0%\)   Value 200.00 EUR' "analytics tab shows the figures of the last 30 days"
screen_has 6 'Outbox: all +0 queued +0 sending +0 sent +0 failed' "outbox tab counts the mail by state"

# --- referrer lookup and timeline ---
screen <<'KEYS'
key 4
dump
key /
type mü
dump
key Enter
dump
KEYS
screen_has 1 'press / and type any word of a name' "lookup starts with a hint"
screen_is 2 "lookup by a name prefix" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Referrals  5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Referrals: find a referrer             Enter/Down to the list  Esc stop typing
 Look up: mü                                                            1 found
  Id  Name         E-mail           Kind     Match
  R1  Müller GmbH  info@mueller.de  partner  name

















 1 row
 DB  USER (admin)                                   ? help
WANT
screen_is 3 "timeline of the referrer" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Referrals  5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 R1 Müller GmbH info@mueller.de (partner)                  Enter detail  q back
  When             What       Id  Program         Detail       Amount Status
  2026-10-15 12:00 code       K1  Spring Referral code MUELLE…        active
  2026-10-13 00:00 conversion CV2 Spring Referral purchase OR…  80.00 qualifying
  2026-10-13 00:00 commission C2  Spring Referral percent 15    12.00 pending
  2026-10-12 00:00 referral   RF2 Spring Referral Bob Roe bob…        converted
  2026-10-02 00:00 conversion CV1 Spring Referral purchase OR… 120.00 qualifying
  2026-10-02 00:00 commission C1  Spring Referral percent 15    18.00 pending
  2026-10-01 00:00 referral   RF1 Spring Referral Ann Lee ann…        converted












 7 rows
 DB  USER (admin)                                   ? help
WANT
screen <<'KEYS'
key 4
key /
type muel
dump
key C-u
type info@
dump
KEYS
screen_has 1 'R1 +Müller GmbH .*code MUELLER' "lookup by a code prefix"
screen_has 2 'R1 +Müller GmbH .*e-mail' "lookup by an e-mail prefix"

# --- the program form: live rule errors, save, Esc ---
screen <<'KEYS'
key 2
key n
type Summer
key Tab
type tiered count montly
dump
key C-u
type tiered count month graduated 0:5% 10:7.5%
dump
key C-s
dump
key n
key Esc
dump
key n
type x
key Esc
dump
key y
KEYS
screen_has 1 '! word 3 "montly": expected month, quarter, year or lifetime' \
	"rule errors show as you type"
screen_lacks 2 '!' "a good rule clears the error"
screen_has 3 'PG2 +Summer +draft +tiered count month graduated' "the form saved the program"
screen_has 3 'PG2 Summer saved' "the status line says so"
screen_lacks 4 'Discard' "Esc on an untouched form does not ask"
screen_has 5 'Discard the changes to this form\?' "Esc after typing asks"
run ally program show Summer
like "$out" 'tiered count month graduated 0:5% 10:7.5%' "the program is in the database"

# --- filter and sort ---
screen <<'KEYS'
key 3
key /
type zet
dump
key Enter
key s
dump
key Esc
key S
dump
KEYS
screen_has 1 '1 of 2 +Enter keeps' "the filter narrows as you type"
screen_has 2 'filter: zet' "Enter keeps the filter"
screen_has 3 'sort: Kind▼' "S reverses the sort"
screen_lacks 3 'filter:' "Esc clears a kept filter"

# --- commissions: marks, hold, override, reject ---
screen <<'KEYS'
key 6
dump
key *
key a
key y
dump
key o
type checked with finance
key Enter
dump
key f
dump
KEYS
screen_is 1 "the approval queue" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Commissions  7 Stats 8 Mail 9 Admin
 Commissions: pending     a approve  r reject  o override  f F narrow  p payout
  Id Status  Partner     Program         Amount Earned           Hold until
  C2 pending Müller GmbH Spring Referral  12.00 2026-10-13 00:00 2026-10-18
  C1 pending Müller GmbH Spring Referral  18.00 2026-10-02 00:00 2026-10-07
















Total                                     30.00
 2 rows  Kind: commission  Rule: percent 15
 DB  USER (admin)                                   ? help
WANT
screen_has 2 'approved 1, already 0, refused 1: C2 on hold until 2026-10-18' \
	"a line still on hold is refused, the others approved"
screen_has 3 'approved 1 line' "an override with a reason approves"
screen_has 4 'Commissions: approved' "f shows approved lines"
run ally commission list --status approved
like "$out" 'C1' "the approval is in the database"

# --- resize ---
screen <<'KEYS'
resize 60x20
dump
resize 100x30
dump
KEYS
screen_has 1 'Terminal too small: 60x20' "a small terminal is told so"
screen_has 2 '1 Dashboard +2 Programs +3 Partners' "a larger one shows full tab names"

# --- another process commits: the screen follows ---
screen <<KEYS
key 3
sh "$ALLY" partner add "Omega AG" --email o@omega.ch >/dev/null
wait-refresh
dump
KEYS
screen_has 1 'Omega AG' "another process's new partner appears"

# --- help and the key map from the config ---
printf '[keys]\nhelp = h\n[colors]\ntheme = mono\n' >"$tmp/ally.conf"
screen <<'KEYS'
key h
dump
KEYS
screen_lacks 1 'Help: keys' "without the config h is not help"
cat >"$tmp/script" <<'KEYS'
key h
dump
KEYS
rm -f "$tmp/dump"
ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" --config "$tmp/ally.conf" >/dev/null 2>&1
screen_has 1 'Help: keys' "[keys] rebinds help"
screen_has 1 '^ h +help ' "help lists the key from the config"
printf '[keys]\nhelp = Hyper-Q\n' >"$tmp/bad.conf"
run env ALLY_UI_SCRIPT="$tmp/script" "$ALLY" --config "$tmp/bad.conf"
is_rc 78 "a bad key name"
like "$err" 'bad.conf: \[keys\] help: unknown key "Hyper-Q"' "names the entry"

# --- the man page's KEYS section matches the action table ---
keys=$(sed -n '/^\.SH KEYS/,/^\.SH /p' "$top_srcdir/doc/ally.1")
missing=
for a in $(sed -n 's/^[[:space:]]*X(ACT_[A-Z0-9_]*, *"\([^"]*\)".*/\1/p' "$top_srcdir/src/ui/action.h"); do
	printf '%s\n' "$keys" | grep -q "^\.BR \"$(printf '%s' "$a" | sed 's/-/\\\\-/g')\"" || missing="$missing $a"
done
is "$missing" "" "every action is documented under KEYS in ally(1)"

# --- without a terminal and a script: the overview ---
run ally
is_rc 0 "ally with no command, not a terminal"
like "$out" 'usage: ally' "prints the overview"

done_testing
