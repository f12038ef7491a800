"""check_feed.py -- checks a personal calendar feed (feed.c) with an independent parser.

Usage: /usr/bin/python3 check_feed.py feed.ics DAY=SUMMARY payload.json...
Parses with python3-icalendar.  A subscription feed has no METHOD (RFC 5546
methods are for messages), one VTIMEZONE per TZID that every zoned time
names; each payload's series is there once, and its first 10 occurrences,
evaluated from the feed's own VTIMEZONE (check_ics.py's evaluator), are the
UTC instants the payload means; the next action is an all-day VEVENT
(DTSTART a DATE, DTEND the next day, TRANSPARENT) with its text unescaped.
Exit 0 when all checks pass, 1 otherwise.
"""
import datetime as dt
import json
import os
import sys
import zoneinfo

import icalendar

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_ics  # noqa: E402  (the same evaluator and the same failure list)

check = check_ics.check
UTC = check_ics.UTC


def main(feed_path, day_arg, payload_paths):
    with open(feed_path, "rb") as f:
        raw = f.read()
    check(raw.endswith(b"\r\n"), "does not end in CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        check(len(line) <= 75, "line %d has %d octets" % (n, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            check_ics.FAILURES.append("line %d splits a UTF-8 sequence" % n)
    cal = icalendar.Calendar.from_ical(raw)
    check("METHOD" not in cal, "METHOD %s in a subscription feed" % cal.get("METHOD"))
    check(str(cal.get("VERSION")) == "2.0", "VERSION")
    check("X-WR-CALNAME" in cal, "no X-WR-CALNAME")
    tzs = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    tzids = [str(t["TZID"]) for t in tzs]
    check(len(tzids) == len(set(tzids)), "a TZID described twice: %s" % tzids)
    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    horizon = dt.datetime(2040, 1, 1)
    for ev in events:
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if key in ev and "TZID" in ev[key].params:
                check(ev[key].params["TZID"] in tzids, "%s names %s, no VTIMEZONE" % (
                      key, ev[key].params["TZID"]))

    want_events = 1
    for path in payload_paths:
        with open(path, encoding="utf-8") as f:
            meeting = json.load(f)["meeting"]
        zone = meeting["timezone"]
        mine = [e for e in events if str(e["UID"]) == meeting["uid"]]
        masters = [e for e in mine if "RECURRENCE-ID" not in e]
        overrides = [e for e in mine if "RECURRENCE-ID" in e]
        moved = [e for e in meeting.get("exceptions", []) if e.get("moved_to")]
        want_events += 1 + len(moved)
        check(len(masters) == 1, "%s: %d series VEVENTs" % (meeting["uid"], len(masters)))
        check(len(overrides) == len(moved), "%s: %d overrides" % (meeting["uid"], len(overrides)))
        if len(masters) != 1:
            continue
        ev = masters[0]
        is_utc = zone in ("UTC", "Etc/UTC")
        local = dt.datetime.strptime(meeting["starts_at"], "%Y-%m-%dT%H:%M")
        tz = UTC if is_utc else zoneinfo.ZoneInfo(zone)
        got = check_ics.ics_occurrences(ev, local.replace(tzinfo=tz), 10, overrides)
        want = check_ics.payload_occurrences(meeting, "UTC" if is_utc else zone, 10)
        check(got == want, "%s: occurrences %s != %s" % (meeting["uid"], got[:3], want[:3]))
        # Each instant again from the feed's own VTIMEZONE, as a client reads it.
        vtz = [t for t in tzs if str(t["TZID"]) == zone]
        check(is_utc or len(vtz) == 1, "%s: no VTIMEZONE %s" % (meeting["uid"], zone))
        for occ in got if vtz else []:
            wall = occ.astimezone(tz).replace(tzinfo=None)
            utc, _ = check_ics.VTimezone(vtz[0], horizon).to_utc(wall)
            check(utc is not None and utc.replace(tzinfo=UTC) == occ,
                  "%s: %s is %s by the feed's VTIMEZONE" % (meeting["uid"], occ, utc))
        print("  series %s: %d occurrences as the payload means" % (meeting["uid"], len(got)))

    day, summary = day_arg.split("=", 1)
    on = dt.date.fromisoformat(day)
    days = [e for e in events if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    check(len(days) == 1, "%d all-day VEVENTs" % len(days))
    for e in days:
        check(e.decoded("DTSTART") == on, "all-day DTSTART %s" % e.decoded("DTSTART"))
        check(e.decoded("DTEND") == on + dt.timedelta(days=1), "all-day DTEND %s" %
              e.decoded("DTEND"))
        check(str(e.get("TRANSP")) == "TRANSPARENT", "all-day TRANSP %s" % e.get("TRANSP"))
        check(str(e["SUMMARY"]) == summary, "all-day SUMMARY %r" % str(e["SUMMARY"]))
        check("\n" in str(e.get("DESCRIPTION", "")), "DESCRIPTION lost its line break")
    check(len(events) == want_events, "%d VEVENTs, want %d" % (len(events), want_events))
    return check_ics.report("feed")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: check_feed.py feed.ics DAY=SUMMARY payload.json...")
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
