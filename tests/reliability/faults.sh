#!/bin/sh
# faults.sh - resource faults: a full map (grows and carries on), a full
# disk (a 4 MB tmpfs: exit 74, nothing committed lost, fine once space is
# freed), a read-only database for a writer while a reader still reads, a
# lock file the reader may not write, a database from a newer schema
# (exit 78), and damaged data files (ally check refuses them; a backup
# restores).  Parts that need root or mount(2) are skipped without them.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/reliability/lib.sh"

mnt=""
cleanup() {
	for m in $mnt; do umount "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# summary: what a user sees of the ledger (ids included).
summary() {
	ally export referrals --csv
	ally export conversions --csv
	ally commission list --json
	ally partner list --csv
}

gen_events 3000 | sed 's/CODE[2-5]/CODE1/' >"$tmp/e.jsonl"
gen_events 3000 z | sed 's/CODE[2-5]/CODE1/' >"$tmp/z.jsonl"

# The reference: the same work with the default map.
base_db "$tmp/ref"
ally ingest "$tmp/e.jsonl" >/dev/null 2>&1
summary >"$tmp/ref.sum"

# ================= map full =================
(
	export ALLY_MAP_INITIAL=65536
	base_db "$tmp/small"
	ally ingest "$tmp/e.jsonl" >/dev/null 2>"$tmp/map.err"
	echo $? >"$tmp/map.rc"
	summary >"$tmp/small.sum"
	mdb_stat -e "$tmp/small" | sed -n 's/^ *Map size: //p' >"$tmp/map1"
	# Two writers growing the same small map at once.
	base_db "$tmp/small2"
	ally ingest "$tmp/e.jsonl" >/dev/null 2>&1 &
	p=$!
	ally ingest "$tmp/z.jsonl" >/dev/null 2>&1
	echo $? >"$tmp/map2.rc"
	wait $p
	echo $? >>"$tmp/map2.rc"
	ally export referrals --csv | sed 1d | wc -l >"$tmp/map2.n"
	ally check >"$tmp/map2.check" 2>&1
)
is "$(cat "$tmp/map.rc")" 0 "ingest into the 64 KiB map succeeds"
like "$(cat "$tmp/map1")" '^[0-9]{7,}$' "the map grew from 64 KiB to $(cat "$tmp/map1") bytes"
is "$(cmp "$tmp/small.sum" "$tmp/ref.sum" && echo same)" same "growing the map changed nothing of the result"
is "$(tr '\n' ' ' <"$tmp/map2.rc")" "0 0 " "two writers growing one small map at once both succeed"
is "$(cat "$tmp/map2.n") $(cat "$tmp/map2.check")" "6000 ok: no problems found" "and all 6000 referrals are there"

# ================= disk full =================
if [ "$(id -u)" -ne 0 ] || ! mkdir -p "$tmp/mnt" || ! mount -t tmpfs -o size=4m tmpfs "$tmp/mnt" 2>/dev/null; then
	skip "disk full: needs root and mount -t tmpfs"
else
	mnt="$mnt $tmp/mnt"
	base_db "$tmp/mnt/db"
	head -600 "$tmp/z.jsonl" >"$tmp/z600.jsonl"
	ally ingest "$tmp/z600.jsonl" >/dev/null 2>&1
	summary >"$tmp/before.sum"
	# Fill the disk but for a few hundred KB.
	dd if=/dev/zero of="$tmp/mnt/filler" bs=64k count=80 2>/dev/null
	snapshot
	run ally ingest "$tmp/e.jsonl"
	is_rc 74 "ingest on a full disk"
	like "$err" "ally: ingest: commit to $tmp/mnt/db: disk full \\(nothing of this action was saved\\)" \
	    "a full disk is named as such"
	run ally check
	is "$rc $out" "0 ok: no problems found" "ally check after the failed commit"
	summary >"$tmp/after.sum"
	# Whole batches of e.jsonl may have landed before the disk filled up;
	# everything committed before is still there.
	is "$(diff "$tmp/before.sum" "$tmp/after.sum" | grep -c '^<')" 0 "nothing committed before was lost"
	run ally partner add "Small Write" --email small@example.com
	is_rc 0 "a small write still fits"
	rm -f "$tmp/mnt/filler"
	run ally ingest "$tmp/e.jsonl"
	is_rc 0 "once space is freed, the same ingest completes"
	run ally check
	is "$rc $out" "0 ok: no problems found" "ally check after the retry"
	is "$(ally export referrals --csv | sed 1d | wc -l)" 3500 "every referral recorded once"
	umount "$tmp/mnt" && mnt=""
fi

# ================= read-only database =================
mkdir -p "$tmp/ro"
base_db "$tmp/ro/db"
ally ingest "$tmp/e.jsonl" >/dev/null 2>&1
if [ "$(id -u)" -eq 0 ]; then
	# Root ignores file modes: a read-only bind mount instead.
	mkdir -p "$tmp/ro/view"
	if mount --bind "$tmp/ro/db" "$tmp/ro/view" 2>/dev/null && mount -o remount,ro,bind "$tmp/ro/view" 2>/dev/null; then
		mnt="$mnt $tmp/ro/view"
		view=$tmp/ro/view
	else
		umount "$tmp/ro/view" 2>/dev/null
		view=""
	fi
else
	chmod a-w "$tmp/ro/db" "$tmp/ro/db/data.mdb"
	view=$tmp/ro/db
fi
if [ -z "$view" ]; then
	skip "read-only database: cannot make one here"
else
	ALLY_DB=$view
	run ally partner add Nope --email nope@example.com
	like "$rc" '^(73|77)$' "a writer on a read-only database is refused (exit $rc)"
	like "$err" "^ally: partner add: open $view: (read-only file system|permission denied)$" "with a clear message"
	run ally referral list --limit 1
	is_rc 0 "a reader still reads the read-only database"
	run ally check
	is "$rc $out" "0 ok: no problems found" "ally check on the read-only database"
	ALLY_DB=$tmp/ro/db
	[ "$(id -u)" -eq 0 ] && umount "$view"
	chmod u+w "$tmp/ro/db" "$tmp/ro/db/data.mdb"
fi

# A reader that may not write lock.mdb (another user, files made with
# umask 022): refused with a message, not a crash.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$tmp" "$tmp/ro" "$tmp/ro/db"
	chmod 644 "$tmp/ro/db/data.mdb" "$tmp/ro/db/lock.mdb"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$ALLY" --db "$tmp/ro/db" referral list
	is_rc 77 "a reader without write access to lock.mdb"
	is "$err" "ally: referral list: open $tmp/ro/db: permission denied" "is told permission was denied"
	chmod 700 "$tmp"
else
	skip "lock file permissions: needs root and setpriv"
fi

# ================= newer schema =================
copy_db "$tmp/ref" "$tmp/new"
printf 'VERSION=3\nformat=print\ntype=btree\nHEADER=END\n schema\n \\02\\00\\00\\00\nDATA=END\n' |
    mdb_load -s meta "$tmp/new"
ALLY_DB=$tmp/new
run ally referral list
snapshot        # after the first open: mdb_load made lock.mdb with 126 readers
is_rc 78 "a database of schema 2 is refused"
err_is "ally: referral list: open $tmp/new: database schema 2 is newer than this ally knows (1): upgrade ally" \
    "a newer schema"
run ally partner add Later --email later@example.com
is_rc 78 "a writer is refused too"
unchanged "a newer schema"

# ================= damaged files =================
ALLY_DB=$tmp/ref
run ally backup "$tmp/backup.mdb"
is_rc 0 "ally backup"
# Logical damage: an index entry pointing at no record.
copy_db "$tmp/ref" "$tmp/bad"
printf 'VERSION=3\nformat=print\ntype=btree\nHEADER=END\n \\00\\00\\00\\00\\00\\00\\00\\01nobody@nowhere.example\\00\\00\\00\\00\\00\\00\\00\\ff\\ff\n \nDATA=END\n' |
    mdb_load -s ix.referral.contact "$tmp/bad" 2>"$tmp/load.err"
ALLY_DB=$tmp/bad
run ally check
is_rc 65 "ally check refuses a database with a stale index entry"
like "$out" 'ix\.referral\.contact' "and names the index"
# Both meta pages damaged: not an LMDB file any more.
copy_db "$tmp/ref" "$tmp/bad"
$PY -c 'import sys
f = open(sys.argv[1], "r+b")
for off in (16, 4096 + 16):
    f.seek(off); f.write(b"\xa5" * 64)' "$tmp/bad/data.mdb"
run ally check
like "$rc" '^(65|66)$' "ally check refuses a file whose meta pages are damaged (exit $rc)"
like "$err" "^ally: check: open $tmp/bad: " "with a message naming the database"
# Random damage to one page at a time: detected (refused, or LMDB crashed
# reading it: LMDB 0.9 has no page checksums) or unseen (a free page).
pages=$(($(wc -c <"$tmp/ref/data.mdb") / 4096))
detected=0 unseen=0 crashed=0 i=0
while [ $i -lt 12 ]; do
	i=$((i + 1))
	copy_db "$tmp/ref" "$tmp/bad"
	rnd $((pages - 2))
	$PY -c 'import os, sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2]) * 4096 + 16); f.write(os.urandom(256))' \
	    "$tmp/bad/data.mdb" $((R + 2))
	"$ALLY" check >/dev/null 2>&1
	case $? in
	0) unseen=$((unseen + 1)) ;;
	# 77: the damage hit the users' page, so the caller cannot be found
	# among the users and is refused before anything is read (a clean
	# refusal, not a crash; about 2 runs in 100)
	65 | 66 | 70 | 74 | 77) detected=$((detected + 1)) ;;
	*) crashed=$((crashed + 1)) ;;
	esac
done
echo "# random page damage: $detected detected, $unseen unseen, $crashed crashed"
# ally check reads in a child process, so a crash inside LMDB becomes a
# verdict (exit 65, "the data file is damaged") instead of a crash.
is "$crashed" 0 "random page damage never crashes ally check ($detected detected, $unseen in unused pages)"
# The backup restores a clean database.
mkdir -p "$tmp/restored"
cp "$tmp/backup.mdb" "$tmp/restored/data.mdb"
ALLY_DB=$tmp/restored
run ally check
is "$rc $out" "0 ok: no problems found" "the backup restores a clean database"
summary >"$tmp/restored.sum"
is "$(cmp "$tmp/restored.sum" "$tmp/ref.sum" && echo same)" same "with every record"
done_testing
