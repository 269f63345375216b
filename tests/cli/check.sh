#!/bin/sh
# check.sh - ally check on fresh and demo databases; ally backup and a
# check of the copy.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

counts() {  # counts DIR: rows of each export, one line
	for what in programs partners tiers codes referrals conversions refunds; do
		printf '%s=%s ' "$what" "$("$ALLY" --db "$1" export "$what" --json | wc -l | tr -d ' ')"
	done
}

# ---- a fresh database ----

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
run ally check
is_rc 0 "check on a fresh database"
is "$out" "ok: no problems found" "check says so"
is "$err" "" "check writes nothing on stderr"
bad 0 '' "check changes nothing" -- sh -c '"$0" check >/dev/null' "$ALLY"

ally program add Spring --rule "percent 10" --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally track referral --code ACME --email dan@example.com --at 2026-10-01 >/dev/null
ally track conversion --code ACME --email dan@example.com --event purchase --amount 100 --id O-1 \
    --at 2026-10-02 >/dev/null
ally track refund --program Spring --id O-1 --amount 30 --at 2026-10-03 >/dev/null
run ally check
is_rc 0 "check after a few events"
bad 64 'ally: check: unexpected argument "extra" (see ally check --help)' "check with an argument" -- \
    ally check extra

# ---- a demo database ----

demo=$tmp/demo
run ally --db "$demo" demo --size 2000
is_rc 0 "demo --size 2000"
like "$out" "^created a demo database in $demo: [0-9]+ programs, [0-9]+ partners, 2000 referrals, [0-9]+ conversions" \
    "demo says what it made"
run ally --db "$demo" check
is_rc 0 "check on the demo database"
is "$out" "ok: no problems found" "the demo database has no problems"
run ally --db "$demo" referral list --csv
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" "2000" "the demo has 2000 referrals"
run ally --db "$demo" demo --size 10
is_rc 65 "demo into an existing database"
bad 64 'ally: demo: --size: expected a whole number (see ally demo --help)' "demo --size x" -- \
    ally --db "$tmp/demo2" demo --size x
is "$(ls "$tmp/demo2" 2>/dev/null)" "" "demo --size x creates nothing"

# ---- backup ----

run ally --db "$demo" backup "$tmp/backup.mdb"
is_rc 0 "backup"
is "$out" "wrote $tmp/backup.mdb" "backup says where"
[ -s "$tmp/backup.mdb" ] && ok "the backup file is there" || not_ok "the backup file is there"
mkdir "$tmp/copy"
cp "$tmp/backup.mdb" "$tmp/copy/data.mdb"
run ally --db "$tmp/copy" check
is_rc 0 "check on the backup copy"
is "$out" "ok: no problems found" "the copy has no problems"
want=$(counts "$demo")
is "$(counts "$tmp/copy")" "$want" "the copy holds the same records"
case $want in
*"referrals=2000 "*) ok "the counts are real" ;;
*) not_ok "the counts are real" "got: $want" ;;
esac
is "$("$ALLY" --db "$tmp/copy" export conversions --json | sha256sum)" \
    "$("$ALLY" --db "$demo" export conversions --json | sha256sum)" "the copy's conversions are identical"

run ally backup "$tmp/small.mdb"
is_rc 0 "backup of the small database"
mkdir "$tmp/copy2"
cp "$tmp/small.mdb" "$tmp/copy2/data.mdb"
is "$(counts "$tmp/copy2")" "$(counts "$ALLY_DB")" "the small copy holds the same records"
run ally --db "$tmp/copy2" check
is_rc 0 "check on the small copy"

bad 73 "ally: backup: backup $tmp/nonexistent/x.mdb: No such file or directory" \
    "backup into a missing directory" -- ally backup "$tmp/nonexistent/x.mdb"
if [ "$(id -u)" != 0 ]; then
	mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
	run ally backup "$tmp/ro/x.mdb"
	is_rc 73 "backup into a read-only directory"
else
	snapshot
	run ally backup /proc/x.mdb
	is_rc 73 "backup to an unwritable path"
	like "$err" '^ally: backup: backup /proc/x.mdb: [A-Z]' "backup to an unwritable path says why"
	unchanged "backup to an unwritable path"
fi
bad 64 'ally: backup: missing FILE (see ally backup --help)' "backup without a file" -- \
    ally backup

done_testing
