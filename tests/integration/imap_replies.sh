#!/bin/bash
# imap_replies.sh -- calendar replies read from a real IMAP server: Debian's
# dovecot-imapd started here with its own configuration (Maildir, one
# passwd-file user, a loopback port), stopped at the end.  The fixtures of
# tests/data/imip/ (as Outlook, Gmail, Apple Calendar and Thunderbird write
# them) are delivered into the Maildir; ftsuccess-notifier --once reads them;
# the API shows who accepted or declined, the Unmatched replies list the
# rest.  Then the notifier is killed (-9) between fetch and commit, and
# between commit and flag: each time the reply is applied exactly once.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

NOTIFIER=$top_builddir/notifier/ftsuccess-notifier
FIX=$top_srcdir/tests/data/imip
UID_SERIES="checkin-1-5f2a9c1e@ftsuccess"

it_init imap_replies
needs jq sqlite3
[ -x /usr/sbin/dovecot ] || skip "dovecot not installed (Debian package dovecot-imapd)"
[ "$(id -u)" = 0 ] || skip "dovecot's mail user needs root to set up"
id dovecot > /dev/null 2>&1 && id dovenull > /dev/null 2>&1 || skip "no dovecot/dovenull users"
[ -x "$NOTIFIER" ] || bail "$NOTIFIER not built"

# ---- the IMAP server ----
. "$top_srcdir/tests/integration/imap/dovecot_lib.sh"
dovecot_start "$T/dovecot" fm secret
echo "# dovecot on 127.0.0.1:$IMAP_PORT, Maildir $MAILDIR"

# ---- the application: a São Paulo customer, four contacts, a series ----
web_conf "$T/app.conf" http://127.0.0.1:8080 "smtp_url = smtp://127.0.0.1:$(free_port)"
it_user alice

# api METHOD PATH [JSON]: one API request as plain CGI; body in $T/resp.b, STATUS set.
api() {
	local method=$1 path=$2 body=${3:-}
	printf '%s' "$body" > "$T/req.b"
	env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
	    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD="$method" \
	    SCRIPT_NAME= PATH_INFO="$path" QUERY_STRING= SERVER_NAME=127.0.0.1 SERVER_PORT=8080 \
	    REMOTE_ADDR=127.0.0.1 REMOTE_USER=alice CONTENT_TYPE=application/json \
	    CONTENT_LENGTH=$(wc -c < "$T/req.b") "$BIN" --config "$T/app.conf" \
	    < "$T/req.b" > "$T/resp.raw" 2> "$T/cgi.err"
	STATUS=$(sed -n 's/^Status: \([0-9][0-9][0-9]\).*/\1/p' "$T/resp.raw" | head -1)
	[ -n "$STATUS" ] || STATUS=200
	awk 'b { print } /^\r?$/ { b = 1 }' "$T/resp.raw" > "$T/resp.b"
}
api POST /api/customers '{"name":"Companhia Brasileira","tenant_domain":"cba.example","timezone":"America/Sao_Paulo"}'
eq "customer created" "$STATUS" 201
C=$(jq -r .id < "$T/resp.b")
for p in "Ana Souza:ana@cba.example" "João Araújo:joao@cba.example" \
    "Maria Lima:maria@cba.example" "Equipe TI:it@cba.example"; do
	api POST "/api/customers/$C/contacts" "$(jq -nc --arg n "${p%%:*}" --arg e "${p#*:}" '{name: $n, email: $e}')"
	eq "contact ${p#*:} added" "$STATUS" 201
done
api POST "/api/customers/$C/services" '{"service":"teams","activated_on":"2026-10-01","target_percent":50}'
eq "service activated" "$STATUS" 201
# A series starting next week (the API refuses a past start); the replies name their own dates.
api POST "/api/customers/$C/meetings" \
    "{\"starts_at\":\"$(date -u -d '+7 days' +%Y-%m-%d)T10:00\",\"duration_minutes\":30,\"every_weeks\":2}"
eq "series scheduled" "$STATUS" 201
[ "$STATUS" = 201 ] || note "$(cat "$T/resp.b")"
# The fixtures answer one UID at SEQUENCE 2: give the series that UID and revision.
sqlite3 "$T/db.sqlite" "UPDATE meeting SET uid = '$UID_SERIES', sequence = 2 WHERE customer_id = $C"

# ---- the notifier, reading the mailbox ----
printf 'secret\n' > "$T/imap-password"
chmod 600 "$T/imap-password"
cp "$T/app.conf" "$T/notifier.conf"
printf '%s\n' "imap_url = imap://127.0.0.1:$IMAP_PORT/INBOX" "imap_user = fm" \
    "imap_password_file = $T/imap-password" "smtp_connect_timeout = 2" >> "$T/notifier.conf"
# notifier NAME [VAR=value...]: ftsuccess-notifier --once, log in $T/NAME.log; sets NOTIFIER_RC.
notifier() {
	local name=$1
	shift
	env "$@" "$NOTIFIER" --config "$T/notifier.conf" --once > "$T/$name.log" 2>&1
	NOTIFIER_RC=$?
}
q() { sqlite3 -batch -noheader "$T/db.sqlite" "$1"; }

for f in outlook_accepted gmail_declined_occurrence apple_tentative_occurrence outlook_counter \
    thunderbird_stale non_attendee unknown_uid garbage_mime human_reply; do
	maildir_deliver "$FIX/$f.eml"
done
notifier first
eq "notifier --once exits 0" "$NOTIFIER_RC" 0
grep -q "mailbox read=9 applied=3 stale=1 proposals=1 unmatched=4 duplicates=0" "$T/first.log" &&
    pass "nine messages read: 3 applied, 1 stale, 1 proposal, 4 unmatched" ||
    { fail "nine messages read"; note "$(cat "$T/first.log")"; }

api GET "/api/customers/$C"
eq "customer page" "$STATUS" 200
answer() { jq -r --arg e "$1" --arg o "$2" \
    '[.responses[] | select(.email == $e and .occurs_on == $o) | .partstat] | join(",")' < "$T/resp.b"; }
eq "Outlook: Ana accepted the series" "$(answer ana@cba.example '')" accepted
eq "Gmail: João declined the 10 Dec occurrence" "$(answer joao@cba.example 2026-12-10)" declined
eq "Apple: Maria tentative for the 10 Dec occurrence" "$(answer maria@cba.example 2026-12-10)" tentative
eq "stale Thunderbird decline not applied" "$(answer it@cba.example '')" ""
eq "who is coming, in words" "$(jq -r .responses_text < "$T/resp.b")" \
    "Ana Souza accepted, João Araújo declined the Thu 10 Dec 2026 occurrence, Maria Lima tentatively accepted the Thu 10 Dec 2026 occurrence"
eq "COUNTER shown as a proposal" "$(jq -r '.proposals[0].proposed_start_at' < "$T/resp.b")" "2026-11-26T15:00:00Z"

api GET /api/replies/unmatched
eq "unmatched replies list" "$STATUS" 200
eq "unmatched reasons, newest first" \
    "$(jq -r '[.replies[].reason] | join(" ")' < "$T/resp.b")" \
    "no_calendar bad_mime unknown_uid not_attendee stale"

# Read again: every message is flagged, nothing is read twice.
notifier again
eq "second poll exits 0" "$NOTIFIER_RC" 0
if grep -q "mailbox read=" "$T/again.log"; then fail "second poll read nothing"; note "$(cat "$T/again.log")"
else pass "second poll read nothing (messages flagged $IMAP_DONE)"; fi
eq "nine messages kept once each" "$(q 'SELECT count(*) FROM reply_message')" 9

# kill_at VAR WHERE: the notifier run with test hook VAR (notifier/imap.h) naming
# $T/WHERE, killed -9 once it made that file (it waits there to be killed).
kill_at() {
	local pid i
	env "$1=$T/$2" "$NOTIFIER" --config "$T/notifier.conf" --once > "$T/killed-$2.log" 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do [ -e "$T/$2" ] && break; sleep 0.1; done
	[ -e "$T/$2" ] && pass "notifier paused: $2" || fail "notifier paused: $2"
	kill -KILL "$pid"
	wait "$pid" 2> /dev/null
}

# ---- kill -9 between fetch and commit: read again, applied once ----
maildir_deliver "$FIX/thunderbird_accepted.eml"
kill_at FTSUCCESS_TEST_IMAP_PAUSE_FILE fetched
eq "nothing committed before the kill" "$(q "SELECT count(*) FROM reply_message WHERE message_key = '<tb-accepted-1@cba.example>'")" 0
notifier after_kill1
eq "next poll exits 0" "$NOTIFIER_RC" 0
grep -q "applied=1" "$T/after_kill1.log" && pass "the reply read again and applied" ||
    { fail "the reply read again and applied"; note "$(cat "$T/after_kill1.log")"; }
api GET "/api/customers/$C"
eq "Thunderbird: Equipe TI accepted" "$(answer it@cba.example '')" accepted

# ---- kill -9 between commit and flag: read again, counted once ----
cp "$FIX/thunderbird_accepted.eml" "$T/tb2.eml"
sed -i 's/tb-accepted-1@/tb-accepted-2@/; s/PARTSTAT=ACCEPTED/PARTSTAT=TENTATIVE/' "$T/tb2.eml"
# (the base64 copy keeps ACCEPTED; the first calendar part is the one applied)
maildir_deliver "$T/tb2.eml"
kill_at FTSUCCESS_TEST_IMAP_PAUSE_FLAG_FILE committed
eq "committed before the kill" "$(q "SELECT count(*) FROM reply_message WHERE message_key = '<tb-accepted-2@cba.example>'")" 1
notifier after_kill2
grep -q "read=1 applied=0 stale=0 proposals=0 unmatched=0 duplicates=1" "$T/after_kill2.log" &&
    pass "read again: a duplicate, nothing applied twice" ||
    { fail "read again: a duplicate"; note "$(cat "$T/after_kill2.log")"; }
eq "still one row for the message" "$(q "SELECT count(*) FROM reply_message WHERE message_key = '<tb-accepted-2@cba.example>'")" 1
api GET "/api/customers/$C"
eq "Equipe TI's answer is the committed one" "$(answer it@cba.example '')" tentative
notifier last
if grep -q "mailbox read=" "$T/last.log"; then fail "flagged after the duplicate"; else pass "flagged after the duplicate"; fi

dovecot_stop
it_done
