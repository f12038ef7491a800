#!/usr/bin/python3
"""Independent check of a message the notifier sent, with Python's email package
and python3-icalendar (Debian), against the outbox payload it came from.

usage: check_mail.py KIND EML PAYLOAD_JSON RECIPIENTS_JSON ENVELOPE_JSON MESSAGE_ID ORGANIZER BASE_URL
Prints what is wrong and exits 1, or exits 0.
"""
import email
import email.policy
import email.utils
import json
import re
import sys

import icalendar

errors = []


def check(cond, what):
    if not cond:
        errors.append(what)
    return cond


def addresses(header):
    return [a.addr_spec.lower() for a in header.addresses] if header is not None else []


def check_raw(raw):
    head = raw.split(b"\r\n\r\n", 1)[0]
    check(b"\n" not in raw.replace(b"\r\n", b""), "bare LF in the message")
    check(b"\r" not in raw.replace(b"\r\n", b""), "bare CR in the message")
    for line in raw.split(b"\r\n"):
        check(len(line) <= 998, "line longer than 998 octets")
    for line in head.split(b"\r\n"):
        for word in re.findall(rb"=\?[^?]+\?[BbQq]\?[^?]*\?=", line):
            check(len(word) <= 75, "encoded-word longer than 75: %r" % word)
        if b"=?" in line:
            check(len(line) <= 76, "header line with encoded-words longer than 76: %r" % line)
        check(all(32 <= c < 127 or c == 9 for c in line), "non-ASCII header line: %r" % line)


def check_calendar(part_bytes, payload, recipients, organizer):
    cal = icalendar.Calendar.from_ical(part_bytes)
    method = payload["method"]
    meeting = payload["meeting"]
    check(str(cal.get("METHOD")) == method, "METHOD %s, payload %s" % (cal.get("METHOD"), method))
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    if not check(len(events) == 1, "%d VEVENTs" % len(events)):
        return cal
    ev = events[0]
    check(str(ev.get("UID")) == meeting["uid"], "UID %s" % ev.get("UID"))
    check(int(ev.get("SEQUENCE")) == meeting["sequence"], "SEQUENCE %s" % ev.get("SEQUENCE"))
    dtstart = ev.get("DTSTART")
    check(dtstart.params.get("TZID") == meeting["timezone"], "DTSTART TZID %s" % dtstart.params.get("TZID"))
    check(dtstart.dt.strftime("%Y-%m-%dT%H:%M") == meeting["starts_at"], "DTSTART %s" % dtstart.dt)
    tzids = [str(c.get("TZID")) for c in cal.walk() if c.name == "VTIMEZONE"]
    check(tzids == [meeting["timezone"]], "VTIMEZONE %s" % tzids)
    rrule = ev.get("RRULE")
    check(rrule is not None and rrule.get("FREQ") == ["WEEKLY"]
          and [int(x) for x in rrule.get("INTERVAL", [1])] == [meeting["every_weeks"]],
          "RRULE %s" % rrule)
    att = ev.get("ATTENDEE")
    att = att if isinstance(att, list) else [att] if att is not None else []
    got = sorted(str(a).lower().replace("mailto:", "") for a in att)
    want = [a["email"].lower() for a in payload["attendees"]]
    # Issue 12: the FM is an attendee with ROLE=CHAIR; the service mailbox organizes.
    chair = payload.get("chair")
    if chair:
        want.append(chair["email"].lower())
        roles = [a.params.get("ROLE") for a in att
                 if str(a).lower() == "mailto:" + chair["email"].lower()]
        check(roles == ["CHAIR"], "the FM's ROLE %s, want CHAIR" % roles)
    check(got == sorted(want), "ATTENDEE %s, payload %s" % (got, sorted(want)))
    check(str(ev.get("ORGANIZER")).lower() == "mailto:" + organizer.lower(), "ORGANIZER %s" % ev.get("ORGANIZER"))
    check("URL" not in ev, "URL %s: the customer page needs a login" % ev.get("URL"))
    check("/customers/" not in str(ev.get("DESCRIPTION")), "customer page in the DESCRIPTION")
    url = meeting.get("meeting_url")
    check(str(ev.get("LOCATION")) == url if url else "LOCATION" not in ev, "LOCATION %s" % ev.get("LOCATION"))
    if method == "CANCEL" and meeting["status"] == "CANCELLED":
        check(str(ev.get("STATUS")) == "CANCELLED", "STATUS %s on a CANCEL" % ev.get("STATUS"))
    elif method == "CANCEL":
        check("STATUS" not in ev, "STATUS %s on a personal CANCEL" % ev.get("STATUS"))
    return cal


def main():
    kind, eml, payload_f, rcpts_f, env_f, message_id, organizer, base_url = sys.argv[1:9]
    raw = open(eml, "rb").read()
    payload = json.load(open(payload_f, encoding="utf-8"))
    recipients = json.loads(open(rcpts_f, encoding="utf-8").read())
    envelope = json.load(open(env_f, encoding="utf-8"))
    check_raw(raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    customer = payload["customer"]["name"]

    check(msg["Message-ID"] == message_id, "Message-ID %s, outbox %s" % (msg["Message-ID"], message_id))
    check(msg["Date"] is not None and msg["Date"].datetime is not None, "no parseable Date")
    check(msg["MIME-Version"] == "1.0", "MIME-Version %s" % msg["MIME-Version"])
    chair = payload.get("chair") if kind != "handshake" else None
    want_to = [r["email"].lower() for r in recipients]
    if chair and chair["email"].lower() not in want_to:
        want_to.append(chair["email"].lower())
    check(addresses(msg["To"]) == want_to, "To %s, want %s" % (msg["To"], want_to))
    # A human reply reaches the FM; From stays the service address (DMARC).
    if chair:
        check(addresses(msg["Reply-To"]) == [chair["email"].lower()], "Reply-To %s" % msg["Reply-To"])
    else:
        check(msg["Reply-To"] is None, "Reply-To %s without a chair" % msg["Reply-To"])
    check(msg.get_content_type() == "multipart/mixed", "top is %s" % msg.get_content_type())
    parts = msg.get_payload()
    alt = parts[0] if parts else None
    check(alt is not None and alt.get_content_type() == "multipart/alternative",
          "first part is not multipart/alternative")
    sub = alt.get_payload() if alt is not None else []
    types = [p.get_content_type() for p in sub]
    want_rcpt = list(want_to)
    text = sub[0].get_content() if sub else ""
    html = sub[1].get_content() if len(sub) > 1 else ""
    link = base_url + payload["url"]
    if kind == "handshake":
        check(link in text and link in html, "link %s missing from a body" % link)
    else:
        # Issue 12: the customer's mail never links the FM's login-protected page.
        check(link not in text and link not in html, "link %s in a body" % link)
        check("<ul>\n</ul>" not in html, "an empty list in the HTML body")

    if kind in ("invite", "cancel"):
        check(types == ["text/plain", "text/html", "text/calendar"], "alternative holds %s" % types)
        check(len(parts) == 2, "%d top-level parts" % len(parts))
        check(msg["Cc"] is None, "Cc on an invite")
        seq = payload["meeting"]["sequence"]
        removed = kind == "cancel" and payload["meeting"]["status"] != "CANCELLED"
        prefix = "Removed: " if removed else "Cancelled: " if kind == "cancel" else \
            "Updated: " if seq > 0 else ""
        want = prefix + "Success Check-in \u2014 " + customer
        check(str(msg["Subject"]) == want, "Subject %r, want %r" % (str(msg["Subject"]), want))
        if len(sub) == 3 and len(parts) == 2:
            calpart = sub[2]
            method = calpart.get_param("method")
            check(method == payload["method"], "part method=%s, payload %s" % (method, payload["method"]))
            check((calpart.get_param("charset") or "").lower() == "utf-8", "calendar charset")
            inline = calpart.get_payload(decode=True)
            check_calendar(inline, payload, recipients, organizer)
            att = parts[1]
            check(att.get_content_type() in ("application/ics", "text/calendar"),
                  "attachment type %s" % att.get_content_type())
            check(att.get_content_disposition() == "attachment", "attachment disposition")
            check(att.get_filename() == "invite.ics", "attachment filename %s" % att.get_filename())
            check(att.get_payload(decode=True) == inline, "attachment differs from the inline calendar")
        check(customer in text, "customer name not in the text body")
    elif kind == "handshake":
        check(types == ["text/plain", "text/html"], "alternative holds %s" % types)
        check(len(parts) == 1, "%d top-level parts" % len(parts))
        check(addresses(msg["Cc"]) == [organizer.lower()], "Cc %s" % msg["Cc"])
        want_rcpt = want_rcpt + [organizer.lower()]
        svc = payload["services"][0]
        want = "FastTrack handshake: %s \u2014 %s" % (customer, svc["title"])
        check(str(msg["Subject"]) == want, "Subject %r, want %r" % (str(msg["Subject"]), want))
        for needle in [customer, svc["title"], svc["activated_on"], payload["customer"]["tenant_domain"]] + \
                [c["email"] for c in payload["customer"].get("contacts", [])]:
            check(needle in text, "%r not in the text body" % needle)
        check("<script>" not in html, "unescaped markup in the HTML body")
    else:
        check(False, "unknown kind %s" % kind)
    check(sorted(a.lower() for a in envelope["rcpt_tos"]) == sorted(want_rcpt),
          "envelope recipients %s, want %s" % (envelope["rcpt_tos"], want_rcpt))

    if errors:
        for e in errors:
            print("%s: %s" % (eml, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
