#!/bin/sh
# portal.sh - the partner portal's screens in script mode at 80x24: the
# login prompts answered by the script, every screen (links, referrals,
# deals with the conflict check, commissions, statements and their mail),
# the help listing only the portal's actions, and isolation: partner A's
# screens show nothing of partner B's.
#
# The portal ignores ALLY_NOW and runs on the real clock, so the data has
# fixed past dates and the dumps mask the few that are today's (TODAY) and
# the days of exclusivity left.  Script mode is dropped under sshd, so the
# SSH_* variables of a developer's own login are unset here.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"
unset ALLY_NOW SSH_CONNECTION SSH_CLIENT SSH_TTY SSH_ORIGINAL_COMMAND
today=$(date -u +%Y-%m-%d)

. "${top_srcdir:-.}/tests/mail/catch.sh"
catch_need
trap 'catch_stop; rm -rf "$tmp"' EXIT
catch_start
catch_conf "$tmp/portal.conf" "[mail]" "templates = ${ALLY_TEMPLATES:-$top_srcdir/data}" \
    "[portal]" "max_failures = 3" "delay = 0"

# the invitation codes delivered (the mail holds the only copy)
codes() {
	catch_codes | sort -u
}

# portal_screen NAME <<'KEYS': the interactive portal in script mode; the
# script's first lines answer the login prompts.  Dumps in $tmp/NAME.dump.
portal_screen() {
	cat >"$tmp/script"
	rm -f "$tmp/$1.dump"
	ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/$1.dump ALLY_DB=/nonexistent \
	    "$ALLY" --db "$ALLY_DB" --config "$tmp/portal.conf" portal >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	cp "$tmp/$1.dump" "$tmp/dump" 2>/dev/null || : >"$tmp/dump"
}

# today's date and the days left of an exclusivity follow the real clock
dump_n() {
	awk -v n="$1" '/^=== dump /{on = ($3 == n); next} on' "$tmp/dump" |
		sed -e "s/$today/TODAY/g" -e 's/[0-9][0-9]* days of exclusivity/N days of exclusivity/' |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

ally init --org Acme --currency EUR >/dev/null
ally partner add "Alpha Co" --email ann@alpha.example --payout-email pay@alpha.example >/dev/null
ally partner add "Beta Co" --email bob@beta.example --payout-email money@beta.example >/dev/null
ally program add Spring --rule "percent 10" --events purchase --hold 0 --activate >/dev/null
ally code new --program Spring --partner "Alpha Co" --vanity ALPHA1 >/dev/null
ally code new --program Spring --partner "Beta Co" --vanity BETA1 >/dev/null
ally track referral --code ALPHA1 --email carol@cust.example --name "Carol Cust" --at 2026-09-03 >/dev/null
ally track referral --code ALPHA1 --email erin@cust.example --name "Erin Cust" --at 2026-10-05 >/dev/null
ally track referral --code ALPHA1 --email fred@cust.example --name "Fred Cust" --at 2026-10-07 >/dev/null
ally track referral --code BETA1 --email dave@hidden.example --name "Dave Hidden" --at 2026-10-06 >/dev/null
ally track conversion --code ALPHA1 --email carol@cust.example --event purchase --amount 100 \
	--id ORD-A1 --at 2026-09-04 >/dev/null
ally track conversion --code ALPHA1 --email erin@cust.example --event purchase --amount 250 \
	--id ORD-A2 --at 2026-10-06 >/dev/null
ally track conversion --code ALPHA1 --email fred@cust.example --event purchase --amount 40 \
	--id ORD-A3 --at 2026-10-08 >/dev/null
ally track conversion --code BETA1 --email dave@hidden.example --event purchase --amount 987 \
	--id ORD-B1 --at 2026-10-07 >/dev/null
# A: C1 paid, C2 approved, C3 pending; B: C4 approved
ally commission approve C1 C2 C4 >/dev/null
sum=$(ally payout preview --cutoff 2026-09-30 --partner "Alpha Co" | sed -n 's/^checksum: //p')
ally payout run --cutoff 2026-09-30 --partner "Alpha Co" --confirm "$sum" --output "$tmp/ap.csv" >/dev/null
# B's deal is approved (exclusive); A's are rejected with a reason and submitted
ally deal register --partner "Beta Co" --company "Secret Corp" --domain secret.example --value 5000 >/dev/null
ally deal approve D1 >/dev/null
ally deal register --partner "Alpha Co" --company "Alpha Widgets" --domain widgets.example \
	--value 1200 --close 2026-12-20 >/dev/null
ally deal reject D2 --reason "customer already in our pipeline" >/dev/null
ally deal register --partner "Alpha Co" --company "Gamma Ltd" --domain gamma.example --value 800 >/dev/null
ally --config "$tmp/portal.conf" partner invite "Alpha Co" >/dev/null
catch_send "$tmp/portal.conf"
a_code=$(codes)
ally --config "$tmp/portal.conf" partner invite "Beta Co" >/dev/null
catch_send "$tmp/portal.conf"
b_code=$(codes | grep -v -x -F -e "$a_code")

# ---- first login in script mode: the invitation code sets the password ----
portal_screen a-login <<KEYS
type $a_code
key Enter
type short
key Enter
type short
key Enter
type secret-pass-A1
key Enter
type secret-pass-A1
key Enter
dump
KEYS
is_rc 0 "first login from the script, then the screens"
like "$err" 'at least 10 characters' "a short password is refused at the prompt"
like "$err" 'Password set\.  From now on log in with ann@alpha\.example' "the password is set"
unlike "$err" 'secret-pass|short' "passwords are not echoed in the transcript"
screen_is 1 "links: own code" <<'WANT'
 1 Links  2 Refs 3 Deals 4 Comms 5 Statements
 My links and codes                                                  Enter copy
  Code    Program  Status  Link
  ALPHA1  Spring   active  ALPHA1


















 1 row
 portal:ann@alpha.example                                                ? help
WANT

# B logs in once, non-interactively, so both have portal accounts
printf '%s\n%s\n%s\n' "$b_code" secret-pass-B1 secret-pass-B1 |
    "$ALLY" --db "$ALLY_DB" --config "$tmp/portal.conf" portal links >/dev/null 2>&1
rc=$?
is_rc 0 "B's first login"

# ---- a wrong password in script mode ----
portal_screen a-wrong <<'KEYS'
type ann@alpha.example
key Enter
type wrong-password
key Enter
key Esc
dump
KEYS
is_rc 77 "a wrong password, then Esc at the prompt: refused"
like "$err" 'e-mail or password wrong' "the failure is said"
is "$(cat "$tmp/dump")" "" "no screen was shown"
ally partner unlock "Alpha Co" >/dev/null

# ---- every screen of A ----
A_LOGIN='type ann@alpha.example
key Enter
type secret-pass-A1
key Enter'
portal_screen a-screens <<KEYS
$A_LOGIN
dump
key Enter
dump
key q
key 2
dump
key 3
dump
key Down
key Enter
dump
key q
key 4
dump
key 5
dump
key Down
key Enter
dump
KEYS
is_rc 0 "A's screens"
screen_is 1 "links again, after a login with the password" <<'WANT'
 1 Links  2 Refs 3 Deals 4 Comms 5 Statements
 My links and codes                                                  Enter copy
  Code    Program  Status  Link
  ALPHA1  Spring   active  ALPHA1


















 1 row
 portal:ann@alpha.example                                                ? help
WANT
screen_is 2 "a link whole, to copy" <<'WANT'
 1 Links  2 Refs 3 Deals 4 Comms 5 Statements
 Link to copy                                                            q back

Code:

ALPHA1

Link:

ALPHA1

Select the text with the mouse to copy it.











 portal:ann@alpha.example                                                ? help
WANT
screen_is 3 "referrals: own contacts" <<'WANT'
 1 Links 2 Referrals  3 Deals 4 Comms 5 Statements
 Referred contacts                                             / filter  s sort
  Id   Name        E-mail              Program  Status     Referred
  RF3  Fred Cust   fred@cust.example   Spring   converted  2026-10-07 00:00
  RF2  Erin Cust   erin@cust.example   Spring   converted  2026-10-05 00:00
  RF1  Carol Cust  carol@cust.example  Spring   converted  2026-09-03 00:00
















 3 rows
 portal:ann@alpha.example                                                ? help
WANT
screen_is 4 "deals: own registrations" <<'WANT'
 1 Links 2 Refs 3 Deals  4 Comms 5 Statements
 My deal registrations                                 n register  Enter reason
  Id Company       Domain             Value Stage     Reason
  D3 Gamma Ltd     gamma.example     800.00 submitted
  D2 Alpha Widgets widgets.example 1,200.00 rejected  customer already in our p…

















 2 rows
 portal:ann@alpha.example                                                ? help
WANT
screen_is 5 "a rejected deal's reason" <<'WANT'
 1 Links 2 Refs 3 Deals  4 Comms 5 Statements
 Deal                                                                    q back

D2 Alpha Widgets (widgets.example)

stage: rejected
reason: customer already in our pipeline
















 portal:ann@alpha.example                                                ? help
WANT
screen_is 6 "commissions: pending, approved and paid totals" <<'WANT'
 1 Links 2 Refs 3 Deals 4 Commissions  5 Statements
 My commissions                                                        / filter
 pending 4.00   approved 25.00   paid 10.00   (EUR)
  Id  Earned      Status    Kind        Source  Amount  Paid
  C3  2026-10-08  pending   commission  ORD-A3    4.00
  C2  2026-10-06  approved  commission  ORD-A2   25.00
  C1  2026-09-04  paid      commission  ORD-A1   10.00  TODAY















 3 rows
 portal:ann@alpha.example                                                ? help
WANT
screen_is 7 "statements by month" <<'WANT'
 1 Links 2 Refs 3 Deals 4 Comms 5 Statements
 Statements by month                                         Enter show  m mail
  Month    Lines  Earned
  2026-10      2   29.00
  2026-09      1   10.00
















Total              39.00
 2 rows
 portal:ann@alpha.example                                                ? help
WANT
screen_is 8 "a month's statement" <<'WANT'
 1 Links 2 Refs 3 Deals 4 Comms 5 Statements
 Statement 2026-09                                                       q back

Statement 2026-09, Alpha Co (P1), EUR
LINE     DATE       KIND       STATUS    CONVERSION                   AMOUNT
C1       2026-09-04 commission paid      ORD-A1                        10.00

opening balance (approved, unpaid) 0.00
earned in the month                10.00
approved in the month              0.00
paid in the month                  0.00
closing balance                    0.00

SHA-256 of the lines above: 80d9370e6b3430c820707cfebcf7fc8847e1651e2b3fd783935…

As CSV over SSH: ssh -t ... statement 2026-09 --csv > statement.csv







 portal:ann@alpha.example                                                ? help
WANT

# ---- register a deal whose domain another partner holds ----
portal_screen a-deal <<KEYS
$A_LOGIN
key 3
key n
type Shadow Inc
key Tab
type secret.example
dump
key Tab
type 700
key Tab
key Tab
key Tab
type beat them to it
key C-s
dump
key g
key Enter
dump
KEYS
is_rc 0 "A registers a deal"
screen_is 1 "the conflict check as A types, naming no one" <<'WANT'
 1 Links 2 Refs 3 Deals  4 Comms 5 Statements
 Register a deal                           C-s save  Esc cancel  Tab next field

          Company *  Shadow Inc
           Domain *  secret.example
                     already registered, N days of exclusivity left (same
                     domain secret.example)
  Estimated value *
     Expected close
     Contact e-mail
              Notes












 portal:ann@alpha.example                                                ? help
WANT
screen_is 2 "saved in stage conflict" <<'WANT'
 1 Links 2 Refs 3 Deals  4 Comms 5 Statements
 My deal registrations                                 n register  Enter reason
  Id Company       Domain             Value Stage     Reason
! D4 Shadow Inc    secret.example    700.00 conflict  conflicts with an existin…
  D3 Gamma Ltd     gamma.example     800.00 submitted
  D2 Alpha Widgets widgets.example 1,200.00 rejected  customer already in our p…
















 3 rows
 D4 registered in conflict: already registered, 91 days of exclu… M more ? help
WANT
screen_has 3 '^D4 Shadow Inc \(secret\.example\)$' "Enter on the new deal"
screen_has 3 '^stage: conflict$' "its stage"
screen_has 3 '^reason: conflicts with' "its reason"
for d in 1 2 3; do
	screen_lacks $d 'Beta|bob@|money@|BETA1|Secret Corp|5,000|\<P2\>|\<D1\>' \
	    "the conflict names neither the other partner nor its deal (dump $d)"
done
run ally deal show D4
like "$out" 'conflict' "the deal is in stage conflict in the database"
like "$out" 'Alpha Co' "and it is A's"

# ---- m mails a statement to the payout e-mail ----
portal_screen a-mail <<KEYS
$A_LOGIN
key 5
key Down
key m
dump
KEYS
is_rc 0 "A mails a statement"
screen_has 1 'statement 2026-09 queued by mail to pay@alpha\.example \(M[0-9]+\)' "m queues the mail"
run ally mail list --csv
like "$out" 'statement-ready,Alpha Co,pay@alpha\.example,[^,]*statement for 2026-09' \
    "the statement mail is in the outbox, to A's payout e-mail"
unlike "$out" 'statement-ready,Beta' "no statement mail for B"

# ---- help: only the portal's actions ----
portal_screen a-help <<KEYS
$A_LOGIN
key ?
dump
key G
dump
key q
key a
dump
key 2
key Space
dump
KEYS
is_rc 0 "A's help"
screen_is 1 "help: the portal's keys, first page" <<'WANT'
 1 Links  2 Refs 3 Deals 4 Comms 5 Statements
 Help: keys                                                              q back
 q              back; quit from the top screen
 Esc            close a dialog, form, filter or sub-view; never quits
 ? F1           this help, made from the key table
 C-l            reload the data and redraw the screen
 1              Links: your referral codes and links, to copy
 2              Referrals: the contacts you referred and their status
 3              Deals: your deal registrations, register one
 4              Commissions: pending, approved and paid
 5              Statements: by month, to read or have mailed
 Tab            next screen
 S-Tab          previous screen
 Up k           move up
 Down j         move down
 PgUp C-b       one page up
 PgDn C-f       one page down
 Home g         first line
 End G          last line
 Enter          show the selected link, deal or month whole
 /              filter the list as you type (Enter keeps, Esc clears)
 s              sort by the next column
 S              reverse the sort order
 portal:ann@alpha.example                                                ? help
WANT
screen_is 2 "help: the portal's keys, last page" <<'WANT'
 1 Links  2 Refs 3 Deals 4 Comms 5 Statements
 Help: keys                                                              q back
 1              Links: your referral codes and links, to copy
 2              Referrals: the contacts you referred and their status
 3              Deals: your deal registrations, register one
 4              Commissions: pending, approved and paid
 5              Statements: by month, to read or have mailed
 Tab            next screen
 S-Tab          previous screen
 Up k           move up
 Down j         move down
 PgUp C-b       one page up
 PgDn C-f       one page down
 Home g         first line
 End G          last line
 Enter          show the selected link, deal or month whole
 /              filter the list as you type (Enter keeps, Esc clears)
 s              sort by the next column
 S              reverse the sort order
 n              Deals: register a deal, checked for conflicts as you type
 m              Statements: mail the selected month to your payout e-mail
 C-s            save the form
 M              the last messages of the status line, whole
 portal:ann@alpha.example                                                ? help
WANT
staff_words='Dashboard|Programs:|Partners:|Analytics|Outbox|Admin|approve the|reject the|payout preview|invite the|end portal|mark or|mark every|write the list|tier|agreement|audit|pipeline|verify|win the|lost'
screen_lacks 1 "$staff_words" "help: no staff action (first page)"
screen_lacks 2 "$staff_words" "help: no staff action (last page)"
screen_has 3 'a: not available here' "a staff key does nothing in the portal"
screen_has 4 'Space: not available here' "nothing to mark in the portal"
# the staff help keeps the staff actions, each on its screen
cat >"$tmp/script" <<'KEYS'
key 6
key ?
dump
key q
key 8
key ?
dump
KEYS
rm -f "$tmp/dump"
ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" >/dev/null 2>&1
screen_has 1 ' +approve +approve the marked' "the staff help keeps the staff actions"
screen_has 2 ' +send-mail +start ally mail send' "with the staff texts"

# ---- B sees its own ----
portal_screen b-screens <<'KEYS'
type bob@beta.example
key Enter
type secret-pass-B1
key Enter
dump
key 2
dump
key 3
dump
key 4
dump
key 5
dump
KEYS
is_rc 0 "B's screens"
screen_has 1 'BETA1' "B: own code"
screen_has 2 'Dave Hidden' "B: own referral"
screen_has 3 'Secret Corp' "B: own deal"
screen_has 4 'approved 98\.70' "B: own commission"
screen_has 5 '2026-10 +1 +98\.70' "B: own month"
cat "$tmp"/b-screens.dump >"$tmp/b.all"
for w in 'Alpha Co' ALPHA1 'Carol Cust' 'Shadow Inc' 'Gamma Ltd' 'Alpha Widgets' '39\.00' '25\.00'; do
	if grep -q -- "$w" "$tmp/b.all"; then not_ok "B's screens never show A's $w"; else ok "B's screens never show A's $w"; fi
done

# ---- isolation: nothing of B in any of A's dumps ----
cat "$tmp"/a-*.dump >"$tmp/a.all"
for w in 'Beta Co' 'bob@beta\.example' 'money@beta\.example' BETA1 'Dave Hidden' 'dave@hidden' \
    'Secret Corp' '98\.70' '987' '5,000' 'ORD-B1' '\<P2\>' '\<D1\>' '\<C4\>' '\<RF4\>'; do
	if grep -q -- "$w" "$tmp/a.all"; then
		not_ok "A's screens never show B's $w" "$(grep -n -- "$w" "$tmp/a.all" | head -3)"
	else
		ok "A's screens never show B's $w"
	fi
done
is "$(grep -c '^=== dump' "$tmp/a.all")" 17 "every A dump was read"

# ---- script mode is for tests: never under sshd ----
cat >"$tmp/script" <<KEYS
$A_LOGIN
dump
KEYS
rm -f "$tmp/dump"
SSH_CONNECTION='192.0.2.1 5000 192.0.2.2 22' ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump \
    "$ALLY" --db "$ALLY_DB" --config "$tmp/portal.conf" portal </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
is_rc 64 "under sshd ALLY_UI_SCRIPT is dropped: the portal wants a terminal"
is "$(cat "$tmp/dump" 2>/dev/null)" "" "and no login was read from the script"

done_testing
