#!/bin/sh
# ical_interop.sh -- builds every sample payload into an .ics and checks it with an independent parser.
#
# The parser is Debian's python3-icalendar; offsets come from Python's zoneinfo.
# Debian's modules live in /usr/bin/python3 (the python3 on PATH may be another
# build).  Exit 77 (SKIP) only when that interpreter cannot import them.
set -u

: "${top_srcdir:?top_srcdir must be set (make check sets it)}"
: "${top_builddir:?top_builddir must be set (make check sets it)}"

PY=/usr/bin/python3
TOOL="$top_builddir/tests/tools/ics_from_payload"
CHECK="$top_srcdir/tests/integration/ical/check_ics.py"
PAYLOADS="$top_srcdir/tests/data/payloads"
STAMP=1795608000	# 2026-11-25T12:00:00Z

if ! [ -x "$PY" ] || ! "$PY" -c 'import icalendar, dateutil.rrule, zoneinfo' 2>/dev/null; then
	echo "SKIP: $PY cannot import icalendar/dateutil/zoneinfo (apt-get install python3-icalendar)"
	exit 77
fi
if ! [ -x "$TOOL" ]; then
	echo "FAIL: $TOOL is not built"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ical_interop.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

fail=0
count=0
for payload in "$PAYLOADS"/*.json; do
	name=$(basename "$payload" .json)
	count=$((count + 1))
	if ! "$TOOL" -t "$STAMP" -b https://fm.example -L "$top_builddir/po/locale" "$payload" \
	    >"$tmp/$name.ics"; then
		echo "FAIL: $name: ics_from_payload refused the payload"
		fail=1
		continue
	fi
	echo "$name:"
	if ! "$PY" "$CHECK" "$payload" "$tmp/$name.ics"; then
		echo "FAIL: $name"
		fail=1
	fi
done
# A Portuguese customer's invitation (payload version 4) reads in Portuguese and parses the same.
unfold() { sed -e ':a' -e 'N' -e '$!ba' -e 's/\r\n[ \t]//g' "$1"; }
if ! unfold "$tmp/update_chair_pt_br.ics" | grep -q 'Check-in de Sucesso com Contoso' ||
    ! unfold "$tmp/update_chair_pt_br.ics" | grep -q 'horário de São Paulo' ||
    unfold "$tmp/update_chair_pt_br.ics" | grep -q 'Success Check-in with'; then
	echo "FAIL: update_chair_pt_br: the DESCRIPTION is not in Portuguese"
	fail=1
fi
if [ "$count" -lt 9 ]; then
	echo "FAIL: only $count payloads in $PAYLOADS"
	fail=1
fi

# The checker must be able to fail: a VTIMEZONE whose summer offset is wrong,
# an attendee whose RSVP was dropped, the FM not in the chair, a skipped check-in without its EXDATE, a
# split series whose UNTIL drops its last held check-in (21:30Z is 16:30 EST),
# a move naming the wrong occurrence, and a series whose override of a moved
# check-in is at the wrong time are all caught.
sed 's/^TZOFFSETTO:+0200/TZOFFSETTO:+0300/' "$tmp/invite_berlin.ics" >"$tmp/bad_offset.ics"
sed 's/;RSVP=TRUE//' "$tmp/invite_berlin.ics" >"$tmp/bad_rsvp.ics"
sed 's/ROLE=CHAIR/ROLE=REQ-PARTICIPANT/' "$tmp/update_chair_sao_paulo.ics" >"$tmp/bad_chair.ics"
sed '/^EXDATE/d' "$tmp/exdate_berlin.ics" >"$tmp/bad_exdate.ics"
sed 's/UNTIL=20261109T213000Z/UNTIL=20261109T203000Z/' "$tmp/split_new_york.ics" >"$tmp/bad_until.ics"
sed 's/^RECURRENCE-ID;TZID=Europe\/Berlin:20260417T100000/RECURRENCE-ID;TZID=Europe\/Berlin:20260417T110000/' \
    "$tmp/move_berlin.ics" >"$tmp/bad_rid.ics"
sed 's/^DTSTART;TZID=Europe\/Berlin:20260420T153000/DTSTART;TZID=Europe\/Berlin:20260420T163000/' \
    "$tmp/moved_series_berlin.ics" >"$tmp/bad_override.ics"
for pair in bad_offset:invite_berlin bad_rsvp:invite_berlin bad_chair:update_chair_sao_paulo \
    bad_exdate:exdate_berlin \
    bad_until:split_new_york bad_rid:move_berlin bad_override:moved_series_berlin; do
	bad=${pair%%:*}
	good=${pair#*:}
	if cmp -s "$tmp/$bad.ics" "$tmp/$good.ics"; then
		echo "FAIL: $bad: the tampering did not change the file"
		fail=1
	elif "$PY" "$CHECK" "$PAYLOADS/$good.json" "$tmp/$bad.ics" >"$tmp/$bad.out"; then
		echo "FAIL: $bad: the checker accepted a broken calendar"
		fail=1
	else
		echo "$bad: rejected as expected ($(grep -c 'check failed' "$tmp/$bad.out") failures)"
	fi
done

# A refused payload makes the tool fail, naming the JSON path.
sed 's/"starts_at": "2026-03-20T10:00",//' "$PAYLOADS/invite_berlin.json" >"$tmp/no_start.json"
if "$TOOL" -t "$STAMP" "$tmp/no_start.json" >/dev/null 2>"$tmp/no_start.err"; then
	echo "FAIL: a payload without meeting.starts_at was accepted"
	fail=1
elif ! grep -q 'meeting.starts_at' "$tmp/no_start.err"; then
	echo "FAIL: the error does not name meeting.starts_at: $(cat "$tmp/no_start.err")"
	fail=1
fi

# The personal calendar feed (feed.c, GET /feed/TOKEN.ics): five series in
# four zones plus a second Berlin series that started months earlier (its
# zone is described once, reaching back to the earlier start) and one next
# action as an all-day event; then three broken feeds the checker must reject.
FEED="$top_builddir/tests/tools/feed_from_payloads"
FCHECK="$top_srcdir/tests/integration/ical/check_feed.py"
DAY="2026-12-09=Next action \342\200\224 Contoso, Ltd: call; then mail"
DAY=$(printf "$DAY")
sed -e 's/"uid": "checkin-21-0a1b2c3d@ftsuccess"/"uid": "checkin-22-early@ftsuccess"/' \
    -e 's/"starts_at": "2026-03-20T10:00"/"starts_at": "2025-11-07T09:00"/' \
    "$PAYLOADS/invite_berlin.json" >"$tmp/early_berlin.json"
set -- "$PAYLOADS/invite_berlin.json" "$tmp/early_berlin.json" "$PAYLOADS/invite_sao_paulo.json" \
    "$PAYLOADS/split_new_york.json" "$PAYLOADS/invite_lord_howe.json" "$PAYLOADS/invite_utc.json"
if ! grep -q checkin-22-early "$tmp/early_berlin.json"; then
	echo "FAIL: the second Berlin series was not made"
	fail=1
elif ! "$FEED" -t "$STAMP" -d "$DAY" "$@" >"$tmp/feed.ics"; then
	echo "FAIL: feed_from_payloads refused the payloads"
	fail=1
else
	echo "feed:"
	if ! "$PY" "$FCHECK" "$tmp/feed.ics" "$DAY" "$@"; then
		echo "FAIL: feed"
		fail=1
	fi
	sed 's/^VERSION:2.0/VERSION:2.0\r\nMETHOD:PUBLISH/' "$tmp/feed.ics" >"$tmp/bad_method.ics"
	awk 'BEGIN { skip = 0 } /^BEGIN:VTIMEZONE/ && !done { skip = 1 }
	    { if (!skip) print } /^END:VTIMEZONE/ && skip { skip = 0; done = 1 }' \
	    "$tmp/feed.ics" >"$tmp/bad_zone.ics"
	sed 's/^DTEND;VALUE=DATE:20261210/DTEND;VALUE=DATE:20261209/' "$tmp/feed.ics" >"$tmp/bad_day.ics"
	for bad in bad_method bad_zone bad_day; do
		if cmp -s "$tmp/$bad.ics" "$tmp/feed.ics"; then
			echo "FAIL: $bad: the tampering did not change the feed"
			fail=1
		elif "$PY" "$FCHECK" "$tmp/$bad.ics" "$DAY" "$@" >"$tmp/$bad.out"; then
			echo "FAIL: $bad: the checker accepted a broken feed"
			fail=1
		else
			echo "$bad: rejected as expected ($(grep -c 'check failed' "$tmp/$bad.out") failures)"
		fi
	done
fi

exit $fail
