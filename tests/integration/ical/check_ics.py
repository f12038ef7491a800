"""check_ics.py -- checks an .ics built from an outbox payload with an independent parser.

Usage: /usr/bin/python3 check_ics.py payload.json invite.ics
Parses with python3-icalendar, evaluates the VTIMEZONE itself (dateutil rrule)
and compares with Python's zoneinfo.  A series' first 10 occurrences (RRULE
with UNTIL, EXDATE applied) must be the UTC instants the payload means; a
message about one occurrence (payload "occurrence") must name it by
RECURRENCE-ID and carry its new start.  Exit 0 when all checks pass, 1 otherwise.
"""
import datetime as dt
import itertools
import json
import re
import sys
import zoneinfo

import icalendar
from dateutil import rrule

UTC = dt.timezone.utc
FAILURES = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)


def ical_text(prop):
    v = prop.to_ical()
    return v.decode() if isinstance(v, bytes) else v


def rfc6868_decode(v):
    """^' is a double quote, ^n a newline, ^^ a caret (RFC 6868 section 3)."""
    if v is None:
        return None
    return re.sub(r"\^(['n^])", lambda m: {"'": '"', "n": "\n", "^": "^"}[m.group(1)], str(v))


def dates_of(comp, key):
    """Every date-time of a property that may stand once or more (RDATE, EXDATE)."""
    props = comp.get(key, [])
    if not isinstance(props, list):
        props = [props]
    return [d.dt for p in props for d in p.dts]


def offset_seconds(td):
    return int(td.total_seconds())


def observance_onsets(obs, horizon):
    """(utc instant, offset after) for every onset of one STANDARD/DAYLIGHT up to horizon."""
    start = obs.decoded("DTSTART")
    off_from = offset_seconds(obs.decoded("TZOFFSETFROM"))
    off_to = offset_seconds(obs.decoded("TZOFFSETTO"))
    local = [start]
    if "RRULE" in obs:
        rule = rrule.rrulestr(ical_text(obs["RRULE"]), dtstart=start)
        local = list(rule.between(start, horizon, inc=True))
    local.extend(dates_of(obs, "RDATE"))
    # RFC 5545 3.6.5: onsets are local times in the offset before the change.
    return [(l - dt.timedelta(seconds=off_from), off_to) for l in local]


class VTimezone:
    """The offsets a calendar client derives from the VTIMEZONE alone."""

    def __init__(self, comp, horizon):
        self.changes = []
        for obs in comp.subcomponents:
            if obs.name in ("STANDARD", "DAYLIGHT"):
                self.changes.extend(observance_onsets(obs, horizon))
        self.changes.sort()

    def offset_at_utc(self, naive_utc):
        off = None
        for at, to in self.changes:
            if at <= naive_utc:
                off = to
        return off

    def to_utc(self, local):
        guess = self.offset_at_utc(local)
        if guess is None:
            return None, None
        off = self.offset_at_utc(local - dt.timedelta(seconds=guess))
        return local - dt.timedelta(seconds=off), off


def payload_occurrences(meeting, zone, n):
    """The first n occurrences the payload means, as UTC instants: every
    every_weeks weeks from starts_at in the zone (wall clock kept across DST
    changes), without the skipped ones, none after until."""
    local = dt.datetime.strptime(meeting["starts_at"], "%Y-%m-%dT%H:%M")
    tz = zoneinfo.ZoneInfo(zone)
    skipped = {e["on"] for e in meeting.get("exceptions", []) if e.get("moved_to") is None}
    moved = {e["on"]: e["moved_to"] for e in meeting.get("exceptions", []) if e.get("moved_to")}
    until = meeting.get("until")
    out = []
    for k in range(400):
        occ = local + dt.timedelta(weeks=k * meeting["every_weeks"])
        day = occ.strftime("%Y-%m-%d")
        if until is not None and day > until:
            break
        if day in skipped:
            continue
        if day in moved:
            occ = dt.datetime.strptime(moved[day], "%Y-%m-%dT%H:%M")
        out.append(occ.replace(tzinfo=tz).astimezone(UTC))
        if len(out) == n:
            break
    return sorted(out)


def ics_occurrences(ev, start_aware, n, overrides=()):
    """The first n occurrences a client expands from the series: RRULE (with
    its UNTIL in UTC against the zoned DTSTART) minus every EXDATE, each one
    an override names by RECURRENCE-ID put at the override's DTSTART."""
    rs = rrule.rruleset()
    rs.rrule(rrule.rrulestr(ical_text(ev["RRULE"]), dtstart=start_aware))
    for d in dates_of(ev, "EXDATE"):
        rs.exdate(d)
    moved = {o.decoded("RECURRENCE-ID").astimezone(UTC): o.decoded("DTSTART").astimezone(UTC)
             for o in overrides}
    got = [o.astimezone(UTC) for o in itertools.islice(rs, n)]
    return sorted(moved.get(o, o) for o in got)


def check_one_occurrence(payload, ev, zone, is_utc):
    """A skip (CANCEL) or a move (REQUEST) of one occurrence: RECURRENCE-ID is
    its original start, DTSTART where it is now, no RRULE (RFC 5545 3.8.4.4)."""
    meeting = payload["meeting"]
    occ = payload["occurrence"]
    tz = UTC if is_utc else zoneinfo.ZoneInfo(zone)
    orig = dt.datetime.strptime(occ["on"] + meeting["starts_at"][10:], "%Y-%m-%dT%H:%M")
    now = dt.datetime.strptime(occ["moved_to"], "%Y-%m-%dT%H:%M") if occ.get("moved_to") else orig
    check("RRULE" not in ev, "RRULE in a message about one occurrence")
    check("RECURRENCE-ID" in ev, "no RECURRENCE-ID")
    if "RECURRENCE-ID" not in ev:
        return
    if not is_utc:
        check(ev["RECURRENCE-ID"].params.get("TZID") == zone, "RECURRENCE-ID TZID %s" %
              ev["RECURRENCE-ID"].params.get("TZID"))
        check(ev["DTSTART"].params.get("TZID") == zone, "DTSTART TZID")
    rid = ev.decoded("RECURRENCE-ID").astimezone(UTC)
    check(rid == orig.replace(tzinfo=tz).astimezone(UTC), "RECURRENCE-ID %s != %s" % (
          rid, orig.replace(tzinfo=tz).astimezone(UTC)))
    start = ev.decoded("DTSTART").astimezone(UTC)
    check(start == now.replace(tzinfo=tz).astimezone(UTC), "DTSTART %s != %s" % (
          start, now.replace(tzinfo=tz).astimezone(UTC)))
    end = ev.decoded("DTEND").astimezone(UTC) if "DTEND" in ev else start + ev.decoded("DURATION")
    check(offset_seconds(end - start) == meeting["duration_minutes"] * 60, "end - DTSTART")
    # A skip cancels that occurrence; a move keeps it confirmed.
    want = "CANCELLED" if payload["method"] == "CANCEL" else "CONFIRMED"
    check(str(ev.get("STATUS")) == want, "STATUS %s, want %s" % (ev.get("STATUS"), want))
    print("  one occurrence: RECURRENCE-ID %s, DTSTART %s" % (rid, start))


def main(payload_path, ics_path):
    with open(payload_path, encoding="utf-8") as f:
        payload = json.load(f)
    with open(ics_path, "rb") as f:
        raw = f.read()
    meeting = payload["meeting"]
    zone = meeting["timezone"]
    is_utc = zone in ("UTC", "Etc/UTC")

    # Lines: CRLF only, at most 75 octets, each valid UTF-8 on its own.
    check(raw.endswith(b"\r\n"), "does not end in CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        check(len(line) <= 75, "line %d has %d octets" % (n, len(line)))
        check(b"\n" not in line and b"\r" not in line, "line %d has a bare CR/LF" % n)
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            FAILURES.append("line %d splits a UTF-8 sequence" % n)

    cal = icalendar.Calendar.from_ical(raw)
    check(str(cal.get("VERSION")) == "2.0", "VERSION")
    check(str(cal.get("METHOD")) == payload["method"], "METHOD %s" % cal.get("METHOD"))
    check(str(cal.get("PRODID")) == "-//ftsuccess//Success Check-in//EN", "PRODID")
    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    tzs = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    # One VEVENT; a series' REQUEST or download adds one override per moved
    # check-in (same UID, RECURRENCE-ID), a CANCEL of the series none.
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    moved = [e for e in meeting.get("exceptions", []) if e.get("moved_to")]
    if payload.get("occurrence") is not None:
        check(len(events) == 1 and not masters, "%d VEVENTs about one occurrence" % len(events))
    else:
        check(len(masters) == 1, "%d series VEVENTs" % len(masters))
        want_overrides = 0 if payload["method"] == "CANCEL" else len(moved)
        check(len(overrides) == want_overrides, "%d overrides, want %d" % (
              len(overrides), want_overrides))
        for o in overrides:
            check(str(o["UID"]) == meeting["uid"], "override UID %s" % o.get("UID"))
            check("RRULE" not in o, "RRULE in an override")
    ev = masters[0] if masters else events[0]
    check(str(ev["UID"]) == meeting["uid"], "UID %s" % ev.get("UID"))
    check(int(ev["SEQUENCE"]) == meeting["sequence"], "SEQUENCE %s" % ev.get("SEQUENCE"))
    if payload["method"] == "CANCEL" and meeting["status"] != "CANCELLED":
        # Uninviting attendees from a series that goes on: no STATUS (RFC 5546 3.2.5).
        check("STATUS" not in ev, "STATUS %s in a personal CANCEL" % ev.get("STATUS"))
    else:
        check(str(ev.get("STATUS")) == meeting["status"], "STATUS %s" % ev.get("STATUS"))
    check(str(ev["TRANSP"]) == "OPAQUE", "TRANSP")
    title = "Check-in de Sucesso" if payload["customer"].get("language") == "pt-BR" else "Success Check-in"
    check(str(ev["SUMMARY"]) == title + " \u2014 " + payload["customer"]["name"],
          "SUMMARY %r" % str(ev["SUMMARY"]))
    check(str(ev["URL"]).endswith(payload["url"]), "URL %s" % ev.get("URL"))
    check(str(ev["ORGANIZER"]).startswith("mailto:"), "ORGANIZER")
    chair = payload.get("chair")
    if chair:
        # The service mailbox organizes; the FM is never the ORGANIZER.
        check(str(ev["ORGANIZER"]).lower() != "mailto:" + chair["email"].lower(),
              "the FM is the ORGANIZER")
    url = payload["meeting"].get("meeting_url")
    check(str(ev.get("LOCATION")) == url if url else "LOCATION" not in ev,
          "LOCATION %s, want %s" % (ev.get("LOCATION"), url))
    if payload.get("previous"):
        # The words are the customer's language's (payload version 4).
        moved = "mudou de " if payload["customer"].get("language") == "pt-BR" else "moved from "
        check(moved in str(ev.get("DESCRIPTION")), "no change in the DESCRIPTION")

    # DTSTAMP in UTC.
    stamp = ev.decoded("DTSTAMP")
    check(stamp.tzinfo is not None and stamp.utcoffset() == dt.timedelta(0), "DTSTAMP not UTC")

    if payload.get("occurrence") is not None:
        check_one_occurrence(payload, ev, zone, is_utc)
        return report("one occurrence")

    # RRULE: weekly, every N weeks.
    rr = ev["RRULE"]
    check(rr.get("FREQ") == ["WEEKLY"], "RRULE FREQ %s" % rr.get("FREQ"))
    check(rr.get("INTERVAL", [1]) == [meeting["every_weeks"]], "RRULE INTERVAL %s" % rr.get("INTERVAL"))

    # Attendees: every payload attendee, RSVP=TRUE, REQ-PARTICIPANT, NEEDS-ACTION.
    atts = ev.get("ATTENDEE", [])
    if not isinstance(atts, list):
        atts = [atts]
    want = {a["email"].lower(): a.get("name") for a in payload["attendees"]}
    # The FM (version 3 "chair") is an attendee too, ROLE=CHAIR (issue 12).
    if chair:
        want[chair["email"].lower()] = chair.get("name")
    got = {}
    for a in atts:
        check(str(a).lower().startswith("mailto:"), "ATTENDEE %s" % a)
        got[str(a)[7:].lower()] = a.params
    check(set(got) == set(want), "attendees %s != %s" % (sorted(got), sorted(want)))
    for email, params in got.items():
        check(params.get("RSVP") == "TRUE", "%s RSVP %s" % (email, params.get("RSVP")))
        role = "CHAIR" if chair and email == chair["email"].lower() else "REQ-PARTICIPANT"
        check(params.get("ROLE") == role, "%s ROLE %s, want %s" % (email, params.get("ROLE"), role))
        check(params.get("PARTSTAT") == "NEEDS-ACTION", "%s PARTSTAT" % email)
        name = want.get(email)
        if name:
            check(rfc6868_decode(params.get("CN")) == name, "%s CN %r" % (email, params.get("CN")))

    # DTSTART: the zone by name and the UTC instant zoneinfo gives for the wall clock.
    local = dt.datetime.strptime(meeting["starts_at"], "%Y-%m-%dT%H:%M")
    # A wall clock the clocks go back over names two instants; RFC 5545 says
    # the first, python-icalendar and libical read the second: either is taken
    # here, and the end must then still be exact (DURATION, see ical.c).
    want_utc = local.replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)
    want_utcs = {local.replace(tzinfo=zoneinfo.ZoneInfo(zone), fold=f).astimezone(UTC)
                 for f in (0, 1)}
    dtstart = ev["DTSTART"]
    start = ev.decoded("DTSTART")
    if is_utc:
        check("TZID" not in dtstart.params, "UTC DTSTART has a TZID")
        check(len(tzs) == 0, "UTC calendar has a VTIMEZONE")
        check(start.utcoffset() == dt.timedelta(0), "UTC DTSTART is not UTC")
    else:
        check(dtstart.params.get("TZID") == zone, "DTSTART TZID %s" % dtstart.params.get("TZID"))
        # DURATION stands in for DTEND only where a local DTEND would be
        # ambiguous (it ends in the hour the clocks repeat).
        if "DTEND" in ev:
            check(ev["DTEND"].params.get("TZID") == zone, "DTEND TZID")
        check(len(tzs) == 1 and str(tzs[0]["TZID"]) == zone, "VTIMEZONE for %s" % zone)
        check(b"TZUNTIL" not in raw, "TZUNTIL present")
    check(start.astimezone(UTC) in want_utcs, "DTSTART %s != %s" % (start.astimezone(UTC), want_utc))
    if "DTEND" in ev:
        end_utc = ev.decoded("DTEND").astimezone(UTC)
    else:
        check("DURATION" in ev, "neither DTEND nor DURATION")
        end_utc = start.astimezone(UTC) + ev.decoded("DURATION")
    check(offset_seconds(end_utc - start.astimezone(UTC)) == meeting["duration_minutes"] * 60,
          "end - DTSTART is %s" % (end_utc - start.astimezone(UTC)))

    # UNTIL is a UTC date-time (RFC 5545 3.3.10: DTSTART has a TZID) and the
    # first 10 occurrences, RRULE with UNTIL and EXDATE applied, are the
    # instants the payload means, DST changes included.
    if "until" in meeting:
        check(rr.get("UNTIL") and rr["UNTIL"][0].tzinfo is not None and
              rr["UNTIL"][0].utcoffset() == dt.timedelta(0), "UNTIL %s is not UTC" % rr.get("UNTIL"))
    else:
        check("UNTIL" not in rr, "UNTIL in a series that goes on")
    start_aware = local.replace(tzinfo=UTC if is_utc else zoneinfo.ZoneInfo(zone))
    got10 = ics_occurrences(ev, start_aware, 10, overrides)
    want10 = payload_occurrences(meeting, "UTC" if is_utc else zone, 10)
    check(got10 == want10, "occurrences %s != %s" % ([str(x) for x in got10],
                                                      [str(x) for x in want10]))

    # Occurrences: what the VTIMEZONE says must match zoneinfo, across DST changes.
    occurrences = [o.astimezone(zoneinfo.ZoneInfo(zone) if not is_utc else UTC).replace(tzinfo=None)
                   for o in ics_occurrences(ev, start_aware, 30)]
    check(len(occurrences) == 30 or "until" in meeting, "could not expand the series")
    offsets_seen = set()
    if not is_utc and tzs:
        horizon = occurrences[-1] + dt.timedelta(days=400)
        vtz = VTimezone(tzs[0], horizon)
        for occ in occurrences:
            got_utc, off = vtz.to_utc(occ)
            zis = [occ.replace(tzinfo=zoneinfo.ZoneInfo(zone), fold=f) for f in (0, 1)]
            check(off is not None, "no observance in effect at %s" % occ)
            if off is None:
                break
            offsets_seen.add(off)
            zi = next((z for z in zis if offset_seconds(z.utcoffset()) == off), zis[0])
            check(off == offset_seconds(zi.utcoffset()),
                  "%s: VTIMEZONE offset %d, zoneinfo %d" % (occ, off, offset_seconds(zi.utcoffset())))
            check(got_utc.replace(tzinfo=UTC) == zi.astimezone(UTC), "%s UTC instant" % occ)
        for obs in tzs[0].subcomponents:
            for key in ("TZOFFSETFROM", "TZOFFSETTO"):
                v = ical_text(obs[key])
                check(len(v) == 5, "%s %s has seconds" % (key, v))
    return report("%d occurrences (first: %s), UTC offsets over them: %s" % (
        len(occurrences), got10[0] if got10 else None, sorted(offsets_seen)))


def report(what):
    if FAILURES:
        for f in FAILURES:
            print("  check failed: " + f)
        return 1
    print("  %d checks passed; %s" % (CHECKS[0], what))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
