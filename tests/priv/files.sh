#!/bin/sh
# files.sh - outputs and the audit key without any special account: every
# output (export --output, ingest --rejects, backup, payout CSVs) is made
# as a temporary file beside the target and renamed, honours the umask and
# is never written through a symbolic link; a keyed database whose key is
# missing refuses writes and says so; ally check warns about loose modes.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Acme --email ann@acme.example >/dev/null
ally program add Spring --rule "flat 10.00" --events purchase --window 365 --activate >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally track referral --code ACME --email carol@example.com --at 2026-09-01 >/dev/null
ally track conversion --code ACME --email carol@example.com --event purchase --amount 100 \
    --id O1 --at 2026-09-02 >/dev/null
ally commission approve C1 >/dev/null
is "$(stat -c %a "$ALLY_DB/audit.key")" 640 "ally init makes the audit key, 0640"

# ---- outputs honour the umask and replace the target whole ----
run sh -c "umask 022; exec \"$ALLY\" export referrals --output \"$tmp/r.csv\""
is_rc 0 "export --output with umask 022"
is "$(stat -c %a "$tmp/r.csv")" 644 "umask 022 gives 0644 (not mkstemp's 0600)"
run sh -c "umask 077; exec \"$ALLY\" export referrals --output \"$tmp/r.csv\""
is "$(stat -c %a "$tmp/r.csv")" 600 "umask 077 gives 0600"
like "$(cat "$tmp/r.csv")" 'carol@example.com' "the file was replaced with the export"
is "$(ls -A "$tmp" | grep -c '^r\.csv\.tmp\.')" 0 "no temporary file is left beside it"

# ---- never through a symbolic link ----
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link.csv"
bad 73 "ally: export: $tmp/link.csv: a symbolic link: not written through it" \
    "export --output to a symbolic link" -- ally export referrals --output "$tmp/link.csv"
is "$(cat "$tmp/victim")" precious "export: the link's target is untouched"
printf '{"type":"bogus"}\n' >"$tmp/bad.jsonl"
bad 73 "ally: ingest: --rejects $tmp/link.csv: a symbolic link: not written through it" \
    "ingest --rejects to a symbolic link" -- ally ingest "$tmp/bad.jsonl" --rejects "$tmp/link.csv"
bad 73 "ally: backup: backup $tmp/link.csv: a symbolic link: not written through it" \
    "backup to a symbolic link" -- ally backup "$tmp/link.csv"
sum=$(ally payout preview --cutoff 2026-10-31 | sed -n 's/^checksum: //p')
bad 73 "ally: payout run: csv: $tmp/link.csv: a symbolic link: not written through it" \
    "payout run --output to a symbolic link" -- \
    ally payout run --cutoff 2026-10-31 --confirm "$sum" --output "$tmp/link.csv"
is "$(cat "$tmp/victim")" precious "the link's target is still untouched"
[ -L "$tmp/link.csv" ] && ok "the link itself is left alone" || not_ok "the link itself is left alone"
mkdir "$tmp/adir"
bad 73 "ally: export: $tmp/adir: not a regular file" "export --output to a directory" -- \
    ally export referrals --output "$tmp/adir"
run sh -c "umask 027; exec \"$ALLY\" payout run --cutoff 2026-10-31 --confirm \"$sum\""
is_rc 0 "payout run to the default CSV beside the database"
csv=$(ls "$ALLY_DB"/payout-*.csv)
is "$(stat -c %a "$csv")" 640 "the default payout CSV: 0660 less the umask"

# ---- the audit key ----
run ally audit verify
is_rc 0 "audit verify"
like "$out" '^ok: [0-9]+ entries verified, audit chain intact$' "verify counts the entries"
mv "$ALLY_DB/audit.key" "$tmp/audit.key.saved"
bad 78 "ally: partner add: audit key $ALLY_DB/audit.key: No such file or directory: the audit chain is keyed, so nothing is written without the key (restore it)" \
    "a write without the key" -- ally partner add Beta --email bob@beta.example
[ -e "$ALLY_DB/audit.key" ] && not_ok "no new key is made for a keyed chain" || ok "no new key is made for a keyed chain"
run ally audit verify
is_rc 78 "verify without the key"
like "$err" "^ally: audit verify: audit key $ALLY_DB/audit.key: No such file or directory: entries from A1 on are keyed and cannot be verified without it$" \
    "verify says the key is missing"
run ally partner list
is_rc 0 "reading works without the key"
mv "$tmp/audit.key.saved" "$ALLY_DB/audit.key"
chmod 0644 "$ALLY_DB/audit.key"
bad 78 "ally: partner add: audit key $ALLY_DB/audit.key: others may read or write it (mode 0644): chmod o= it" \
    "a world-readable key is refused" -- ally partner add Beta --email bob@beta.example
chmod 0640 "$ALLY_DB/audit.key"
run ally partner add Beta --email bob@beta.example
is_rc 0 "with the key back, writes work"

# [audit] key: checked in any file, honoured only in /etc/ally/ally.conf
printf '[audit]\nkey = audit.key\n' >"$tmp/rel.conf"
bad 78 "ally: mail send: $tmp/rel.conf:2: [audit] key: \"audit.key\" must be an absolute path" \
    "[audit] key must be absolute" -- ally --config "$tmp/rel.conf" mail send
printf '[audit]\nkey = %s/mine.key\n[smtp]\nurl = smtp://127.0.0.1:1\n' "$tmp" >"$tmp/mine.conf"
run ally --config "$tmp/mine.conf" partner add Cara --email cara@example.com
is_rc 0 "a user's [audit] key is accepted"
[ -e "$tmp/mine.key" ] && not_ok "and ignored: no key is made there" || ok "and ignored: no key is made there"
run ally audit verify
is_rc 0 "the chain still verifies with the database's key"

# ---- ally check and file modes ----
chmod 0750 "$ALLY_DB"
run ally check
is_rc 0 "check"
is "$err" "" "no warning for a 0750 directory with 0640 files"
chmod o+rw "$ALLY_DB/data.mdb"
chmod o+rx "$ALLY_DB"
run ally check
is_rc 0 "check with loose modes exits 0: warnings only"
like "$err" "^ally: check: warning: $ALLY_DB: others may enter or list the database directory: chmod o= it \\(mode 0755\\)" \
    "check warns about the directory"
like "$err" "ally: check: warning: $ALLY_DB/data.mdb: others may read or write this file: chmod o= it \\(mode 0646\\)" \
    "check warns about data.mdb"
is "$out" "ok: no problems found" "and still finds no problem in the data"

done_testing
