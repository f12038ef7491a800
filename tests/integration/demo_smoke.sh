#!/usr/bin/env bash
# demo_smoke.sh -- scripts/demo end to end: the stack it starts in the
# background (on free ports, in a temp var dir, with the programs of this
# build) serves the sample customers through nginx, the notifier delivers
# the seeded invites and handshakes into the Maildir, a second start is
# refused, --stop leaves no process behind, and a restart over stale pid
# files and a stale socket works.  Skips (77) only when nginx or aiosmtpd
# is missing and cannot be installed.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
# shellcheck source=scripts/lib/proc.sh
. "$top_srcdir/scripts/lib/proc.sh"
# shellcheck source=scripts/lib/packages.sh
. "$top_srcdir/scripts/lib/packages.sh"

demo=$top_srcdir/scripts/demo
fails=0
checks=0
pass() { checks=$((checks + 1)); echo "ok - $1"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; }
note() { printf '%s\n' "$@" | sed 's/^/    /' | head -30; }

## Prerequisites: install them when we may (root with apt), else skip.
need_pkgs=()
command -v nginx > /dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_pkgs+=("nginx-light|nginx")
/usr/bin/python3 -c 'import aiosmtpd' 2> /dev/null || need_pkgs+=(python3-aiosmtpd)
command -v curl > /dev/null 2>&1 || need_pkgs+=(curl)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
		pkg_install "$(mktemp /tmp/demo_smoke_apt.XXXXXX)" "${need_pkgs[@]}" ||
		    { echo "SKIP: cannot install ${need_pkgs[*]}"; exit 77; }
	else
		echo "SKIP: missing ${need_pkgs[*]} and not root to install them"
		exit 77
	fi
fi
for b in cgi/ftsuccess.fcgi notifier/ftsuccess-notifier tools/ftsuccess-sample-data; do
	[ -x "$top_builddir/$b" ] || { echo "Bail out! $top_builddir/$b not built"; exit 99; }
done

T=$(mktemp -d /tmp/demo_smoke.XXXXXX)
var=$T/var
cleanup() {
	"$demo" --stop --var "$var" > /dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

port=$(free_port) && mail_port=$(free_port) || { echo "Bail out! no free port"; exit 99; }
while [ "$mail_port" = "$port" ]; do mail_port=$(free_port); done
run_demo() {
	"$demo" --no-install --no-build --build-dir "$top_builddir" --var "$var" "$@"
}
base=http://127.0.0.1:$port

## 1. Start in the background.
if run_demo --background --port "$port" --mail-port "$mail_port" > "$T/start.out" 2>&1; then
	pass "scripts/demo --background starts"
else
	fail "scripts/demo --background starts"
	note "$(cat "$T/start.out")" "$(tail -n 20 "$var"/log/*.log 2> /dev/null)"
	exit 1
fi
grep -q "$base/" "$T/start.out" && pass "prints the URL" || fail "prints the URL"
grep -q "$var/mail" "$T/start.out" && pass "prints where mail lands" || fail "prints where mail lands"

## 2. Pages through nginx.
get() {
	STATUS=$(curl -sS -g -o "$T/body" -w '%{http_code}' "$base$1" 2> "$T/curl.err")
	[ -n "$STATUS" ] || STATUS=000
}
get /
if [ "$STATUS" = 200 ]; then pass "GET / is 200"; else fail "GET / is $STATUS"; fi
for name in "Café Aurora Ltda." "Transportes Lusitânia S.A." "Harbor &amp; Pine Outfitters" \
    "Sakura Denki K.K." "Kaffeehaus Müller &amp; Söhne"; do
	if grep -qF "$name" "$T/body"; then pass "portfolio lists $name"
	else fail "portfolio lists $name"; fi
done
grep -q "Harbor & Pine" "$T/body" && fail "portfolio escapes & in names" ||
    pass "portfolio escapes & in names"
get /healthz
[ "$STATUS" = 200 ] && pass "GET /healthz is 200" || fail "GET /healthz is $STATUS"
get /static/style.css
[ "$STATUS" = 200 ] && pass "nginx serves /static/style.css" || fail "GET /static/style.css is $STATUS"
get /customers/1
if [ "$STATUS" = 200 ] && grep -qF "João Conceição" "$T/body"; then
	pass "customer page through nginx names the contacts"
else
	fail "customer page is $STATUS or lacks João Conceição"
fi
get /no/such/page
[ "$STATUS" = 404 ] && pass "unknown path is 404 from the application" || fail "unknown path is $STATUS"

## 3. The notifier delivers every seeded message into the Maildir.
want=$(sed -n 's/.* \([0-9][0-9]*\) outbox messages.*/\1/p' "$var/log/sample-data.log")
if [ -z "$want" ] || [ "$want" -lt 10 ]; then
	fail "sample data queued messages (got '${want:-none}')"
	want=1
else
	pass "sample data queued $want messages"
fi
n=0
for ((i = 0; i < 300; i++)); do
	n=$(find "$var/mail/new" -type f | wc -l)
	[ "$n" -ge "$want" ] && break
	sleep 0.1
done
if [ "$n" -eq "$want" ]; then
	pass "all $want messages delivered to the Maildir within $((i / 10)) s"
else
	fail "Maildir has $n of $want messages after 30 s"
	note "$(tail -n 10 "$var/log/notifier.log")"
fi
mails=$(find "$var/mail/new" -type f)
# has_mail PATTERN: some delivered message matches (grep -E, case-insensitive).
has_mail() {
	# shellcheck disable=SC2086 # Maildir file names have no spaces
	[ -n "$mails" ] && grep -qiE "$1" $mails
}
has_mail 'content-type: text/calendar; method=REQUEST' &&
    pass "invites carry an iCalendar REQUEST part" || fail "no iCalendar REQUEST part delivered"
has_mail 'content-type: text/calendar; method=CANCEL' &&
    pass "the closed customer's series was cancelled (CANCEL part)" || fail "no iCalendar CANCEL delivered"
has_mail 'sergio\.antunes@csm\.example' &&
    pass "handshake went to the CSM of the mixed customer" || fail "no message to sergio.antunes@csm.example"
has_mail 'katrin\.vogel@csm\.example' &&
    pass "handshakes of the all-CSM-led customer went out" || fail "no message to katrin.vogel@csm.example"
has_mail '^subject: =\?utf-8\?' &&
    pass "accented subjects are RFC 2047 encoded" || fail "no RFC 2047 subject"

## 3b. The write path end to end: a form POST through nginx reschedules a
## series.  The demo's series started weeks ago, so the reschedule splits it:
## the notifier mails the old series' update (same UID, SEQUENCE 1, RRULE
## ending with UNTIL) and the new series (its own UID, SEQUENCE 0, the new
## local start) to the Maildir.
## Customer 3 is Carlos's: the demo acts as him through its switch (?as=, a cookie after).
curl -sS -c "$T/cookies" -b "$T/cookies" -o "$T/c3.html" "$base/customers/3?as=carlos.mendes"
meeting=$(grep -o 'action="/meetings/[0-9]*"' "$T/c3.html" | head -1 | tr -dc 0-9)
token=$(grep -o 'name="csrf" value="[^"]*"' "$T/c3.html" | head -1 | sed 's/.*value="//; s/"$//')
when=$(date -u -d '+7 days' +%Y-%m-%d)T15:30
if [ -n "$meeting" ] && [ -n "$token" ]; then
	STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -c "$T/cookies" -b "$T/cookies" \
	    -H "Origin: $base" --data-urlencode "csrf=$token" --data-urlencode "starts_at=$when" \
	    --data-urlencode duration_minutes=45 --data-urlencode every_weeks=2 "$base/meetings/$meeting")
	[ "$STATUS" = 303 ] && pass "reschedule form through nginx: 303" || fail "reschedule form: $STATUS"
	for ((i = 0; i < 150; i++)); do
		[ "$(find "$var/mail/new" -type f | wc -l)" -gt "$((n + 1))" ] && break
		sleep 0.1
	done
	ics=""
	for f in $(find "$var/mail/new" -type f -newer "$T/c3.html"); do
		ics="$ics$(/usr/bin/python3 -c '
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for p in m.walk():
    if p.get_content_type() == "text/calendar":
        sys.stdout.write(p.get_payload(decode=True).decode())' "$f")
"
		n=$((n + 1))
	done
	if [ "$(echo "$ics" | grep -c '^BEGIN:VCALENDAR')" -eq 2 ]; then
		pass "the split's two mails reached the Maildir in $((i / 10)) s"
		echo "$ics" | grep -q '^SEQUENCE:1' && echo "$ics" | grep -q '^RRULE:.*UNTIL=[0-9T]*Z' &&
		    pass "the old series' update carries SEQUENCE:1 and UNTIL" ||
		    fail "no update with SEQUENCE:1 and UNTIL"
		echo "$ics" | grep -q '^SEQUENCE:0' &&
		    [ "$(echo "$ics" | grep '^UID:' | sort -u | wc -l)" -eq 2 ] &&
		    pass "the new series has SEQUENCE:0 and a UID of its own" ||
		    fail "the new series does not have SEQUENCE:0 and its own UID"
		echo "$ics" | grep -q "^DTSTART;TZID=America/New_York:${when//[-:]/}00" &&
		    pass "the new series starts at the new local time" || fail "no DTSTART at $when New York"
	else
		fail "not two split mails within 15 s"
		note "$(tail -n 5 "$var/log/notifier.log")"
	fi
else
	fail "customer 3 page has a meeting form and a CSRF token"
fi

## 4. A second start on the same var dir is refused and changes nothing.
if run_demo --background --port "$port" > "$T/again.out" 2>&1; then
	fail "second start on a running stack is refused"
else
	grep -q "already running" "$T/again.out" && pass "second start is refused: already running" ||
	    { fail "second start fails for another reason"; note "$(cat "$T/again.out")"; }
fi
## ...and another stack on the same port says the port is in use.
if "$demo" --no-install --no-build --build-dir "$top_builddir" --var "$T/var2" \
    --background --port "$port" > "$T/port.out" 2>&1; then
	fail "a stack on a busy port is refused"
	"$demo" --stop --var "$T/var2" > /dev/null 2>&1
else
	grep -q "port $port .* in use" "$T/port.out" && pass "busy port: clear error" ||
	    { fail "busy port: unclear error"; note "$(cat "$T/port.out")"; }
fi

# procs_in DIR: live processes whose command line names DIR (the directory
# goes through the environment so awk's own command line does not match).
procs_in() {
	ps -e -o pid=,stat=,args= | D=$1 awk '$2 !~ /^Z/ && index($0, ENVIRON["D"]) { print $1 }'
}

## 5. --stop leaves nothing running.
pids=()
for f in "$var"/run/*.pid; do
	read -r p _ < "$f" && pids+=("$p")
done
[ ${#pids[@]} -eq 4 ] && pass "four process groups recorded" || fail "${#pids[@]} pid files, want 4"
if run_demo --stop > "$T/stop.out" 2>&1; then pass "--stop exits 0"; else fail "--stop exits non-zero"; fi
left=""
for p in "${pids[@]}"; do
	left="$left$(group_pids "$p")"
done
# Anything else still naming the temp dir (a worker that changed its group).
left="$left$(procs_in "$T/")"
[ -z "$left" ] && pass "no process left after --stop" || { fail "processes left: $left"; ps -o pid,stat,args -p $left; }
[ -S "$var/run/fcgi.sock" ] && fail "socket left behind" || pass "socket removed"
ls "$var"/run/*.pid > /dev/null 2>&1 && fail "pid files left behind" || pass "pid files removed"

## 6. Restart over leftovers of a crash: stale pid files and socket.
echo "999999 1" > "$var/run/nginx.pid"
echo "999998" > "$var/run/fcgi.pid"
: > "$var/run/fcgi.sock"
if run_demo --background --port "$port" --mail-port "$mail_port" > "$T/restart.out" 2>&1; then
	get /healthz
	[ "$STATUS" = 200 ] && pass "restart over stale files serves /healthz" ||
	    fail "restart: /healthz is $STATUS"
	grep -q "writing sample data" "$T/restart.out" && fail "restart re-seeded the database" ||
	    pass "restart keeps the database"
	sleep 3
	n2=$(find "$var/mail/new" -type f | wc -l)
	[ "$n2" -eq "$n" ] && pass "restart sends nothing twice" || fail "Maildir went from $n to $n2"
else
	fail "restart over stale pid files and socket"
	note "$(cat "$T/restart.out")"
fi
run_demo --stop > /dev/null 2>&1
left=$(procs_in "$T/")
[ -z "$left" ] && pass "nothing left after the second stop" || fail "processes left: $left"

echo "1..$checks"
[ "$fails" -eq 0 ]
