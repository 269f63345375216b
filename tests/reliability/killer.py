#!/usr/bin/env python3
"""killer.py - run a command and kill -9 it at a chosen moment.

  killer.py --out FILE [--ms N] [--files DIR --count N] -- CMD ARGS...

The command runs with stdout in FILE and stderr in FILE.err.  It is killed
with SIGKILL once N milliseconds have passed (--ms), or as soon as DIR
holds COUNT files (--files/--count: progress we can see, such as messages
landing in a Maildir), whichever comes first; progress is polled every
millisecond, with a 60 s deadline.  Prints one line:

  killed MS      the command was killed after MS milliseconds
  exited RC MS   it ended by itself first, with status RC

Neither --ms nor --files runs it to the end (a calibration run: MS says how long
the command takes, so the caller can spread its kills over that time).
"""
import argparse
import os
import signal
import subprocess
import sys
import time


def nfiles(d):
    try:
        return len(os.listdir(d))
    except OSError:
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--ms", type=float, default=None)
    ap.add_argument("--files", default="")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    with open(a.out, "wb") as out, open(a.out + ".err", "wb") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        deadline = t0 + 60
        while True:
            rc = p.poll()
            now = time.monotonic()
            if rc is not None:
                print("exited %d %d" % (rc, (now - t0) * 1000))
                return 0
            due = (a.ms is not None and (now - t0) * 1000 >= a.ms) or \
                (a.files and nfiles(a.files) >= a.count) or now > deadline
            if due:
                p.send_signal(signal.SIGKILL)
                p.wait()
                print("killed %d" % ((time.monotonic() - t0) * 1000))
                return 0
            time.sleep(0.001)


if __name__ == "__main__":
    sys.exit(main())
