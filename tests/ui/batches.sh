#!/bin/sh
# batches.sh - the payout batches in the TUI (Commissions, b): each with
# its total and currency, Enter its lines, w its file in the formats of
# `ally payout export` (the same bytes), refused with the CLI's words when
# a payee's details are missing (nothing written), P mark-paid asked
# first and audited, and only admins offered w and P.  At 80x24 and
# 150x45.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --activate >/dev/null
ally partner add "Harbor North" --email north@harbor.example --payout-method paypal \
	--payout-email pay@harbor.example >/dev/null
ally partner add "Kestrel Ltd" --email k@kestrel.example --payout-method paypal \
	--payout-email pay@kestrel.example >/dev/null
ally partner add "Nomad Media" --email n@nomad.example >/dev/null
n=0
for c in "Harbor North:HARBOR" "Kestrel Ltd:KESTREL" "Nomad Media:NOMAD"; do
	ally code new --program "Spring Referral" --partner "${c%%:*}" --vanity "${c##*:}" >/dev/null
done
buy() {  # buy CODE N DAY
	ally track referral --code "$1" --email "c$2@example.com" --at "2026-10-$3" >/dev/null
	ally track conversion --code "$1" --email "c$2@example.com" --event purchase \
		--amount "${2}000.00" --id "ORD-$2" --at "2026-10-$3" >/dev/null
}
buy HARBOR 1 01
buy HARBOR 2 02
buy KESTREL 3 03
ally commission approve C1 C2 C3 --override-hold "paid early" >/dev/null
sum=$(ally payout preview --cutoff 2026-10-05 | sed -n 's/^checksum: *//p')
ally payout run --cutoff 2026-10-05 --confirm "$sum" --output "$tmp/pb1.csv" >/dev/null
buy NOMAD 4 06
ally commission approve C4 --override-hold "paid early" >/dev/null
sum=$(ally payout preview --cutoff 2026-10-10 | sed -n 's/^checksum: *//p')
ally payout run --cutoff 2026-10-10 --confirm "$sum" --output "$tmp/pb2.csv" >/dev/null

for size in 80x24 150x45; do
	ALLY_UI_SIZE=$size screen <<'KEYS'
key 6
key b
dump
key Down
key Enter
dump
KEYS
	is "$rc" 0 "$size: script mode exits 0"
	screen_has 1 '^ Payout batches ' "$size: b on Commissions opens the batches"
	screen_has 1 'PB1 +2026-10-05 +3 +600\.00 +EUR +exported' "$size: PB1 with its total and currency, whole"
	screen_has 1 'PB2 +2026-10-10 +1 +400\.00 +EUR +exported' "$size: and PB2"
	like "$(dump_n 1 | grep -n 'PB[12] ' | tr '\n' ' ')" '^4:.*PB2 .* 5:.*PB1 ' "$size: newest first"
	screen_has 2 '^ Batch PB1 ' "$size: Enter: the batch"
	screen_has 2 '^ PB1: 3 lines, 600\.00 EUR, cutoff 2026-10-05, exported' "$size: its figures"
	screen_has 2 'C1 +Harbor North +Spring Referral .*100\.00$' "$size: its first line"
	screen_has 2 'C3 +Kestrel Ltd +Spring Referral .*300\.00$' "$size: its last line"
	screen_lacks 2 'C4 ' "$size: not the other batch's line"
done

# --- w: the PayPal file, the same bytes as the command line's ---
screen <<KEYS
key 6
key b
key Down
key w
key Down
key Enter
key C-u
type $tmp/tui-paypal.csv
key Enter
dump
KEYS
screen_has 1 "PB1: wrote the paypal file $tmp/tui-paypal\\.csv" "w writes the chosen format"
ally payout export PB1 --format paypal --output "$tmp/cli-paypal.csv" >/dev/null
if cmp -s "$tmp/tui-paypal.csv" "$tmp/cli-paypal.csv"; then ok "the same file as ally payout export"
else not_ok "the same file as ally payout export" "$(cat "$tmp/tui-paypal.csv")"; fi

# --- the accounts-payable CSV again, from the lines' view ---
rm -f "$tmp/pb1.csv"
screen <<'KEYS'
key 6
key b
key Down
key Enter
key w
key Enter
key Enter
dump
KEYS
screen_has 1 "PB1: wrote the ap-csv file $tmp/pb1\\.csv" "ap-csv goes where the run wrote it"
is "$(tr -d '\r' <"$tmp/pb1.csv" | head -1)" "partner,payee_email,currency,amount,batch,lines" \
	"the accounts-payable CSV is back"

# --- a payee without PayPal details: named, nothing written ---
snapshot
screen <<KEYS
key 6
key b
key w
key Down
key Enter
key C-u
type $tmp/nomad.csv
key Enter
key M
dump
KEYS
screen_has 1 'PB2: payee Nomad Media \(partner\): has no payout method' "the payee is named"
if [ -e "$tmp/nomad.csv" ]; then not_ok "no file written"; else ok "no file written"; fi
unchanged "a refused file"

# --- P: asked first; n changes nothing, y marks it paid, audited ---
screen <<'KEYS'
key 6
key b
key Down
key P
dump
key n
KEYS
screen_has 1 'Mark PB1 paid: 3 lines, 600\.00 EUR\? Say yes only once accounts' "P asks, with the sum"
unchanged "n marks nothing"
screen <<'KEYS'
key 6
key b
key Down
key P
key y
dump
key P
dump
KEYS
screen_has 1 'PB1 +2026-10-05 +3 +600\.00 +paid +2026-10-15 12:00' "y marks PB1 paid"
screen_has 1 'PB1 marked paid' "and says so"
screen_has 2 'PB1 is marked paid already: nothing to do' "P again changes nothing"
like "$(ally payout list --json | grep '"id":"PB1"')" '"status":"paid"' "the command line sees it paid"
like "$(ally audit list)" 'payout mark-paid' "the audit log has who marked it"

# --- a manager sees the batches but may not write files or mark paid ---
ally user add mia --role manager >/dev/null
snapshot
ALLY_USER=mia screen <<'KEYS'
key 6
key b
dump
key P
dump
key w
dump
key ?
dump
KEYS
screen_has 1 'PB2 +2026-10-10' "a manager lists the batches"
screen_has 2 'P: you \(mia, manager\) may not approve or reject commissions and' \
	"P refused with the reason"
screen_has 3 'w: you \(mia, manager\) may not' "w refused too"
screen_lacks 1 'w file|P paid' "the title offers a manager neither"
unchanged "a manager's P and w"

done_testing
