#!/bin/sh
# pickers.sh - type-ahead pickers instead of exact names: the Commissions
# narrow (partner by any word, accents folded), the Deals narrow (tier),
# the Analytics filter form (a pick field: matches as you type, Enter
# opens the picker), the new user's partner, the new code's program, an
# id typed, nothing matching, Esc; then in a real terminal (tmux).
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --activate >/dev/null
ally program add "Autumn Resellers" --rule "percent 5" --activate >/dev/null
ally tier add "Gold Élite" --rule "percent 12" >/dev/null
ally tier add "Silver" --rule "percent 8" >/dev/null
ally partner add "Harbor North" --email north@harbor.example --tier "Gold Élite" >/dev/null
ally partner add "Harbor South" --email south@harbor.example >/dev/null
ally partner add "Ærø Digital" --email a@aero.example >/dev/null
for c in "Harbor North:HARBOR" "Harbor South:SOUTH" "Ærø Digital:AERO"; do
	ally code new --program "Spring Referral" --partner "${c%%:*}" --vanity "${c##*:}" >/dev/null
done
n=0
for c in HARBOR SOUTH AERO; do
	n=$((n + 1))
	ally track referral --code $c --email "c$n@example.com" --at 2026-10-0$n >/dev/null
	ally track conversion --code $c --email "c$n@example.com" --event purchase \
		--amount "${n}00.00" --id "ORD-$n" --at 2026-10-0$n >/dev/null
done

# --- Commissions: F, partner, a word of the name ---
screen <<'KEYS'
key 6
key F
key Enter
type harb
dump
key Down
key Enter
dump
key F
key Enter
key C-u
type aero
dump
key Enter
dump
key F
key Enter
key C-u
type zzz
dump
key Enter
dump
key Esc
key F
key Enter
key C-u
type p1
dump
key Esc
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 '│ harb +│' "the picker shows what is typed"
screen_has 1 'Harbor North  P1' "it lists Harbor North"
screen_has 1 'Harbor South  P2' "and Harbor South"
screen_lacks 1 '│ Ærø' "but not what does not match"
screen_has 1 '2  Up/Down  Enter picks' "and says how many"
screen_has 2 '^ Commissions: pending, partner Harbor South ' "Down, Enter: narrowed to the second"
screen_has 2 'C2 +pending +Harbor South ' "its line"
screen_lacks 2 'C1 ' "no other partner's line"
screen_has 3 'Ærø Digital  P3' "aero finds Ærø Digital (accents folded)"
screen_has 4 'partner Ærø Digital' "picked"
screen_has 5 'no partner matches: type less' "nothing matches: it says so"
screen_has 6 '│ zzz +│' "Enter with no match keeps the picker open"
screen_has 7 'Harbor North  P1' "an id's start finds the record"

# --- Deals: F, tier ---
screen <<'KEYS'
key 5
key F
key Down
key Enter
type elit
dump
KEYS
screen_has 1 'Gold Élite  T1' "the deals narrow picks a tier by a word"
screen_lacks 1 'Silver' "and only it"

# --- Analytics: a pick field in the filter form ---
screen <<'KEYS'
key 7
key F
key Down
key Down
key Down
type elite
dump
key Enter
dump
key Enter
dump
key Down
type harbour
dump
key C-u
type harb
dump
KEYS
screen_has 1 'Tier  elite' "the tier field takes what is typed"
screen_has 1 '= Gold Élite' "and names the match as you type"
screen_has 2 'Gold Élite  T1' "Enter opens the picker on it"
screen_has 3 'Tier  Gold Élite' "Enter in the picker fills the field"
screen_has 4 '! no partner matches: type less' "a name nobody has is flagged"
screen_has 5 '! Enter picks: Harbor North, Harbor South' "two matches are named"

# --- Admin: the new user's partner; Partners: the new code's program ---
screen <<'KEYS'
key 9
key n
key Down
key Down
type south
key Enter
dump
key Enter
dump
KEYS
screen_has 1 'Harbor South  P2' "the new user's partner by a word"
screen_has 2 'Partner  Harbor South' "picked into the form"
screen <<'KEYS'
key 3
key c
type aut
dump
KEYS
screen_has 1 'Autumn Resellers  PG2' "the new code's program by a word"
screen_lacks 1 'Spring Referral' "only the one that matches"

# --- Admin: the audit log narrowed to one user ---
ally user add sam --role support >/dev/null
ALLY_USER=sam ally referrer find harbor >/dev/null
ally user add mia --role manager >/dev/null
ALLY_USER=mia ally program add "Mia Winter" --rule "percent 3" >/dev/null
screen <<'KEYS'
key 9
key f
key F
type mi
dump
key Enter
dump
KEYS
screen_has 1 'mia  U3' "the audit log's F picks a user by a word of the login"
screen_lacks 1 'sam  U2' "only the one that matches"
screen_has 2 '^ Admin: audit log, by mia ' "narrowed to that user"
screen_has 2 'A[0-9]+ .* mia +program add ' "her own entry"
screen_lacks 2 ' root +[a-z]+ add' "no one else's"
ALLY_USER=mia screen <<'KEYS'
key 9
key f
key F
dump
KEYS
screen_has 1 'F: you \(mia, manager\) may not' "a manager may not list the users to pick from"

# --- a real terminal ---
if ! command -v tmux >/dev/null 2>&1; then
	ok "# SKIP tmux is not installed"
	done_testing
fi
sock=ally-pick-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		if tm capture-pane -p -t "$1" 2>/dev/null | grep -Eq -- "$2"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
expect() {
	if wait_for "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "screen:" "$(tm capture-pane -p -t "$1" 2>/dev/null)" "want: /$2/"
	fi
}
tm -f /dev/null new-session -d -s pick -x 80 -y 24 \
	"env TERM=tmux-256color ESCDELAY=25 LC_ALL=C.UTF-8 ALLY_DB='$ALLY_DB' ALLY_NOW='$ALLY_NOW' '$ALLY'; echo EXITED:\$?; sleep 30"
expect pick '^ Dashboard' "tmux: the TUI starts"
tm send-keys -t pick 6 F Enter
expect pick 'Only lines of this partner' "tmux: the picker opens"
tm send-keys -t pick -l 'SOUTH'
expect pick 'Harbor South  P2' "tmux: typing narrows the list"
tm send-keys -t pick Enter
expect pick 'Commissions: pending, partner Harbor South' "tmux: Enter picks"
tm send-keys -t pick q
expect pick 'EXITED:0' "tmux: q quits"

done_testing
