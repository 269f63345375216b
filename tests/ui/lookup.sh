#!/bin/sh
# lookup.sh - the Referrals tab finds a referrer by any word, accents and
# case folded: a surname, an accent-free spelling, a referred contact's
# e-mail; the count of all matches when more than the 200 shown; at
# 80x24 and 150x45 in script mode, then typed into a real terminal (tmux).
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring" --rule "percent 10" --activate >/dev/null
ally code new --program Spring --customer anna@example.com --name "Anna Tanaka" --vanity ANNA1 >/dev/null
ally code new --program Spring --customer zoe.l@example.com --name "Zoë Lindqvist" --vanity ZOE22 >/dev/null
ally code new --program Spring --customer bo@example.com --name "Bo Tanakawa" --vanity BOBO3 >/dev/null
ally partner add "Harbor North" --email north@harbor.example >/dev/null
ally code new --program Spring --partner "Harbor North" --vanity HARBOR >/dev/null
ally track referral --code HARBOR --email kenji.tanaka@firm.example.org --name "Kenji Tanaka" \
	--at 2026-10-02 >/dev/null
i=0
while [ $i -lt 205 ]; do
	i=$((i + 1))
	ally code new --program Spring --customer "pat$i@bulk.example.com" --name "Pat Many$i" >/dev/null
done

for size in 80x24 150x45; do
	ALLY_UI_SIZE=$size screen <<'KEYS'
key 4
key /
type tanaka
dump
key Esc
key Esc
key /
type zoe
dump
key Esc
key Esc
key /
type kenji.tanaka@firm.example.org
dump
key Enter
dump
key q
key Esc
key /
type pat
dump
KEYS
	is "$rc" 0 "$size: script mode exits 0"
	screen_has 1 'Look up: tanaka +3 found$' "$size: a surname finds three"
	screen_has 1 'R1 +Anna Tanaka +anna@example\.com .*name$' "$size: the whole name word first"
	screen_has 1 'R4 +Harbor North .*contact Kenji Tanaka$' "$size: then the partner whose contact has it"
	screen_has 1 'R3 +Bo Tanakawa ' "$size: then a name that starts with it"
	screen_has 2 'R2 +Zoë Lindqvist +zoe\.l@example\.com' "$size: zoe finds Zoë"
	screen_has 2 'Look up: zoe +1 found$' "$size: and only her"
	screen_has 3 'R4 +Harbor North .*contact Kenji Tanaka$' "$size: a contact's e-mail finds who referred them"
	screen_has 4 'referral +RF1 +Spring +Kenji Tanaka kenji\.tanaka@firm\.' \
		"$size: Enter on the one result opens the timeline"
	screen_has 5 'Look up: pat +205 found, best 200 shown$' "$size: the count of all matches"
	screen_has 5 '200 rows' "$size: the 200 best listed"
done

# --- a real terminal ---
if ! command -v tmux >/dev/null 2>&1; then
	ok "# SKIP tmux is not installed"
	done_testing
fi
sock=ally-lookup-$$
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
tm -f /dev/null new-session -d -s look -x 80 -y 24 \
	"env TERM=tmux-256color ESCDELAY=25 LC_ALL=C.UTF-8 ALLY_DB='$ALLY_DB' ALLY_NOW='$ALLY_NOW' '$ALLY'; echo EXITED:\$?; sleep 30"
expect look '^ Dashboard' "tmux: the TUI starts"
tm send-keys -t look 4 /
tm send-keys -t look -l 'ZOE'
expect look 'R2 +Zoë Lindqvist' "tmux: ZOE typed finds Zoë"
tm send-keys -t look C-u
tm send-keys -t look -l 'tanak'
expect look 'Look up: tanak +3 found' "tmux: the start of a surname finds three"
tm send-keys -t look Escape Escape q
expect look 'EXITED:0' "tmux: q quits"

done_testing
