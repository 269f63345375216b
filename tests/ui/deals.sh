#!/bin/sh
# deals.sh - the Deals tab (5) in script mode: the registrations queue with
# conflicts first and spelt out, the registration form whose conflict check
# runs as the domain and company are typed, approve / reject with the
# partner's reason / win with a final value / lose, the stage, partner,
# tier and source filters, the pipeline side by side at 80x24 and 160x48,
# and w / l / p sharing their keys with other screens' actions.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

me=$(id -un)
# the status line names the database and the user: make them stable
dump_n() {
	awk -v n="$1" '/^=== dump /{on = ($3 == n); next} on' "$tmp/dump" |
		sed -e "s| $ALLY_DB  $me (| DB  USER (|" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# stage DEAL: the deal's stage, from the CLI
stage() {
	ally deal show "$1" --json | sed -n 's/.*"stage":"\([a-z]*\)".*/\1/p'
}

ally init --org "Acme" --currency EUR >/dev/null
ally tier add Gold --rule "percent 10" --exclusivity 45 >/dev/null
ally partner add "Northwind Digital" --email nw@northwind.example --tier Gold >/dev/null  # P1
ally partner add "Bolt" --email bo@bolt.example >/dev/null                                 # P2
ally partner add "Bolder" --email bd@bolder.example >/dev/null                             # P3
ally deal register --partner "Northwind Digital" --company "Acme Corp" --domain acme.com \
	--value 12000 --close 2026-12-01 >/dev/null                                           # D1
ally deal approve D1 >/dev/null
ally deal register --partner Bolt --company "Globex Inc" --domain globex.com --value 5000 >/dev/null  # D2
ally deal register --direct --company "Initech" --domain initech.com --value 30000 >/dev/null      # D3
ally deal register --partner Bolt --company "ACME Corp., Inc." --domain acme-corp.io \
	--value 7000 >/dev/null                                                               # D4
is "$(stage D4)" conflict "set-up: D4 conflicts with D1 by company"

# --- the queue: open registrations first, the conflict spelt out ---
screen <<'KEYS'
key 5
dump
key j
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_is 1 "the queue at 80x24: conflict and submitted first" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals  6 Comms 7 Stats 8 Mail 9 Admin
 Deals: all, open first           a r w l decide  n new  f F filter  p pipeline
  Id Stage     Partner           Company          Domain          Value Reason
! D4 conflict  Bolt              ACME Corp., Inc. acme-corp.…  7,000.00 conflic…
  D2 submitted Bolt              Globex Inc       globex.com   5,000.00
  D3 approved  (direct)          Initech          initech.com 30,000.00
  D1 approved  Northwind Digital Acme Corp        acme.com    12,000.00












Total                                                         54,000.00
 4 rows  not shown: Excl. to
  D4 conflict: conflicts with D1 (Northwind Digital, approved, 46 days of
  exclusivity left): same company Acme Corp
 DB  USER (admin)                                   ? help
WANT
screen_has 2 'D2 submitted' "the cursor moves; no reason under a submitted deal"
screen_lacks 2 'D4 conflict:' "the reason shown is the cursor's"

# --- the registration form: the conflict appears as the domain is typed ---
screen <<'KEYS'
key 5
key n
dump
key Tab
type Bol
dump
type d
key Tab
type Zenith
key Tab
type a
type c
type m
type e
type .
type c
type o
dump
type m
dump
key Tab
type 9000
key C-s
dump
KEYS
screen_has 1 'New deal registration' "n opens the registration form"
screen_has 2 'Bolt or Bolder\? type more' "a prefix of two partners asks for more"
screen_is 3 "domain acme.co: no conflict yet" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals  6 Comms 7 Stats 8 Mail 9 Admin
 New deal registration                     C-s save  Esc cancel  Tab next field

             Source  < partner >
            Partner  Bold
                     P3 Bolder, no tier
          Company *  Zenith
           Domain *  acme.co
                     the customer's web domain, e.g. example.com
  Estimated value *
     Expected close
     Contact e-mail
              Notes










 DB  USER (admin)                                   ? help
WANT
screen_is 4 "domain acme.com: the conflict appears under the domain field" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals  6 Comms 7 Stats 8 Mail 9 Admin
 New deal registration                     C-s save  Esc cancel  Tab next field

             Source  < partner >
            Partner  Bold
                     P3 Bolder, no tier
          Company *  Zenith
           Domain *  acme.com
                     conflicts with D1 (Northwind Digital, approved, 46 days
                     of exclusivity left): same domain acme.com
  Estimated value *
     Expected close
     Contact e-mail
              Notes









 DB  USER (admin)                                   ? help
WANT
screen_has 5 'D5 registered, in conflict with D1: an admin decides' "saving records it in conflict"
screen_has 5 '^! D5 +conflict +Bolder +Zenith' "the new conflict heads the queue"
is "$(stage D5)" conflict "the registration is in the database, in conflict"

# the company alone conflicts too, as it is typed
screen <<'KEYS'
key 5
key n
key Tab
type Bolt
key Tab
type Acme Cor
dump
type p
dump
KEYS
screen_lacks 1 'conflicts with' "a different company: no conflict"
screen_has 2 'conflicts with D1 \(Northwind Digital, approved, [0-9]+ days' \
	"the company's conflict shows under the domain field before any domain"
screen_has 2 'same company Acme Corp' "and says why"

# a direct deal from the form; a bad domain is an error under the field
screen <<'KEYS'
key 5
key n
key Right
key Tab
key Tab
type Umbrella
key Tab
type umbrella
dump
type .example
key Tab
type 25000
key C-s
dump
KEYS
screen_has 1 '! "umbrella" is not a web domain \(like example.com\)' "a half-typed domain says what is wrong"
screen_has 2 'D6: direct deal recorded \(open\)' "a direct deal is recorded"
screen_has 2 'D6 +approved +\(direct\) +Umbrella' "direct deals show (direct) for the partner"

# --- decisions: approve, a refused approval, reject with a reason, win, lose ---
screen <<'KEYS'
key 5
key /
type D2
key Enter
key a
dump
key Esc
key /
type D4
key Enter
key a
dump
key r
type Acme Corp is Northwind's customer
key Enter
dump
KEYS
screen_has 1 'D2 approved' "a approves the selected registration"
screen_has 2 'deal D4 conflicts with D1' "approving a conflict is refused, saying with what"
screen_has 3 'D4 rejected: Acme Corp is Northwind.s customer' "the reason shows under the list"
is "$(stage D2)" approved "the approval is in the database"
is "$(stage D4)" rejected "the rejection is in the database"
run ally deal show D4 --json
like "$out" '"reason":"Acme Corp is Northwind.s customer"' "the partner sees the reason"

# reject needs a reason
screen <<'KEYS'
key 5
key /
type D5
key Enter
key r
key Enter
dump
KEYS
screen_has 1 'a reason is required; nothing changed' "an empty reason is refused"
is "$(stage D5)" conflict "nothing changed"

# win: a form with the final value and the date
screen <<'KEYS'
key 5
key G
key w
dump
key C-u
type 11500.50
key Tab
key C-u
type 2026-10-20
key C-s
dump
key C-u
type 2026-10-14
key C-s
dump
KEYS
screen_has 1 'Final value \* +12000.00' "the form starts from the estimate"
screen_has 1 'Won on \* +2026-10-15' "and today"
screen_has 2 'cannot be won in the future' "a future date is refused on its field"
screen_has 3 'D1 won: 11500.50' "saved"
screen_has 3 'D1 +won .*11,500.50' "the list shows the final value"
is "$(stage D1)" won "the win is in the database"
run ally commission list --json
like "$out" '"amount":"1150.05"' "the won deal's commission (10%) is in the queue"

# lose, with an optional reason
screen <<'KEYS'
key 5
key /
type D2
key Enter
key l
type went with a competitor
key Enter
dump
KEYS
screen_has 1 'D2 lost: went with a competitor' "l loses, the reason shows"
is "$(stage D2)" lost "the loss is in the database"

# Enter: the deal's detail, with the conflict check of now
screen <<'KEYS'
key 5
key /
type D5
key Enter
key Enter
dump
KEYS
screen_has 1 'Deal D5 Zenith' "Enter shows the deal"
screen_has 1 'domain +acme.com' "with its fields"
screen_has 1 'Conflict check now' "and the conflict check of now"

# --- filters: stage, partner, tier, source ---
screen <<'KEYS'
key 5
key f
dump
key f
dump
key F
key Enter
type Bolt
key Enter
dump
key F
key Down
key Down
key Down
key Enter
key F
key Down
key Down
key Enter
key Down
key Down
key Enter
dump
key F
key Down
key Down
key Down
key Enter
key F
key Down
key Enter
type Gold
key Enter
dump
KEYS
screen_has 1 'Deals: submitted' "f: submitted only"
screen_has 1 'No deals here' "none left submitted"
screen_has 2 'Deals: conflict' "f again: conflict"
screen_has 2 '! D5 +conflict' "the conflict"
screen_has 3 'Deals: conflict, partner Bolt' "F partner narrows"
screen_lacks 3 'D5' "D5 is Bolder's"
screen_has 4 'Deals: conflict, direct only' "F source: direct only"
screen_has 5 'Deals: conflict, tier Gold' "F tier"

# --- the pipeline ---
screen <<'KEYS'
key 5
key p
dump
key p
dump
KEYS
screen_is 1 "the pipeline at 80x24" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals  6 Comms 7 Stats 8 Mail 9 Admin
 Deals pipeline                                          p list  F partner/tier

               Partner-sourced (EUR)            Direct (EUR)
  Stage        Deals            Value           Deals            Value
  submitted        0             0.00               0             0.00
  conflict         1         9,000.00  █            0             0.00
  approved         0             0.00               2        55,000.00  ███████
  won              1        11,500.50  █            0             0.00
  lost             1         5,000.00  █            0             0.00
  expired          0             0.00               0             0.00
  rejected         1         7,000.00  █            0             0.00

  Open             1         9,000.00               2        55,000.00
  All              4        32,500.50               2        55,000.00

  Open: submitted, conflict and approved.  Won deals count their final value.






 DB  USER (admin)                                   ? help
WANT
screen_has 2 'Deals: all, open first' "p again: back to the list"

# --- 160x48 ---
ALLY_UI_SIZE=160x48 screen <<'KEYS'
key 5
dump
key p
dump
KEYS
screen_is 1 "the queue at 160x48" <<'WANT'
 1 Dashboard 2 Programs 3 Partners 4 Referrals 5 Deals  6 Commissions 7 Analytics 8 Outbox 9 Admin
 Deals: all, open first                                                                                           a r w l decide  n new  f F filter  p pipeline
  Id Stage    Partner           Company          Domain               Value Reason
! D5 conflict Bolder            Zenith           acme.com          9,000.00 conflicts with D1 (Northwind Digital, approved, 46 days of exclusivity left): same …
  D6 approved (direct)          Umbrella         umbrella.example 25,000.00
  D4 rejected Bolt              ACME Corp., Inc. acme-corp.io      7,000.00 Acme Corp is Northwind's customer
  D3 approved (direct)          Initech          initech.com      30,000.00
  D2 lost     Bolt              Globex Inc       globex.com        5,000.00 went with a competitor
  D1 won      Northwind Digital Acme Corp        acme.com         11,500.50


































Total                                                             87,500.50
 6 rows
  D5 conflict: conflicts with D1 (Northwind Digital, approved, 46 days of exclusivity left): same domain acme.com

 DB  USER (admin)                                                                                                                   ? help
WANT
screen_is 2 "the pipeline at 160x48" <<'WANT'
 1 Dashboard 2 Programs 3 Partners 4 Referrals 5 Deals  6 Commissions 7 Analytics 8 Outbox 9 Admin
 Deals pipeline                                                                                                                          p list  F partner/tier

               Partner-sourced (EUR)                                                    Direct (EUR)
  Stage        Deals            Value                                                   Deals            Value
  submitted        0             0.00                                                       0             0.00
  conflict         1         9,000.00  ████████                                             0             0.00
  approved         0             0.00                                                       2        55,000.00  ███████████████████████████████████████████████
  won              1        11,500.50  ██████████                                           0             0.00
  lost             1         5,000.00  ████                                                 0             0.00
  expired          0             0.00                                                       0             0.00
  rejected         1         7,000.00  ██████                                               0             0.00

  Open             1         9,000.00                                                       2        55,000.00
  All              4        32,500.50                                                       2        55,000.00

  Open: submitted, conflict and approved.  Won deals count their final value.






























 DB  USER (admin)                                                                                                                   ? help
WANT

# --- keys shared with other screens ---
screen <<'KEYS'
key 3
key w
dump
key Esc
key 6
key p
dump
KEYS
screen_has 1 'agreement' "w is still the agreement on Partners"
screen_has 2 'Payout' "p is still the payout on Commissions"
printf '[keys]\nwin = W\n' >"$tmp/ally.conf"
cat >"$tmp/script" <<'KEYS'
key 5
key /
type D6
key Enter
key W
dump
KEYS
rm -f "$tmp/dump"
ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" --config "$tmp/ally.conf" >/dev/null 2>&1
screen_has 1 'Win deal D6' "[keys] rebinds win"

done_testing
