#!/usr/bin/env python3
"""refresh.py - the TUI's live refresh while other processes write.

    refresh.py ALLY SOCK SMALL_FILE BIG_FILE

ALLY runs in tmux (server SOCK, session "main", 80x24) on $ALLY_DB, on the
Commissions tab with the cursor on C8.  Prints TAP lines (no plan) and
"# " figures.

1. Five times: `ally ingest SMALL_FILE.N` (one batch) runs to its end;
   the screen must show the new row count within 2 s (polled every 10 ms),
   with the cursor still on C8.
2. `ally ingest BIG_FILE` (batches of 5,000 lines, one write transaction
   each) runs in the background.  Meanwhile: the commits are timed by
   reading LMDB's two meta pages (their txnid) every 2 ms; the screen is
   captured every 10 ms and each change of its row count timed; Down and
   Up are sent in turn and the time until the cursor moves is measured.
   The TUI must answer every key within LIMIT (2 s: a 500 ms tick plus a
   reload, far above a write transaction but far below "blocked") and
   never show the same row count for longer than the longest gap between
   two commits plus one tick and one reload; it must end on the final
   count with the cursor on C8.
"""
import os
import re
import struct
import subprocess
import sys
import time

ally, sock, small, big = sys.argv[1:5]
db = os.environ["ALLY_DB"]
n = 0
failed = False
LIMIT = 2.0


def tap(cond, what, *diag):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, what))
    if not cond:
        failed = True
        for d in diag:
            for line in str(d).splitlines():
                print("#   " + line)
    sys.stdout.flush()


def tm(*args):
    return subprocess.run(["tmux", "-L", sock] + list(args), capture_output=True,
                          text=True).stdout


SEL = re.compile(r"^(?:\x1b\[[0-9;]*m)*\x1b\[(?:[0-9;]*;)?(?:4[0-7]|7)m")
ROWS = re.compile(r"^ (\d+) rows", re.M)
ESC = re.compile(r"\x1b\[[0-9;]*m")


def screen():
    """(row count or None, id under the cursor or None, plain text)."""
    raw = tm("capture-pane", "-e", "-p", "-t", "main")
    plain = ESC.sub("", raw)
    m = ROWS.search(plain)
    rows = int(m.group(1)) if m else None
    cur = None
    for line in raw.splitlines()[3:-3]:
        if SEL.match(line):
            f = ESC.sub("", line).split()
            cur = f[0] if f else None
    return rows, cur, plain


def txnid():
    with open(os.path.join(db, "data.mdb"), "rb") as f:
        a = f.read(4096 + 152)
    return max(struct.unpack_from("<Q", a, 144)[0], struct.unpack_from("<Q", a, 4096 + 144)[0])


def wait(pred, limit):
    t0 = time.monotonic()
    while True:
        s = screen()
        if pred(s):
            return time.monotonic() - t0, s
        if time.monotonic() - t0 > limit:
            return None, s
        time.sleep(0.01)


def count_lines():
    out = subprocess.run([ally, "commission", "list", "--json"], capture_output=True,
                         text=True).stdout
    return len(out.splitlines())


# --- 1. short ingests: the new rows show, the cursor stays ---
d, s = wait(lambda s: s[1] == "C8", 10)
tap(d is not None, "the cursor starts on C8", s[2])
lat = []
for i in range(1, 6):
    subprocess.run([ally, "ingest", "%s.%d" % (small, i)], capture_output=True, check=True)
    want = count_lines()
    d, s = wait(lambda s: s[0] == want, LIMIT)
    if d is not None:
        lat.append(d)
    tap(d is not None, "ingest %d: %d rows shown within %.0f s" % (i, want, LIMIT), s[2])
    tap(s[1] == "C8", "ingest %d: the cursor stays on C8" % i, "cursor on %s" % s[1])
if lat:
    print("# short ingests: new rows on screen %.0f-%.0f ms after the commit" %
          (min(lat) * 1000, max(lat) * 1000))

# --- 2. a long ingest: commits, screen changes, key answers ---
commits = [(time.monotonic(), txnid())]
changes = []
keys = []
rows0 = screen()[0]
t_start = time.monotonic()
p = subprocess.Popen([ally, "ingest", big], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
pending = None          # (key, want cursor, sent at)
last_rows = rows0
last_poll = 0.0
while True:
    now = time.monotonic()
    t = txnid()
    if t != commits[-1][1]:
        commits.append((now, t))
    if now - last_poll >= 0.01:
        last_poll = now
        rows, cur, plain = screen()
        now = time.monotonic()
        if rows is not None and rows != last_rows:
            changes.append(now)
            last_rows = rows
        if pending is None:
            k, want = ("Down", "C7") if cur == "C8" else ("Up", "C8")
            tm("send-keys", "-t", "main", k)
            pending = (k, want, time.monotonic())
        elif cur == pending[1]:
            keys.append(now - pending[2])
            pending = None
        elif now - pending[2] > LIMIT:
            keys.append(now - pending[2])
            pending = None
    if p.poll() is not None and now - commits[-1][0] > 0.2:
        break
    time.sleep(0.002)
t_end = time.monotonic()
out, err = p.communicate()
tap(p.returncode == 0, "the long ingest succeeds", err.decode())
# Let a key still in flight land, then bring the cursor back to C8 (the
# loop may also have stopped just after a Down landed on C7).
if pending is not None:
    wait(lambda s: s[1] == pending[1], LIMIT)
if screen()[1] == "C7":
    tm("send-keys", "-t", "main", "Up")
want = count_lines()
d, s = wait(lambda s: s[0] == want and s[1] == "C8", LIMIT)
tap(d is not None, "after the long ingest: %d rows, cursor on C8" % want,
    "screen shows %s rows, cursor on %s" % (s[0], s[1]), s[2])

ncommits = len(commits) - 1
gaps = [b[0] - a[0] for a, b in zip(commits, commits[1:])]
max_commit_gap = max(gaps) if gaps else 0.0
upd = [t_start] + changes
upd_gaps = [b - a for a, b in zip(upd, upd[1:])]
max_upd_gap = max(upd_gaps) if upd_gaps else 0.0
print("# long ingest: %.2f s, %d commits (write transactions), longest gap between "
      "commits %.0f ms" % (commits[-1][0] - t_start, ncommits, max_commit_gap * 1000))
print("# screen: %d row-count updates during the ingest, longest gap %.0f ms" %
      (len(changes), max_upd_gap * 1000))
if keys:
    ks = sorted(keys)
    print("# keys: %d answered, median %.0f ms, slowest %.0f ms" %
          (len(ks), ks[len(ks) // 2] * 1000, ks[-1] * 1000))
tap(ncommits >= 5, "the long ingest commits in batches (%d)" % ncommits)
tap(len(changes) >= 2, "the screen follows the ingest (%d updates)" % len(changes))
tap(keys and max(keys) < LIMIT, "every key answered within %.0f s (%d keys, slowest %.0f ms)" %
    (LIMIT, len(keys), (max(keys) if keys else 0) * 1000))
tap(max_upd_gap < max_commit_gap + LIMIT,
    "the screen never stalls longer than a write transaction plus a tick and a reload "
    "(%.0f ms < %.0f ms + %.0f ms)" % (max_upd_gap * 1000, max_commit_gap * 1000, LIMIT * 1000))
sys.exit(1 if failed else 0)
