#!/usr/bin/python3
"""server.py - SMTP servers for tests/cli/mail.sh, on 127.0.0.1.

  server.py --port N --maildir DIR [--tlscert C --tlskey K] [--auth USER:PASS]
            [--refuse TEXT]
      aiosmtpd storing each message in DIR (a Maildir), optionally with
      STARTTLS required, AUTH required (over TLS), and recipients that
      contain TEXT refused with 550.
  server.py --port N --stall
      answers up to the DATA command and then never again, as a stuck
      server does.

Runs until SIGTERM.  Needs Debian's python3-aiosmtpd (/usr/bin/python3).
"""
import argparse
import signal
import socket
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult


class Refusing(Mailbox):
    def __init__(self, maildir, refuse):
        super().__init__(maildir)
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse in address:
            return "550 5.1.1 <%s>: recipient refused" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"


def stall(port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)

    def serve(conn):
        f = conn.makefile("rb")
        conn.sendall(b"220 stall ESMTP\r\n")
        for line in f:
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                conn.sendall(b"250 stall\r\n")
            elif cmd == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                for data in f:
                    if data in (b".\r\n", b".\n"):
                        break
                # ... and never answer the end of data.
                threading.Event().wait()
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 OK\r\n")

    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir")
    ap.add_argument("--tlscert")
    ap.add_argument("--tlskey")
    ap.add_argument("--auth")
    ap.add_argument("--refuse")
    ap.add_argument("--stall", action="store_true")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(0)))
    if a.stall:
        stall(a.port)
        return
    kw = {}
    if a.tlscert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tlscert, a.tlskey)
        kw.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (getattr(auth_data, "login", None) == user.encode()
                  and getattr(auth_data, "password", None) == password.encode())
            # A refusal must not be "handled", or the client waits forever.
            return AuthResult(success=ok, handled=False) if not ok else AuthResult(success=True)

        kw.update(authenticator=authenticator, auth_require_tls=bool(a.tlscert),
                  auth_required=True)
    ctl = Controller(Refusing(a.maildir, a.refuse), hostname="127.0.0.1", port=a.port,
                     ready_timeout=10, **kw)
    ctl.start()
    try:
        signal.pause()
    finally:
        ctl.stop()


if __name__ == "__main__":
    main()
