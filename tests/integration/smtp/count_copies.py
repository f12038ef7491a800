#!/usr/bin/python3
"""Count lost and duplicated copies: the outbox of DB against DIR/delivered.jsonl.

usage: count_copies.py DB DIR [--skip ADDR]... [--ids 1,2,3]

Every row of the outbox (or the rows --ids names) is meant for each address
of its recipients array plus each extra envelope recipient the server saw
for its Message-ID; addresses given with --skip (refused for good) are not
expected.  Prints one line "expected=E copies=C lost=L duplicated=D
unacked=U" (unacked: copies the server kept although the client never saw
its 250) and exits 0.
"""
import argparse
import collections
import json
import os
import sqlite3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("db")
    p.add_argument("dir")
    p.add_argument("--skip", action="append", default=[])
    p.add_argument("--ids")
    a = p.parse_args()
    con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True, timeout=30)
    rows = con.execute("SELECT id, message_id, recipients FROM outbox ORDER BY id").fetchall()
    con.close()
    if a.ids:
        keep = {int(x) for x in a.ids.split(",")}
        rows = [r for r in rows if r[0] in keep]
    mids = {r[1] for r in rows}
    copies = collections.Counter()
    unacked = 0
    seen_rcpt = collections.defaultdict(set)
    path = os.path.join(a.dir, "delivered.jsonl")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                for r in d["rcpt"]:
                    copies[(d["message_id"], r.lower())] += 1
                    seen_rcpt[d["message_id"]].add(r.lower())
                if not d.get("acked", True) and d["message_id"] in mids:
                    unacked += 1
    skip = {s.lower() for s in a.skip}
    expected = set()
    for _id, mid, rcpts in rows:
        want = {x["email"].lower() for x in json.loads(rcpts)} | seen_rcpt.get(mid, set())
        for r in want - skip:
            expected.add((mid, r))
    lost = sum(1 for k in expected if copies[k] == 0)
    dup = sum(copies[k] - 1 for k in expected if copies[k] > 1)
    total = sum(copies[k] for k in expected)
    print("expected=%d copies=%d lost=%d duplicated=%d unacked=%d"
          % (len(expected), total, lost, dup, unacked))


if __name__ == "__main__":
    main()
