#!/bin/sh
# notification_examples.sh -- prints, as Markdown, every message a check-in series sends, made by the real code.
#
# The rules queue the rows (outbox_tool's "examples" scenario: schedule, an
# update, a skip, a move, a removed contact, a reassignment, a split, a
# cancel), ftsuccess-notifier --dry-run builds each message, and this prints
# its headers, its text body and its calendar (folding undone; the VTIMEZONE,
# DTSTAMP and the bulky DESCRIPTION left out).  docs/notifications.md shows
# the output; regenerate it after a change of the messages:
#   tests/tools/notification_examples.sh build >examples.md
set -eu

build=${1:?usage: notification_examples.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$build/tests/tools/outbox_tool" "$tmp/db.sqlite" examples
cat >"$tmp/conf" <<CONF
database = $tmp/db.sqlite
templates_dir = $src/www/templates
smtp_url = smtp://127.0.0.1:25
smtp_from = "Success Check-ins" <checkins@fm.example>
organizer_name = Success Check-ins
organizer_email = checkins@fm.example
base_url = https://ftsuccess.example
CONF
mkdir "$tmp/eml"
"$build/notifier/ftsuccess-notifier" --config "$tmp/conf" --dry-run "$tmp/eml" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log" >&2; exit 1; }

/usr/bin/python3 - "$tmp/eml" <<'PY'
import email, email.policy, os, re, sys

titles = [
    "REQUEST: a new series",
    "Update: moved, saying what changed",
    "Skip one check-in (CANCEL with RECURRENCE-ID)",
    "Move one check-in (REQUEST with RECURRENCE-ID)",
    "Update after a contact stopped receiving invites",
    "Personal cancel: the contact removed",
    "Update after the customer was reassigned (the new FM in the chair)",
    "Personal cancel: the previous FM",
    "Split, 1 of 2: the old series ends (RRULE UNTIL)",
    "Split, 2 of 2: the new series",
    "CANCEL: the series",
]
keep = ("METHOD", "BEGIN", "UID", "SEQUENCE", "ORGANIZER", "ATTENDEE", "DTSTART", "DTEND",
        "DURATION", "RRULE", "EXDATE", "RECURRENCE-ID", "STATUS", "LOCATION", "URL")
d = sys.argv[1]
uids = {}


def stable(text):
    """The random part of each UID as a letter run, so the output is the same every time."""
    def rep(m):
        uids.setdefault(m.group(1), "abcdefgh"[len(uids) % 8] * 16)
        return "checkin-%s-%s@" % (m.group(0).split("-")[1], uids[m.group(1)])
    return re.sub(r"checkin-\d+-([0-9a-f]{16})@", rep, text)


for i, name in enumerate(sorted(os.listdir(d))):
    msg = email.message_from_bytes(open(os.path.join(d, name), "rb").read(),
                                   policy=email.policy.default)
    print("#### %d. %s\n" % (i + 1, titles[i] if i < len(titles) else name))
    print("```")
    for h in ("From", "To", "Reply-To", "Subject"):
        if msg[h] is not None:
            print("%s: %s" % (h, " ".join(str(msg[h]).split())))
    print()
    alt = msg.get_payload()[0]
    text = alt.get_payload()[0].get_content().replace("\r\n", "\n").strip("\n")
    print(text)
    print("```\n")
    cal = [p for p in alt.get_payload() if p.get_content_type() == "text/calendar"]
    if cal:
        ics = cal[0].get_payload(decode=True).decode("utf-8").replace("\r\n ", "")
        ics = re.sub(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE\r\n", "", ics, flags=re.S)
        lines = [l for l in ics.split("\r\n") if l.split(":")[0].split(";")[0] in keep
                 and l not in ("BEGIN:VCALENDAR",)]
        print("```")
        print(stable("\n".join(lines)))
        print("```\n")
PY
