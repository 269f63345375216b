#!/bin/sh
# hostile.sh - hostile text (issue 9, item 6): control characters, escape
# sequences, invalid UTF-8, right-to-left overrides, C1 controls and
# 10,000-character names.
#
# Input: every path that takes a name refuses control characters (C0, C1 and
# DEL), invalid UTF-8 and names over 200 bytes, with its message and
# nothing written.
#
# C1 controls (U+0080..U+009F: U+009B is the CSI of 8-bit terminals)
# are valid UTF-8 but refused too since issue 12, as is invalid UTF-8 in a
# conversion's external id.
#
# Output: text that may be stored (bidi overrides, zero-width joiners,
# 200-byte CJK and combining names) and raw control bytes (C0, C1,
# invalid UTF-8) written into a copy of data.mdb are shown visibly and
# never raw by every list/show/export format (a table on a terminal, CSV,
# JSON Lines), error messages, commission explain, statements, every TUI
# screen (script-mode dumps: valid UTF-8 line by line, nothing cut inside
# a character, no ESC) and mail (an invitation read back through Python's
# email package: headers encoded, no raw control characters).
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/reliability/lib.sh"
trap 'stop_smtp; rm -rf "$tmp"' EXIT

u() { $PY -c 'import sys; sys.stdout.write(eval(sys.argv[1]))' "$1"; }

# --- the checker: MODE FILE -> "ok" or what is wrong ---
cat >"$tmp/check.py" <<'EOF'
import json, sys
mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
bidi = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
problems = []
for n, line in enumerate(data.split(b"\n"), 1):
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append("line %d: invalid UTF-8 at byte %d: %r" % (n, e.start, line[max(0, e.start - 8):e.start + 8]))
        continue
    for ch in text:
        cp = ord(ch)
        if (cp < 0x20 and ch not in "\t\r") or cp == 0x7F or 0x80 <= cp <= 0x9F:
            problems.append("line %d: raw control U+%04X: %r" % (n, cp, text[:60]))
            break
        if cp in bidi and mode != "csv":
            problems.append("line %d: raw bidi control U+%04X" % (n, cp))
            break
    if mode == "json" and text.strip():
        try:
            json.loads(text)
        except ValueError as e:
            problems.append("line %d: not JSON: %s" % (n, e))
print("; ".join(problems[:3]) if problems else "ok")
EOF

# clean MODE WHAT -- command...: the output of the command passes the checker
clean() {
	_mode=$1 _what=$2
	shift 3
	"$@" >"$tmp/o" 2>"$tmp/e"
	_rc=$?
	_got=$($PY "$tmp/check.py" "$_mode" "$tmp/o")
	_gerr=$($PY "$tmp/check.py" text "$tmp/e")
	if [ "$_got" = ok ] && [ "$_gerr" = ok ] && { [ -s "$tmp/o" ] || [ -s "$tmp/e" ]; }; then
		ok "$_what"
	else
		not_ok "$_what" "exit $_rc; stdout: $_got; stderr: $_gerr" "$(head -c 300 "$tmp/o")"
	fi
}

# on a terminal 60 columns wide (script(1) gives a pty): the table fits
# the screen and is cut by display width
tty_clean() {
	_what=$1
	shift 2
	script -qec "stty cols 60 rows 40; $*" /dev/null </dev/null >"$tmp/o" 2>&1
	_got=$($PY "$tmp/check.py" text "$tmp/o")
	if [ "$_got" = ok ] && [ -s "$tmp/o" ]; then
		ok "$_what"
	else
		not_ok "$_what" "$_got" "$(head -c 300 "$tmp/o")"
	fi
}

ally init --org "Acme" --currency EUR >/dev/null

# ================= input: refused, with the message, nothing written =================
ESC=$(printf '\033[2J\033]0;pwned\007')
BEL=$(printf 'a\007b')
DEL=$(printf 'a\177b')
C1=$(u '"x\u009b31mred"')
BAD=$(printf 'caf\351')
HUGE=$(u '"N" * 10000')
HUGE_CJK=$(u '"\u4e2d" * 10000')
add() {  # add KIND NAME: the command that creates one
	case $1 in
	partner) ally partner add "$2" --email x@partner.example ;;
	program) ally program add "$2" --rule "percent 5" ;;
	tier) ally tier add "$2" --rule "percent 5" ;;
	esac
}
for kind in partner program tier; do
	for v in ESC BEL DEL; do
		eval "val=\$$v"
		bad 65 "ally: $kind add: name: control characters are not allowed" "$kind name with $v" -- \
			add $kind "$val"
	done
	bad 65 "ally: $kind add: name: not valid UTF-8" "$kind name of invalid UTF-8" -- add $kind "$BAD"
	bad 65 "ally: $kind add: name: longer than 200 bytes" "$kind name of 10,000 characters" -- \
		add $kind "$HUGE"
	bad 65 "ally: $kind add: name: longer than 200 bytes" "$kind name of 10,000 CJK characters" -- \
		add $kind "$HUGE_CJK"
done
bad 65 "ally: partner add: contact: control characters are not allowed" "partner contact with ESC" -- \
	ally partner add Fine --email f@partner.example --contact "$ESC"
bad 65 "ally: partner add: notes: control characters are not allowed" "partner notes with ESC" -- \
	ally partner add Fine --email f@partner.example --notes "line 1
line 2 $ESC"

# the longest names accepted: 200 bytes (RTL override, emoji with ZWJ, CJK,
# combining accents); 201 refused
PART=$(u '"\u202eEvil\u202c Zo\u00eb \U0001F469\u200d\U0001F4BB " + "\u4e2d\u6587\u5b57" * 17 + "e\u0301" * 6 + "a"')
PROG=$(u '"\u2067Prog\u2069 " + "e\u0301" * 63')
CUST=$(u '"\u202eCust " + "\u5b57" * 64')
for v in PART PROG CUST; do
	eval "val=\$$v"
	is "$(printf %s "$val" | wc -c | tr -d ' ')" "200" "$v name is 200 bytes"
done
bad 65 "ally: partner add: name: longer than 200 bytes" "a 201-byte name" -- add partner "${PART}x"
# C1 controls are valid UTF-8 but refused like C0 ones (issue 12): U+009B
# is the CSI of 8-bit terminals, U+0085 (NEL) a line break to some mailers
NEL=$(u '"Ann\u0085Lee"')
bad 65 "ally: tier add: name: control characters are not allowed" "a tier name holding U+009B" -- \
	ally tier add "$C1" --rule "percent 7"
bad 65 "ally: partner add: contact: control characters are not allowed" "a contact holding U+0085" -- \
	ally partner add Fine --email f@partner.example --contact "$NEL"
bad 65 "ally: partner add: email: contains a control character" "an e-mail holding U+0085" -- \
	ally partner add Fine --email "$(u '"f\u0085@partner.example"')"
run ally tier add "$(u '"\u2067Silver\u2069 tier"')" --rule "percent 7"
is_rc 0 "a tier name with an isolate is stored"
run ally program add "$PROG" --rule "percent 10" --events purchase --hold 0 --activate
is_rc 0 "a 200-byte program name with combining accents and an isolate"
run ally partner add "$PART" --email evil@partner.example
is_rc 0 "a 200-byte partner name with RTL override, emoji ZWJ sequence and CJK"
like "$out" '^P1 \\u\{202e\}Evil\\u\{202c\} ' "the confirmation shows the override visibly"
ally code new --program "$PROG" --partner P1 --vanity EVIL >/dev/null
run ally track referral --code EVIL --email cust@example.com --name "$CUST" --at 2026-10-01
is_rc 0 "a 200-byte customer name"
# ingest: the JSON escape \u001b decodes to ESC and is refused like one
printf '{"type":"referral","code":"EVIL","email":"e1@example.com","name":"\\u001b[2J"}\n{"type":"referral","code":"EVIL","email":"e2@example.com","name":"a\\u007fb"}\n{"type":"referral","code":"EVIL","email":"e3@example.com","name":"\377"}\n{"type":"referral","code":"EVIL","email":"e4@example.com","name":"%s"}\n' \
	"$HUGE" >"$tmp/bad.jsonl"
snapshot
run ally ingest "$tmp/bad.jsonl"
is_rc 65 "ingest of hostile names"
is "$err" "ally: $tmp/bad.jsonl:1: name: control characters are not allowed
ally: $tmp/bad.jsonl:2: name: control characters are not allowed
ally: $tmp/bad.jsonl:3: not valid JSON: unable to decode byte 0xff near '\"'
ally: $tmp/bad.jsonl:4: name: longer than 200 bytes
ally: ingest: 4 lines, 0 recorded, 0 duplicates, 0 rejected, 4 invalid, ${err##*invalid, }" \
	"each hostile line is refused with its reason"
unchanged "ingest of hostile names"
# a JSON parse error quotes the raw text near it: escaped
printf '{"type":"referral", \033[31m}\n' >"$tmp/esc.jsonl"
run ally ingest "$tmp/esc.jsonl"
like "$err" "near '\\\\e'" "a JSON error near an ESC shows it as \\e"
clean text "the error message of an ESC line is clean" -- ally ingest "$tmp/esc.jsonl"
printf 'name,email\n"A%s",a@b.example\n"%s",b@b.example\n' "$ESC" "$HUGE" >"$tmp/p.csv"
snapshot
run ally import partners "$tmp/p.csv"
is "$err" "ally: $tmp/p.csv:2: record 1: name: control characters are not allowed
ally: $tmp/p.csv:3: record 2: name: longer than 200 bytes
ally: import: 2 invalid rows: nothing was imported
ally: import: 2 lines, 0 recorded, 0 duplicates, 0 rejected, 2 invalid" "CSV import refuses them line by line"
unchanged "CSV import of hostile names"
# not found: the name in the message is escaped
run ally partner show "$ESC"
is "$err" 'ally: partner show: partner "\e[2J\e]0;pwned\x07" not found' "a hostile name in an error is escaped"
clean text "the not-found error of an escape sequence is clean" -- ally partner show "$ESC"
clean text "the not-found error of a 10,000-character name is clean" -- ally partner show "$HUGE_CJK$C1"

# a conversion id is text like any other: invalid UTF-8 and C1 refused
bad 65 "ally: track conversion: id: not valid UTF-8" "a conversion id of invalid UTF-8" -- \
	ally track conversion --code EVIL --email cust@example.com --event purchase --amount 120 \
	--id "$(printf 'ORD-\377\376')" --at 2026-10-02
bad 65 "ally: track conversion: id: control characters are not allowed" "a conversion id holding U+009B" -- \
	ally track conversion --code EVIL --email cust@example.com --event purchase --amount 120 \
	--id "$(u '"ORD-\u009b1"')" --at 2026-10-02
run ally track conversion --code EVIL --email cust@example.com --event purchase --amount 120 \
	--id "ORD-1" --at 2026-10-02
is_rc 0 "a conversion"
run ally track conversion --code EVIL --email cust@example.com --event purchase --amount 80 \
	--id "X$(u '"\u4e2d\u6587" * 21')" --at 2026-10-03
is_rc 0 "a conversion id of 127 bytes of CJK"
ally deal register --partner P1 --company "$CUST" --domain evil.example --value 1000 >/dev/null
ally commission approve C1 >/dev/null
ally tier add "$(u '"\u202eGold " + "\u0915\u094d\u0937" * 20')" --rule "percent 12" >/dev/null

# an invitation in the outbox (sent at the end), to a contact named with
# an RTL override, an emoji ZWJ sequence, a combining diaeresis and CJK
smtp_conf() {
	printf '[smtp]\nurl = smtp://127.0.0.1:%s\nstarttls = off\ntimeout = 5\nfrom = Ally <ally@example.com>\n[portal]\nconnect = ssh portal@ally.example.com\n' \
		"$1" >"$tmp/smtp.conf"
}
smtp_conf 9
CONTACT=$(u '"\u202eMa\u0308x \U0001F469\u200d\U0001F4BB \u4e2d\u6587"')
ally partner edit P1 --contact "$CONTACT" >/dev/null
run ally --config "$tmp/smtp.conf" partner invite P1
is_rc 0 "an invitation to the partner with the RTL and emoji name"

# ================= output =================
# A copy with raw control bytes in a partner name, written into data.mdb
# (no input path accepts them): ESC sequences, invalid UTF-8, C1 CSI, BEL.
ally partner add "InjQZBQZCQZD" --email inj@partner.example >/dev/null
ally code new --program "$PROG" --partner P2 --vanity INJ >/dev/null
ally track referral --code INJ --email c2@example.com --name "Inj Cust" --at 2026-10-04 >/dev/null
ally track conversion --code INJ --email c2@example.com --event purchase --amount 50 --id ZZZ-1 \
	--at 2026-10-05 >/dev/null
run ally partner add "$(u '"C1 \u2066Ltd\u2069"')" --email c1@partner.example --tier T1
is "$out" 'P3 C1 \u{2066}Ltd\u{2069} (active)' "a third partner, of tier T1"
copy_db "$ALLY_DB" "$tmp/inj"
$PY - "$tmp/inj/data.mdb" <<'EOF'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
assert d.count(b"InjQZBQZCQZD") >= 1, "the name is not in the file"
# the record and the audit entry (the index holds the name in lower case)
d = d.replace(b"InjQZBQZCQZD", b"Inj\x1b[2J\xff\xc2\x9b\x07X")  # as long
# a conversion id with a C1 CSI (as long; its index key still sorts last)
assert d.count(b"ZZZ-1") >= 1, "the conversion id is not in the file"
d = d.replace(b"ZZZ-1", b"\xc2\x9bZ-1")
open(p, "wb").write(d)
EOF
run env ALLY_DB="$tmp/inj" "$ALLY" partner show P2
like "$out" 'name: +Inj\\e\[2J\\xff\\u\{9b\}\\x07X$' "the raw bytes are there, shown escaped"
run env ALLY_DB="$tmp/inj" "$ALLY" statement P2 --month 2026-10 --csv
like "$out" ',\\u\{9b\}Z-1,' "a statement's CSV shows a C1 control in a conversion id escaped"

outputs() {  # outputs LABEL: every list/show/export/report on $ALLY_DB
	for what in "partner list" "partner show P1" "partner show P2" "partner show P3" "program list" "program show PG1" \
		"tier list" "code list" "referral list" "referral show RF1" "conversion list" \
		"conversion show CV1" "conversion show CV2" "commission list" "commission show C1" \
		"deal list" "deal show D1" "mail list" "audit list" "payout preview" "report"; do
		# shellcheck disable=SC2086
		clean text "$1: $what (table)" -- ally $what
		case $what in *show* | report | "payout preview") ;; *)
			# shellcheck disable=SC2086
			clean csv "$1: $what --csv" -- ally $what --csv
			# shellcheck disable=SC2086
			clean json "$1: $what --json" -- ally $what --json ;;
		esac
		case $what in *list) tty_clean "$1: $what on a 60-column terminal" -- "$ALLY" $what ;; esac
	done
	clean json "$1: report --json" -- ally report --json
	for kind in programs partners tiers codes referrals conversions commissions deals audit; do
		clean csv "$1: export $kind" -- ally export "$kind"
		clean json "$1: export $kind --json" -- ally export "$kind" --json
	done
	for c in C1 C2 C3; do
		clean text "$1: commission explain $c" -- ally commission explain $c
	done
	for p in P1 P2 P3; do
		clean text "$1: statement $p" -- ally statement $p --month 2026-10
		clean csv "$1: statement $p --csv" -- ally statement $p --month 2026-10 --csv
	done
}
outputs "names"
ALLY_DB=$tmp/inj outputs "raw bytes"
# raw bytes in the copy are escaped in CSV and JSON too, the same way
run env ALLY_DB="$tmp/inj" "$ALLY" partner list --csv
like "$out" 'P2,Inj\\e\[2J\\xff\\u\{9b\}\\x07X,' "CSV shows raw bytes escaped"
run env ALLY_DB="$tmp/inj" "$ALLY" partner list --json
like "$out" '"name":"Inj\\\\e\[2J\\\\xff\\\\u\{9b\}\\\\x07X"' "JSON shows raw bytes escaped"
# JSON escapes bidi overrides: the same text for a JSON reader
run ally partner list --json
like "$out" '"name":"\\u202eEvil\\u202c Zo' "JSON writes U+202E as \\u202e"
is "$(printf '%s\n' "$out" | $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["name"] == sys.argv[1])' "$PART")" \
	True "the JSON decodes to the stored name"
# statements: the title escaped, a CJK conversion id cut by width
run ally statement P1 --month 2026-10
like "$out" '^Statement 2026-10, \\u\{202e\}Evil\\u\{202c\} ' "a statement's title shows the override"
like "$out" 'C[0-9]+ +2026-10-03 commission pending   X(中文){4}中 +8\.00' \
	"a long CJK conversion id is cut at a character, padded by width"
run env ALLY_DB="$tmp/inj" "$ALLY" statement P2 --month 2026-10
like "$out" '^Statement 2026-10, Inj\\e\[2J\\xff\\u\{9b\}\\x07X \(P2\)' "raw bytes in a statement title are escaped"

# ================= TUI: every screen =================
tui_all() {  # tui_all LABEL SIZE
	cat >"$tmp/script" <<'KEYS'
dump
key 2
dump
key Enter
dump
key Esc
key 3
dump
key Enter
dump
key Esc
key 4
key /
type EVIL
dump
key Enter
key Enter
dump
key Esc
key 5
dump
key Enter
dump
key Esc
key 6
dump
key Enter
dump
key Esc
key p
dump
key Esc
key 7
dump
key 8
dump
key 9
dump
key ?
dump
KEYS
	rm -f "$tmp/dump"
	ALLY_UI_SIZE=$2 ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" >/dev/null 2>"$tmp/tui.err"
	is "$?" 0 "$1: TUI at $2 exits 0"
	n=$(grep -c '^=== dump' "$tmp/dump")
	is "$n" "$(grep -c '^dump' "$tmp/script")" "$1: TUI at $2: every screen dumped ($n)"
	is "$($PY "$tmp/check.py" text "$tmp/dump")" ok "$1: TUI at $2: every line valid UTF-8, no ESC, no raw control or bidi character"
}
tui_all "names" 80x24
tui_all "names" 120x30
grep -q '\\u{202e}Evil' "$tmp/dump" && ok "the TUI shows the override as \\u{202e}" ||
	not_ok "the TUI shows the override as \\u{202e}"
ALLY_DB=$tmp/inj tui_all "raw bytes" 80x24
like "$(cat "$tmp/dump")" 'Inj\\e\[2J' "the TUI shows raw ESC as \\e"

# ================= mail =================
if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
	ok "# SKIP mail: needs python3-aiosmtpd"
else
	start_smtp "$tmp/Maildir"
	smtp_conf "$port"
	run ally --config "$tmp/smtp.conf" mail send
	is_rc 0 "mail send"
	stop_smtp
	cat >"$tmp/mail.py" <<'EOF'
import email, email.policy, glob, sys
bad = []
paths = sorted(glob.glob(sys.argv[1] + "/new/*"))
if len(paths) != 1:
    bad.append("%d messages" % len(paths))
for path in paths:
    raw = open(path, "rb").read()
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if any(b > 0x7E or (b < 0x20 and b != 9) for b in line):
            bad.append("raw header byte in %r" % line[:60])
        if len(line) > 998:
            bad.append("header line of %d octets" % len(line))
    for b in raw:
        if (b < 0x20 and b not in (9, 10, 13)) or b == 0x7F:
            bad.append("raw control byte 0x%02x" % b)
            break
    m = email.message_from_bytes(raw, policy=email.policy.default)
    to = m["to"].addresses[0]
    print("to=" + to.display_name)
    for part in m.walk():
        if part.get_content_maintype() == "text":
            body = part.get_content()
            for ch in body:
                if (ord(ch) < 0x20 and ch not in "\t\n\r") or 0x80 <= ord(ch) <= 0x9F:
                    bad.append("control U+%04X in the %s body" % (ord(ch), part.get_content_type()))
                    break
            if part.get_content_type() == "text/plain":
                print("hello=" + [l for l in body.splitlines() if l.startswith("Hello")][0])
            if "\u202e" in body:
                bad.append("raw U+202E in the %s body" % part.get_content_type())
print("problems=" + ("; ".join(bad) if bad else "none"))
EOF
	$PY "$tmp/mail.py" "$tmp/Maildir" >"$tmp/mail.out" 2>&1
	like "$(cat "$tmp/mail.out")" "problems=none" "the invitation: headers encoded (ASCII, under 998 octets), no raw control or bidi characters"
	is "$(sed -n 's/^to=//p' "$tmp/mail.out")" "$CONTACT" \
		"the To name decodes to the contact's name"
	like "$(cat "$tmp/mail.out")" 'hello=Hello \\u\{202e\}Ma' "the body shows the override visibly"
	sed 's/^/# /' "$tmp/mail.out"
fi

done_testing
