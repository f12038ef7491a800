"""What the two SMTP test servers share (capture_server.py, fault_server.py).

Both listen on 127.0.0.1 on a free port, tell the test which one by a port
file written once they accept (renamed into place, so a test never reads a
half-written number), log one JSON object per line for the test to read,
and stop on SIGTERM or SIGINT.  Standard library only.
"""
import argparse
import asyncio
import json
import os
import signal


def append_jsonl(path, rec):
    """Append rec to the JSON-lines file path, flushed before it returns."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")
        f.flush()


def arguments(description):
    """The options both servers take: --dir (their files) and --port-file."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--dir", required=True)
    p.add_argument("--port-file", required=True)
    return p


async def serve_until_signal(server, port_file):
    """Write server's port to port_file, then wait for SIGTERM/SIGINT and close server."""
    port = server.sockets[0].getsockname()[1]
    tmp = port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % port)
    os.rename(tmp, port_file)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    server.close()
