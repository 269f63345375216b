#!/bin/sh
# export.sh - x writes the list shown (its filter and sort) as CSV to the
# path typed at the prompt, whole, money plain with its currency, text
# guarded against formulas; a path that cannot be written says why and
# leaves nothing behind; Esc at the prompt writes nothing.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --activate >/dev/null
ally partner add "Harbor Consulting International North" --email north@harbor.example >/dev/null
ally partner add "=HYPERLINK(1)" --email evil@x.example >/dev/null
ally code new --program "Spring Referral" --partner "Harbor Consulting International North" \
	--vanity HARBOR >/dev/null
ally track referral --code HARBOR --email ann@example.com --at 2026-10-01 >/dev/null
ally track conversion --code HARBOR --email ann@example.com --event purchase --amount 12345678.90 \
	--id ORD-1 --at 2026-10-10 >/dev/null
snapshot

screen <<KEYS
key 6
key x
key C-u
type $tmp/comm.csv
key Enter
dump
key 3
key /
type Harbor
key Enter
key x
key C-u
type $tmp/partners.csv
key Enter
dump
key /
key Esc
key x
key C-u
type $tmp/all-partners.csv
key Enter
key x
key C-u
type $tmp/no/such/dir/p.csv
key Enter
dump
key x
key Esc
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 "wrote 1 row to .*comm\\.csv" "x on Commissions says what it wrote"
ok_file() { [ -f "$1" ] && ok "$2" || not_ok "$2" "no file $1"; }
ok_file "$tmp/comm.csv" "the commissions file is there"
like "$(sed -n 1p "$tmp/comm.csv")" '^id,status,partner,program,amount,earned,hold_until,kind,rule,currency' \
	"the header names every column and the currency"
like "$(sed -n 2p "$tmp/comm.csv")" '^C1,pending,Harbor Consulting International North,Spring Referral,1234567\.89,.*,EUR' \
	"the line whole, money plain"
screen_has 2 "wrote 1 row to .*partners\\.csv" "x on a filtered list"
is "$(wc -l <"$tmp/partners.csv" | tr -d ' ')" 2 "only the rows shown (header and one)"
like "$(cat "$tmp/all-partners.csv")" "'=HYPERLINK" "a name that would be a formula is guarded"
screen_has 3 "export: .*no/such/dir/p\\.csv.*: " "a path that cannot be written says why"
[ ! -e "$tmp/no" ] && ok "and nothing was created" || not_ok "and nothing was created"
screen_lacks 4 "wrote" "Esc at the prompt writes nothing"
unchanged "exports changed nothing in the database"

done_testing
