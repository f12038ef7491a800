#!/usr/bin/python3
"""A scriptable SMTP server for the notifier's fault tests (standard library only).

Listens on 127.0.0.1 on a free port (written to --port-file once ready).
Every accepted message is appended to DIR/delivered.jsonl as
{"conn", "message_id", "rcpt": [...], "acked"}, so a test counts the copies
each recipient got of each Message-ID; every command and reply goes to
DIR/events.jsonl ({"conn", "at", "arg", "reply"}) for a test to wait on.

Faults come from DIR/script.json, read again at every step (a test changes
it while the server runs):
  {"rules": [{"id": "g1", "at": "RCPT", "match": "bob@", "reply": "451 4.7.1 greylisted",
              "times": 1}, ...]}
  at      CONNECT (the greeting), EHLO, MAIL, RCPT, DATA (the DATA command),
          BODY (after the first line of the message), EOD (after the end of data)
  match   for RCPT: a substring of the address; the rule applies to it only
  reply   answer this instead ("421 ..." also closes the connection)
  action  "drop": close the connection without an answer; at EOD the message
          counts as accepted (the server has it: the case no client can
          tell apart from a loss).  "hang": wait `seconds` first, then go on
          (with `reply` if given)
  times   how often the rule applies (default: always); counted per id for
          the life of the server
The first rule that matches a step applies.
"""
import asyncio
import json
import os

from smtp_common import append_jsonl, arguments, serve_until_signal

GREETING = "220 fault.test ESMTP scriptable"


class Server:
    def __init__(self, directory):
        self.dir = directory
        self.used = {}
        self.conns = 0

    def rules(self):
        try:
            with open(os.path.join(self.dir, "script.json"), encoding="utf-8") as f:
                return json.load(f).get("rules", [])
        except (FileNotFoundError, ValueError):
            return []

    def rule(self, at, arg=""):
        for i, r in enumerate(self.rules()):
            if r.get("at") != at:
                continue
            if "match" in r and r["match"] not in arg:
                continue
            key = r.get("id", "%s#%d" % (at, i))
            if "times" in r and self.used.get(key, 0) >= r["times"]:
                continue
            self.used[key] = self.used.get(key, 0) + 1
            return r
        return None

    def log(self, name, **rec):
        append_jsonl(os.path.join(self.dir, name), rec)

    async def handle(self, reader, writer):
        self.conns += 1
        conn = self.conns
        state = {"from": None, "rcpt": []}

        async def send(line, at, arg=""):
            self.log("events.jsonl", conn=conn, at=at, arg=arg, reply=line)
            writer.write((line + "\r\n").encode())
            await writer.drain()

        async def fault(at, arg, default):
            """The reply for a step: None when the connection was dropped."""
            r = self.rule(at, arg)
            if r is None:
                return default
            if r.get("action") == "hang":
                self.log("events.jsonl", conn=conn, at=at, arg=arg, reply="(hang)")
                await asyncio.sleep(float(r.get("seconds", 5)))
            if r.get("action") == "drop":
                self.log("events.jsonl", conn=conn, at=at, arg=arg, reply="(drop)")
                return None
            return r.get("reply", default)

        try:
            reply = await fault("CONNECT", "", GREETING)
            if reply is None:
                return
            await send(reply, "CONNECT")
            if reply.startswith("421"):
                return
            while True:
                raw = await reader.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                arg = line[len(verb):].strip()
                if verb in ("EHLO", "HELO"):
                    default = "250-fault.test\r\n250 8BITMIME" if verb == "EHLO" else "250 fault.test"
                    reply = await fault("EHLO", arg, default)
                elif verb == "MAIL":
                    state = {"from": arg, "rcpt": []}
                    reply = await fault("MAIL", arg, "250 2.1.0 OK")
                elif verb == "RCPT":
                    addr = arg[arg.find("<") + 1:arg.rfind(">")] if "<" in arg else arg
                    reply = await fault("RCPT", addr, "250 2.1.5 OK")
                    if reply is not None and reply.startswith("2"):
                        state["rcpt"].append(addr)
                elif verb == "DATA":
                    if not state["rcpt"]:
                        reply = "554 5.5.1 no valid recipients"
                    else:
                        reply = await fault("DATA", "", "354 end with <CRLF>.<CRLF>")
                    if reply is not None and reply.startswith("354"):
                        await send(reply, "DATA")
                        data = await self.body(reader, fault)
                        if data is None:
                            return
                        mid = ""
                        for h in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
                            if h.lower().startswith(b"message-id:"):
                                mid = h.split(b":", 1)[1].strip().decode("ascii", "replace")
                        r = self.rule("EOD")
                        if r is not None and r.get("action") == "hang":
                            self.log("events.jsonl", conn=conn, at="EOD", arg=mid, reply="(hang)")
                            await asyncio.sleep(float(r.get("seconds", 5)))
                        if r is not None and r.get("action") == "drop":
                            self.log("delivered.jsonl", conn=conn, message_id=mid,
                                     rcpt=state["rcpt"], acked=False)
                            self.log("events.jsonl", conn=conn, at="EOD", arg=mid, reply="(drop)")
                            return
                        reply = (r or {}).get("reply", "250 2.0.0 OK accepted")
                        if reply.startswith("2"):
                            self.log("delivered.jsonl", conn=conn, message_id=mid,
                                     rcpt=state["rcpt"], acked=True)
                        await send(reply, "EOD", mid)
                        if reply.startswith("421"):
                            return
                        state = {"from": None, "rcpt": []}
                        continue
                elif verb == "RSET":
                    state = {"from": None, "rcpt": []}
                    reply = "250 2.0.0 OK"
                elif verb == "NOOP":
                    reply = "250 2.0.0 OK"
                elif verb == "QUIT":
                    await send("221 2.0.0 bye", "QUIT")
                    return
                else:
                    reply = "502 5.5.2 command not implemented"
                if reply is None:
                    return
                await send(reply, verb, arg)
                if reply.startswith("421"):
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def body(self, reader, fault):
        """The message up to the lone dot, dot-stuffing undone; None when dropped mid-way."""
        lines = []
        first = True
        while True:
            raw = await reader.readline()
            if not raw:
                return None
            if first:
                first = False
                r = self.rule("BODY")
                if r is not None and r.get("action") == "drop":
                    self.log("events.jsonl", conn=-1, at="BODY", arg="", reply="(drop)")
                    return None
            line = raw.rstrip(b"\r\n")
            if line == b".":
                return b"\r\n".join(lines) + b"\r\n"
            lines.append(line[1:] if line.startswith(b".") else line)


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    srv = Server(args.dir)
    server = await asyncio.start_server(srv.handle, host="127.0.0.1", port=0)
    await serve_until_signal(server, args.port_file)


def main():
    asyncio.run(serve(arguments(__doc__.splitlines()[0]).parse_args()))


if __name__ == "__main__":
    main()
