#!/usr/bin/python3
"""SMTP capture server for the notifier tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a free port (written to --port-file once ready),
stores each accepted message as DIR/msg-N.eml with its envelope in
DIR/msg-N.json, and appends every MAIL/RCPT/DATA event to DIR/events.jsonl.
Faults are chosen per transaction by the first line of DIR/mode:
  ok        accept (default)
  rcpt451   4xx to every RCPT          rcpt550   5xx to every RCPT
  data451   4xx after DATA             data554   5xx after DATA
  slow      accept, 2 s after the data arrived (a DATA-START event marks it)
Any RCPT whose address contains "refuse" gets a 550 in every mode.
STARTTLS is never offered.  With --tls-cert/--tls-key the port speaks TLS
from the first byte (smtps); with --auth USER:PASSWORD every transaction
must authenticate first (AUTH PLAIN/LOGIN).
"""
import asyncio
import json
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from smtp_common import append_jsonl, arguments, serve_until_signal


class Capture:
    def __init__(self, directory):
        self.dir = directory
        self.count = 0
        self.auth = None

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = (self.auth is not None and isinstance(auth_data, LoginPassword)
              and auth_data.login == self.auth[0] and auth_data.password == self.auth[1])
        self.event(cmd="AUTH", arg=mechanism, ok=ok)
        return AuthResult(success=ok, handled=False)

    def mode(self):
        try:
            with open(os.path.join(self.dir, "mode"), encoding="ascii") as f:
                return f.readline().strip() or "ok"
        except FileNotFoundError:
            return "ok"

    def event(self, **rec):
        append_jsonl(os.path.join(self.dir, "events.jsonl"), rec)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        tls = session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None
        self.event(cmd="EHLO", arg=hostname, tls=tls)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.event(cmd="MAIL", arg=address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mode = self.mode()
        if "refuse" in address:
            reply = "550 5.1.1 <%s>: no such user here" % address
        elif mode == "rcpt451":
            reply = "451 4.3.0 <%s>: try again later" % address
        elif mode == "rcpt550":
            reply = "550 5.1.1 <%s>: mailbox unavailable" % address
        else:
            envelope.rcpt_tos.append(address)
            reply = "250 OK"
        self.event(cmd="RCPT", arg=address, reply=reply)
        return reply

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "slow":
            self.event(cmd="DATA-START")
            await asyncio.sleep(2)
        if mode == "data451":
            reply = "451 4.3.0 queue full, try again later"
        elif mode == "data554":
            reply = "554 5.6.0 message content refused"
        else:
            self.count += 1
            base = os.path.join(self.dir, "msg-%d" % self.count)
            with open(base + ".eml", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with open(base + ".json", "w", encoding="utf-8") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
            reply = "250 2.0.0 OK queued as capture-%d" % self.count
        self.event(cmd="DATA", reply=reply)
        return reply


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = Capture(args.dir)
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    opts = {}
    if args.auth:
        user, password = args.auth.split(":", 1)
        handler.auth = (user.encode(), password.encode())
        # The whole connection is TLS already (smtps), which aiosmtpd's
        # auth_require_tls check does not see.
        opts = dict(authenticator=handler.authenticator, auth_required=True,
                    auth_require_tls=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="capture.test", **opts), host="127.0.0.1", port=0, ssl=tls)
    await serve_until_signal(server, args.port_file)
    await server.wait_closed()


def main():
    p = arguments(__doc__.splitlines()[0])
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth", help="USER:PASSWORD required before MAIL")
    asyncio.run(serve(p.parse_args()))


if __name__ == "__main__":
    main()
