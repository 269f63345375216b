#!/usr/bin/env python3
"""rechain.py DIR OLD NEW [--unkey] - what an attacker with a raw copy of
data.mdb (but not the audit key) would do: replace OLD with NEW in the first
audit entry that holds it, then recompute the plain SHA-256 chain from there
on and point meta audit.last at the new end, so an unkeyed chain would
verify again.  --unkey also zeroes meta audit.keyed_from and re-chains
every entry from the first, as if the database had never been keyed.  Uses mdb_dump and
mdb_load; decodes ally's record codec (store/codec.h)."""
import hashlib, subprocess, sys

def varint(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if not x & 0x80:
            return r, i

def put_varint(v):
    out = bytearray()
    while True:
        x = v & 0x7f; v >>= 7
        out.append(x | (0x80 if v else 0))
        if not v:
            return bytes(out)

zz = lambda v: (v << 1) ^ (v >> 63)
unzz = lambda v: (v >> 1) ^ -(v & 1)
# struct audit: id, meta (created, updated, actor), at, actor, action, kind,
# record, before, after, prev_hash, hash
TYPES = ["u", "i", "i", "s", "i", "s", "s", "i", "u", "s", "s", "s", "s"]
NAMES = ["id", "created", "updated", "mactor", "at", "actor", "action", "kind",
         "record", "before", "after", "prev", "hash"]

def decode(b):
    n, i = varint(b, 1)
    rec = {}
    for k in range(n):
        v, i = varint(b, i)
        if TYPES[k] == "s":
            rec[NAMES[k]] = None if v == 0 else b[i:i + v - 1].decode()
            i += max(v - 1, 0)
        else:
            rec[NAMES[k]] = unzz(v) if TYPES[k] == "i" else v
    return rec, b[0], n

def encode(rec, ver, n):
    out = bytearray([ver]) + put_varint(n)
    for k in range(n):
        v = rec[NAMES[k]]
        if TYPES[k] == "s":
            out += put_varint(0) if v is None else put_varint(len(v.encode()) + 1) + v.encode()
        else:
            out += put_varint(zz(v) if TYPES[k] == "i" else v)
    return bytes(out)

def text(rec):
    f = lambda v: "" if v is None else v
    return "%s\n%d\n%d\n%s\n%s\n%d\n%d\n%s\n%s" % (
        f(rec["prev"]), rec["id"], rec["at"], f(rec["actor"]), f(rec["action"]),
        rec["kind"], rec["record"], f(rec["before"]), f(rec["after"]))

def dump(db, sub):
    lines = subprocess.run(["mdb_dump", "-s", sub, db], check=True, capture_output=True,
                           text=True).stdout.split("\n")
    h = lines.index("HEADER=END")
    body = [l.strip() for l in lines[h + 1:] if l.startswith(" ")]
    header = [l for l in lines[:h + 1] if not l.startswith("db_pagesize=")]
    return header, [(bytes.fromhex(body[j]), bytes.fromhex(body[j + 1]))
                           for j in range(0, len(body), 2)]

def load(db, sub, header, pairs):
    s = "\n".join(header) + "\n" + "".join(" %s\n %s\n" % (k.hex(), v.hex()) for k, v in pairs)
    subprocess.run(["mdb_load", "-s", sub, db], input=s + "DATA=END\n", text=True, check=True)

db, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
header, pairs = dump(db, "audit")
recs = [decode(v) for _, v in pairs]
start = next(j for j, (r, _, _) in enumerate(recs)
             if old in (r["after"] or "") or old in (r["before"] or ""))
r = recs[start][0]
r["after"] = r["after"].replace(old, new) if r["after"] else r["after"]
r["before"] = r["before"].replace(old, new) if r["before"] else r["before"]
unkey = "--unkey" in sys.argv
first = 0 if unkey else start
prev = recs[first - 1][0]["hash"] if first else "0" * 64
for j in range(first, len(recs)):
    r = recs[j][0]
    r["prev"] = prev
    r["hash"] = prev = hashlib.sha256(text(r).encode()).hexdigest()
load(db, "audit", header, [(pairs[j][0], encode(*recs[j])) for j in range(len(recs))])
mh, meta = dump(db, "meta")
out = []
for k, v in meta:
    if k == b"audit.last":
        v = prev.encode() + b"\0"
    if k == b"audit.keyed_from" and unkey:
        v = bytes(8)
    out.append((k, v))
load(db, "meta", mh, out)
print("A%d" % recs[start][0]["id"])
