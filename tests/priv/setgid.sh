#!/bin/sh
# setgid.sh - privilege separation for real: a system group, two throwaway
# Unix accounts (an admin and a support user), ally installed setgid with
# the install-exec-hook of ./configure --with-group, and a shared database
# directory 2770 root:GROUP.  Shows that the support account cannot read
# data.mdb, cannot act as root through ALLY_USER or an LD_PRELOAD shim;
# that the admin's actions are logged under the real account; that a
# re-chained copy of data.mdb fails ally audit verify; that paths a person
# names are opened with their own rights and outputs never follow a link.
# Needs root (it adds and removes the group and the accounts); skips
# otherwise.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

skip() { echo "1..0 # SKIP $1"; exit 0; }
[ "$(id -u)" = 0 ] || skip "not root: the test adds a group and two Unix accounts"
for p in useradd userdel groupadd groupdel setpriv gcc mdb_dump mdb_load python3 getent findmnt make; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done
grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status && skip "no_new_privs is set: setgid cannot take effect"

builddir=$(cd "$(dirname "$ALLY")/.." && pwd)
# the accounts must reach the binary and the database, and setgid must work
base=$tmp
if findmnt -T "$base" -no OPTIONS | grep -qw nosuid; then
	base=$(mktemp -d "$builddir/tests/priv-tmp.XXXXXX")
fi
chmod 0755 "$tmp" "$base"
grp=allyt-$$
adm=allyt-adm-$$
sup=allyt-sup-$$
cleanup() {
	userdel "$adm" 2>/dev/null
	userdel "$sup" 2>/dev/null
	groupdel "$grp" 2>/dev/null
	[ "$base" != "$tmp" ] && rm -rf "$base"
	rm -rf "$tmp"
}
trap cleanup EXIT
groupadd --system "$grp" || skip "groupadd failed"
useradd -M -d "$base/home-$adm" -s /bin/sh "$adm" && useradd -M -d "$base/home-$sup" -s /bin/sh "$sup" ||
    skip "useradd failed"
mkdir -m 0700 "$base/home-$adm" "$base/home-$sup"
chown "$adm:" "$base/home-$adm"
chown "$sup:" "$base/home-$sup"

# as USER CMD...: run CMD with USER's real and effective ids (and groups)
as() {
	local who=$1
	shift
	(cd "$base/home-$who" && setpriv --reuid "$who" --regid "$(id -g "$who")" --init-groups -- "$@")
}
db_hash() { mdb_dump -a "$db" 2>/dev/null | sha256sum | cut -d' ' -f1; }

# ---- make install with the group ----
inst=$base/prefix
run make -s -C "$builddir" install-exec bindir="$inst/bin" ALLY_GROUP="$grp"
is_rc 0 "make install-exec with ALLY_GROUP (the --with-group hook)"
like "$out" "installed $inst/bin/ally setgid $grp, mode 2755" "the hook says what it did"
bin=$inst/bin/ally
is "$(stat -c '%a %U %G' "$bin")" "2755 root $grp" "the binary is 2755 root:$grp"
run make -s -C "$builddir" install-exec bindir="$base/prefix2/bin" ALLY_GROUP=allyt-none-$$
[ "$rc" != 0 ] && ok "install with a group that does not exist fails" || not_ok "install with a group that does not exist fails"
like "$err" "ally: install: group allyt-none-$$ does not exist \\(groupadd --system allyt-none-$$\\)" \
    "and says which group to add"

# ---- the shared database, 2770 root:GROUP, set up by root ----
db=$base/db
mkdir "$db" && chgrp "$grp" "$db" && chmod 2770 "$db"
unset ALLY_DB
export ALLY_NOW=2026-10-15T12:00:00Z
A() { "$bin" --db "$db" "$@"; }
A init --org Acme >/dev/null || { echo "Bail out! ally init as root failed"; exit 1; }
A user add "$adm" --role admin >/dev/null
A user add "$sup" --role support >/dev/null
A partner add Acme --email ann@acme.example >/dev/null
A program add Spring --rule "flat 10.00" --events purchase --window 365 --activate >/dev/null
A code new --program Spring --partner Acme --vanity ACME >/dev/null
A track referral --code ACME --email carol@example.com --at 2026-09-01 >/dev/null
A track conversion --code ACME --email carol@example.com --event purchase --amount 100 \
    --id O1 --at 2026-09-02 >/dev/null
A track conversion --code ACME --email carol@example.com --event purchase --amount 100 \
    --id O2 --at 2026-09-03 >/dev/null
line=$(A commission list --json | sed -n 's/^{"id":"\(C[0-9]*\)".*/\1/p' | head -1)
line2=$(A commission list --json | sed -n 's/^{"id":"\(C[0-9]*\)".*/\1/p' | sed -n 2p)
[ -n "$line" ] && [ -n "$line2" ] || { echo "Bail out! no commission lines to approve"; exit 1; }
unset ALLY_NOW
is "$(stat -c '%a %G' "$db/data.mdb")" "660 $grp" "data.mdb is 0660 root:$grp"
is "$(stat -c '%a %G' "$db/audit.key")" "640 $grp" "audit.key is 0640, the group's"

# ---- the support account ----
run as "$sup" cat "$db/data.mdb"
[ "$rc" != 0 ] && ok "support cannot read data.mdb directly" || not_ok "support cannot read data.mdb directly"
run as "$sup" cat "$db/audit.key"
[ "$rc" != 0 ] && ok "support cannot read the audit key" || not_ok "support cannot read the audit key"
run as "$sup" "$bin" --db "$db" commission list
is_rc 0 "support reads commissions through setgid ally"
like "$out" "$line" "and sees the pending line"

h=$(db_hash)
run as "$sup" env ALLY_USER=root "$bin" --db "$db" commission approve "$line"
is_rc 77 "support with ALLY_USER=root cannot approve"
like "$err" "^ally: .*you \\($sup, support\\) may not" "the refusal names the real account"
is "$(db_hash)" "$h" "ALLY_USER=root: database unchanged"

cat >"$base/shim.c" <<'C'
#include <sys/types.h>
uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
C
gcc -shared -fPIC -o "$base/shim.so" "$base/shim.c" && chmod 0755 "$base/shim.so"
is "$(as "$sup" env LD_PRELOAD="$base/shim.so" id -u)" 0 "the shim makes an ordinary program see uid 0"
run as "$sup" env LD_PRELOAD="$base/shim.so" ALLY_USER=root "$bin" --db "$db" commission approve "$line"
is_rc 77 "support with an LD_PRELOAD shim cannot approve"
like "$err" "you \\($sup, support\\) may not" "the shim did not change who ally sees"
is "$(db_hash)" "$h" "LD_PRELOAD shim: database unchanged"

# ---- the admin: acts, and is logged as the real account ----
run as "$adm" env ALLY_USER=root ALLY_NOW=2020-01-01T00:00:00Z "$bin" --db "$db" commission approve "$line"
is_rc 0 "the admin approves"
run "$bin" --db "$db" audit list --json
entry=$(printf '%s\n' "$out" | grep -F '"action":"commission approve' | head -1)
like "$entry" "\"actor\":\"$adm\"" "the audit log names the real account, not ALLY_USER"
unlike "$entry" '2020-01-01' "ALLY_NOW is ignored for a setgid run by someone else"
run "$bin" --db "$db" audit verify
is_rc 0 "the chain verifies"
like "$out" '^ok: [0-9]+ entries verified, audit chain intact$' "verify counts the entries"

# ---- a re-chained copy fails verify ----
mkdir "$base/copy"
cp -p "$db/data.mdb" "$db/audit.key" "$base/copy/"
run python3 "$top_srcdir/tests/priv/rechain.py" "$base/copy" "\"decided_by\":\"$adm\"" "\"decided_by\":\"$sup\""
is_rc 0 "re-chain an edited copy with plain SHA-256, as an attacker without the key would"
edited=$out
run "$bin" --db "$base/copy" audit verify
is_rc 65 "the re-chained copy fails audit verify"
err_is "ally: audit verify: audit entry $edited was changed after it was written (hash differs)" \
    "verify names the edited entry"
cp -p "$db/data.mdb" "$base/copy/"
python3 "$top_srcdir/tests/priv/rechain.py" "$base/copy" "\"decided_by\":\"$adm\"" "\"decided_by\":\"$sup\"" --unkey >/dev/null
run "$bin" --db "$base/copy" audit verify
is_rc 65 "re-chained and marked unkeyed: still fails"
like "$err" "audit.key exists but no entry is keyed: the chain was rewritten" "verify says the chain was rewritten"
rm "$base/copy/audit.key"
run "$bin" --db "$base/copy" audit verify
is_rc 0 "without its key the same copy passes as an unkeyed chain (the re-chaining is real)"
like "$out" "not keyed yet" "and verify says it is not keyed"

# ---- paths a person names: their rights, never through a link ----
printf '[smtp]\nurl = smtp://127.0.0.1:1\n' >"$base/group.conf"
chgrp "$grp" "$base/group.conf" && chmod 0640 "$base/group.conf"
h=$(db_hash)
run as "$adm" "$bin" --db "$db" --config "$base/group.conf" mail send
is_rc 78 "--config readable by the group but not the person is refused"
err_is "ally: mail send: $base/group.conf: Permission denied" "--config is opened with the person's rights"
is "$(db_hash)" "$h" "--config refused: database unchanged"

ln -s "$db/data.mdb" "$base/home-$adm/out.csv"
run as "$adm" "$bin" --db "$db" export referrals --output "$base/home-$adm/out.csv"
is_rc 73 "export to a symbolic link"
err_is "ally: export: $base/home-$adm/out.csv: a symbolic link: not written through it" \
    "the link is refused"
is "$(db_hash)" "$h" "export to a link into the database: database unchanged"
run as "$adm" "$bin" --db "$db" export referrals --output "$db/stolen.csv"
is_rc 73 "export into the database directory (the group's, not the person's)"
[ -e "$db/stolen.csv" ] && not_ok "nothing written into the database directory" || ok "nothing written into the database directory"
run as "$adm" sh -c "umask 022; exec \"$bin\" --db \"$db\" export referrals --output \"$base/home-$adm/r.csv\""
is_rc 0 "export to the admin's own directory"
is "$(stat -c '%a %U %G' "$base/home-$adm/r.csv")" "644 $adm $(id -gn "$adm")" \
    "the output belongs to the person, mode from their umask"
run as "$adm" "$bin" --db "$db" backup "$base/home-$adm/out.csv"
is_rc 73 "backup to a symbolic link"
is "$(db_hash)" "$h" "backup to a link: database unchanged"
run as "$adm" "$bin" --db "$db" payout preview --cutoff 2026-10-31
sum=$(printf '%s\n' "$out" | sed -n 's/.*checksum[: ]*\([0-9a-f]\{16\}\).*/\1/p' | head -1)
run as "$adm" "$bin" --db "$db" payout run --cutoff 2026-10-31 --confirm "$sum" --output "$base/home-$adm/out.csv"
is_rc 73 "payout run to a symbolic link"
is "$(db_hash)" "$h" "payout run to a link: nothing recorded, database unchanged"

# ---- ally check on the shared install ----
run as "$adm" "$bin" --db "$db" check
is_rc 0 "check on the shared install"
is "$err" "" "a 2770 directory with 0660 files gives no warning"
chmod o+r "$db/data.mdb"
chmod g-s "$db"
run as "$adm" "$bin" --db "$db" check
is_rc 0 "check with loose modes still exits 0 (warnings only)"
like "$err" "warning: $db/data.mdb: others may read or write this file" "check warns about a world-readable data.mdb"
like "$err" "warning: $db: a shared database directory should be setgid" "check warns about a directory without setgid"
chmod o-r "$db/data.mdb"
chmod g+s "$db"

done_testing
