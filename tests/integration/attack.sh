#!/bin/bash
# attack.sh -- hostile input against the real stack (nginx on loopback, basic
# auth giving REMOTE_USER, ftsuccess.fcgi pre-forked behind it, the notifier
# in --dry-run): XSS payloads in every text field viewed on every page, in
# the .ics download and in the mails; CR/LF/NUL/U+2028 in every field that
# reaches a mail header or a calendar line; spoofed identity headers; path
# traversal; 10 MB bodies; deeply nested JSON; invalid UTF-8.  It asserts
# what must hold, not the wording: no 5xx, no payload unescaped, no injected
# header or property, the audit actor is the authenticated user, a refused
# request changes nothing, no sanitizer report.  Prints the figures
# ("0 of N bad inputs gave a 5xx", ...).  Needs nginx, curl, jq, openssl,
# python3.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init attack
needs nginx curl jq openssl
PY=/usr/bin/python3
[ -x "$PY" ] || skip "/usr/bin/python3 not installed (Debian package python3)"
NOTIFIER=$top_builddir/notifier/ftsuccess-notifier
[ -x "$NOTIFIER" ] || bail "$NOTIFIER not built"
SCAN=$top_srcdir/tests/integration/attack_scan.py
# scan KIND DIR PASS-NAME FAIL-NAME: attack_scan.py KIND over DIR (report in
# $T/scan-KIND.out, its head shown), one check: PASS-NAME when it finds nothing.
scan() {
	if "$PY" "$SCAN" "$1" "$2" > "$T/scan-$1.out" 2>&1; then pass "$3"; else fail "$4"; fi
	head -30 "$T/scan-$1.out"
}
START=$(date +%s)

USER_NAME=alice
MEET_DAY=$(date -u -d '+10 days' +%F)

htpasswd_add "$USER_NAME" 'pw'
# A port found free may be taken before nginx binds it (tests run in
# parallel): nginx_start then bails, so for three tries bail only notes it.
eval "lib_$(declare -f bail)"
NGINX_UP=0
NGINX_PID=
for try in 1 2 3; do
	PORT=$(free_port) || lib_bail "no free port"
	NOAUTH_PORT=$(free_port) || lib_bail "no free port"
	[ "$PORT" != "$NOAUTH_PORT" ] || continue
	: > "$T/nginx-servers.conf"
	nginx_server "$PORT" "$T/fcgi.sock" basic
	nginx_server "$NOAUTH_PORT" "$T/fcgi.sock" none
	NGINX_UP=1
	bail() { echo "# nginx try $try: $*"; NGINX_UP=0; }
	# nginx lets 16 MB through, so the 10 MB bodies reach the program's own limit.
	NGINX_MAX_BODY=16m nginx_start "$PORT" "$NOAUTH_PORT" > "$T/nginx-start.out" 2>&1
	eval "$(declare -f lib_bail | sed '1s/^lib_bail/bail/')"
	[ "$NGINX_UP" = 1 ] && break
	tail -n 2 "$T/nginx-start.out"
	it_stop "$NGINX_PID"
done
[ "$NGINX_UP" = 1 ] || bail "nginx did not start in 3 tries"
BASE=http://127.0.0.1:$PORT
web_conf "$T/app.conf" "$BASE" "max_body = 1m" "smtp_from = Fiona FM <fiona@example.com>"
IT_CURL_OPTS=(-u "$USER_NAME:pw" --max-time 20)
fcgi_start "$T/app.conf" "$T/fcgi.sock" fcgi
echo "# nginx on $BASE, FastCGI on $T/fcgi.sock"

# ---- bookkeeping of hostile requests ----
BAD_N=0		# hostile requests sent
BAD_5XX=0	# ... answered 5xx (or no answer)
REFUSED=0	# ... refused with 4xx
ACCEPTED=0	# ... accepted (2xx/3xx): their output is scanned below
# hostile: count the last answer; a 5xx or no answer is a failure at once.
hostile() {
	BAD_N=$((BAD_N + 1))
	case "$STATUS" in
	[23]??) ACCEPTED=$((ACCEPTED + 1)) ;;
	4??) REFUSED=$((REFUSED + 1)) ;;
	*)
		BAD_5XX=$((BAD_5XX + 1))
		fail "$1 answered $STATUS"
		note "$(head -c 400 "$T/resp.b")" ;;
	esac
}
# refused NAME: a hostile request that must be refused with a 4xx.
refused() {
	hostile "$1"
	case "$STATUS" in
	4??) pass "$1 refused ($STATUS)" ;;
	[23]??) fail "$1 accepted ($STATUS), want a 4xx" ;;
	esac
}
J='Content-Type: application/json'
api() {	# api METHOD PATH JSON: a JSON API call
	jreq "$1" "$BASE/api$2" "$3"
}
state() {	# every customer and the outbox, ids and text, without "today"
	{
		curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/customers?per_page=200" | jq -S 'del(.today)'
		for c in $(curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/customers?per_page=200" | jq -r '.customers[].id'); do
			curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/customers/$c" | jq -S 'del(.today)'
		done
		curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/outbox" | jq -S .
	} > "$1"
}

# ================================================================ XSS
echo "# [$((SECONDS))s] XSS"
# One customer per payload, every text field holding it.  Each payload
# breaks out of a different context: element, attribute (both quotes), URL,
# <style>/<title>/<textarea>, SVG.
PAYLOADS=(
	'<script>alert("xss1")</script>'
	'"><img src=x onerror=alert(2)>" onmouseover="alert(2)" x="'
	"javascript:alert(3)//' onmouseover='alert(3)' x='"
	'</style></title></textarea><script>alert(4)</script><iframe srcdoc=x>'
	'<svg/onload=alert(5)><svg><script>alert(5)</script></svg>'
)
CUSTOMERS=()
MEETINGS=()
FIELDS_SET=0
FIELDS_REFUSED=0
# set_field NAME: a write carrying a payload; accepted or refused (never 5xx).
set_field() {
	hostile "$1"
	case "$STATUS" in
	[23]??) FIELDS_SET=$((FIELDS_SET + 1)) ;;
	4??) FIELDS_REFUSED=$((FIELDS_REFUSED + 1)); echo "# refused ($STATUS): $1" ;;
	esac
}
i=0
for P in "${PAYLOADS[@]}"; do
	i=$((i + 1))
	api POST /customers "$(jq -nc --arg p "$P" --arg d "xss$i.example" \
	    '{name: $p, tenant_domain: $d, timezone: "UTC"}')"
	set_field "customer name #$i"
	C=$(jget .id)
	if ! [[ $C =~ ^[0-9]+$ ]]; then
		# A payload refused as a name still gets a customer, for the other fields.
		api POST /customers "$(jq -nc --arg d "xss$i.example" \
		    '{name: "XSS customer", tenant_domain: $d, timezone: "UTC"}')"
		C=$(jget .id)
	fi
	[[ $C =~ ^[0-9]+$ ]] || bail "could not create customer $i"
	CUSTOMERS+=("$C")
	api POST "/customers/$C" "$(jq -nc --arg p "$P" --arg d "$P.example" '{tenant_domain: $d}')"
	set_field "tenant_domain #$i"
	api POST "/customers/$C/contacts" "$(jq -nc --arg p "$P" --arg e "ana$i@contoso.example" '{name: $p, email: $e}')"
	set_field "contact name #$i"
	api POST "/customers/$C/contacts" "$(jq -nc --arg p "$P" '{name: "Ben", email: ("x" + $p + "@contoso.example")}')"
	set_field "contact email #$i"
	api POST "/customers/$C/services" '{"service":"teams","activated_on":"2024-04-01","target_percent":50}'
	api POST "/customers/$C/services" "$(jq -nc --arg p "$P" \
	    '{service: "onedrive", activated_on: "2024-05-01", target_percent: 30, custom_metric: $p}')"
	set_field "custom_metric #$i"
	api PUT "/customers/$C/csm" "$(jq -nc --arg p "$P" '{name: $p, email: "carl@csm.example"}')"
	set_field "CSM name #$i"
	api POST "/customers/$C/usage" '{"service":"onedrive","measured_on":"2024-06-10","active_users":10,"eligible_users":100}'
	api POST "/customers/$C/usage" '{"service":"onedrive","measured_on":"2024-06-20","active_users":20,"eligible_users":100}'
	api POST "/customers/$C/checkins" "$(jq -nc --arg p "$P" '{held_on: "2024-06-24", summary: $p,
	    next_action: $p, next_action_on: "2024-07-01", next_action_owner: $p, services: ["onedrive"]}')"
	set_field "check-in summary/next action/owner #$i"
	api POST "/customers/$C/adoption" '{"service":"onedrive"}'
	api POST "/customers/$C/tasks/3740/complete" "$(jq -nc --arg p "$P" '{note: $p}')"
	set_field "task note #$i"
	api POST "/customers/$C/blockers" "$(jq -nc --arg p "$P" \
	    '{description: $p, owner: $p, l2_reason: "customer_it_infrastructure", service: "onedrive"}')"
	set_field "blocker description/owner #$i"
	api POST "/customers/$C/blockers" '{"description":"to resolve","owner":"IT","l2_reason":"customer_it_infrastructure"}'
	B=$(jget .id)
	api POST "/blockers/$B/resolve" "$(jq -nc --arg p "$P" '{resolution: $p}')"
	set_field "blocker resolution #$i"
	api POST "/customers/$C/meetings" "{\"starts_at\":\"${MEET_DAY}T10:00\",\"duration_minutes\":30,\"every_weeks\":2}"
	M=$(jget .id)
	[[ $M =~ ^[0-9]+$ ]] && MEETINGS+=("$M") || { fail "meeting for customer $C not scheduled ($STATUS)"; note "$(head -c 300 "$T/resp.b")"; }
done
echo "# XSS: $FIELDS_SET payload writes accepted, $FIELDS_REFUSED refused by validation"
[ "$FIELDS_SET" -ge $((${#PAYLOADS[@]} * 8)) ] && pass "most payload writes accepted ($FIELDS_SET), so the pages below show them" ||
    fail "only $FIELDS_SET payload writes accepted: the views below prove little"

# Every page that shows them, as HTML (scanned at the end with every other answer).
TOKEN=$(csrf_scrape "$BASE/customers/new")
[ ${#TOKEN} -ge 32 ] || bail "no CSRF token on /customers/new"
req GET "$BASE/" -H 'Accept: text/html'
req GET "$BASE/customers?per_page=200"
for C in "${CUSTOMERS[@]}"; do
	req GET "$BASE/customers/$C"
	expect_status 200 "customer page $C"
	req GET "$BASE/customers/$C/edit"
done
for M in "${MEETINGS[@]}"; do
	req GET "$BASE/meetings/$M/invite.ics"
	expect_status 200 "invite.ics of meeting $M"
done
req GET "$BASE/outbox"
for id in $(curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/outbox?per_page=200" | jq -r '.messages[].id'); do
	req GET "$BASE/outbox/$id"
done
# Reflected: query parameters, typed values shown again by a refused form, an unknown path.
for P in "${PAYLOADS[@]}"; do
	req GET "$BASE/customers" -G --data-urlencode "q=$P"
	hostile "payload in ?q="
	req GET "$BASE/customers" -G --data-urlencode "fm=$P" --data-urlencode "sort=$P"
	hostile "payload in ?fm= and ?sort="
	req POST "$BASE/customers" --data-urlencode "csrf=$TOKEN" --data-urlencode "name=$P" \
	    --data-urlencode "tenant_domain=$P" --data-urlencode "timezone=Mars/$P" --data-urlencode "owner_fm=$P"
	refused "customer form with a payload and a bad zone"
	req POST "$BASE/customers/${CUSTOMERS[0]}/checkins" --data-urlencode "csrf=$TOKEN" \
	    --data-urlencode 'held_on=2024-06-24' --data-urlencode "summary=$P" --data-urlencode "next_action=$P" \
	    --data-urlencode "next_action_on=$P" --data-urlencode "next_action_owner=$P"
	refused "check-in form with a payload as date"
	req POST "$BASE/customers/${CUSTOMERS[0]}/contacts" --data-urlencode "csrf=$TOKEN" \
	    --data-urlencode "name=$P" --data-urlencode "email=$P"
	refused "contact form with a payload as e-mail"
	req GET "$BASE/customers/$(jq -rn --arg p "$P" '$p|@uri')"
	hostile "payload as a path segment"
done
# A usage report whose cells are payloads: the preview page names what it refused.
printf 'Report Refresh Date,OneDrive Active,OneDrive Inactive,Report Period\r\n%s,1,2,7\r\n2024-06-23,%s,2,7\r\n' \
    "${PAYLOADS[0]}" "${PAYLOADS[1]}" > "$T/xss1.csv"
printf 'Report Refresh Date,%s Active,%s Inactive,Report Period\r\n2024-06-23,1,2,7\r\n' \
    "${PAYLOADS[3]}" "${PAYLOADS[4]}" > "$T/xss2.csv"
for f in xss1 xss2; do
	req POST "$BASE/customers/${CUSTOMERS[0]}/usage/import" -F "csrf=$TOKEN" -F "file=@$T/$f.csv;type=text/csv"
	hostile "usage report with payload cells ($f)"
done

# ================================================================ CR/LF/NUL/U+2028
echo "# [$((SECONDS))s] CR/LF/NUL/U+2028"
# Every field that reaches a mail header (Subject, To) or a calendar line
# (SUMMARY, ATTENDEE;CN, DESCRIPTION): refused, or accepted and then found
# escaped in the .ics and the mails (scanned below).  One customer takes them
# all, with a contact and a meeting so the accepted ones reach a calendar.
api POST /customers '{"name":"Header Target","tenant_domain":"crlf.example","timezone":"Europe/Berlin"}'
CH=$(jget .id)
api POST "/customers/$CH/contacts" '{"name":"Hanna","email":"hanna@crlf.example"}'
api POST "/customers/$CH/services" '{"service":"onedrive","activated_on":"2024-05-01","target_percent":30}'
api POST "/customers/$CH/services" '{"service":"teams","activated_on":"2024-05-01","target_percent":30}'
CTRL_N=0 CTRL_REFUSED=0
# Control payloads as jq string literals (jq can write a NUL, bash cannot).
CTRLS=(
	'"Eve\r\nBcc: evil@attacker.example"'
	'"Eve\nX-Evil: 1"'
	'"Eve\rX-Evil: 1"'
	'"Eve\u0000X-Evil: 1"'
	'"Eve\u2028X-Evil: 1"'
	'"Eve\u0085X-Evil: 1"'
	'"Eve\r\nATTENDEE:mailto:evil@attacker.example"'
	'"Eve\nX-EVIL-CAL:1"'
)
# one_line FIELD-JSON-TEMPLATE NAME: header-bound one-line fields must refuse CR, LF and NUL.
ctrl() {
	local path=$1 tmpl=$2 what=$3 c
	for c in "${CTRLS[@]}"; do
		api POST "$path" "$(jq -nc "$c as \$p | $tmpl")"
		hostile "$what with $c"
		CTRL_N=$((CTRL_N + 1))
		case "$STATUS" in
		4??) CTRL_REFUSED=$((CTRL_REFUSED + 1)) ;;
		[23]??)
			# A one-line field may take U+2028/U+0085 (text, encoded in
			# headers); CR, LF and NUL must never be stored in one.
			if [ "$4" = oneline ] && [[ $c == *'\r'* || $c == *'\n'* || $c == *'\u0000'* ]]; then
				fail "$what stored a CR/LF/NUL: $c ($STATUS)"
			fi ;;
		esac
	done
}
ctrl "/customers/$CH" '{name: $p}' "customer name" oneline
ctrl "/customers/$CH" '{owner_fm: $p}' "owner_fm" oneline
ctrl "/customers/$CH" '{tenant_domain: ("a" + $p + ".example")}' "tenant_domain" oneline
ctrl "/customers/$CH/contacts" '{name: $p, email: "c1@crlf.example"}' "contact name" oneline
ctrl "/customers/$CH/contacts" '{name: "C", email: ("c2@crlf.example" + $p)}' "contact e-mail" oneline
ctrl "/customers/$CH/csm" '{name: $p, email: "csm@csm.example"}' "CSM name" oneline
ctrl "/customers/$CH/csm" '{name: "Carl", email: ("csm@csm.example" + $p)}' "CSM e-mail" oneline
ctrl "/customers/$CH/targets" '{service: "onedrive", custom_metric: $p}' "custom_metric" oneline
ctrl "/customers/$CH/checkins" '{held_on: "2024-06-24", next_action: $p, next_action_on: "2024-07-01", next_action_owner: "Kim", services: ["onedrive"]}' "next_action" oneline
ctrl "/customers/$CH/checkins" '{held_on: "2024-06-24", next_action: "x", next_action_on: "2024-07-01", next_action_owner: $p, services: ["onedrive"]}' "next_action_owner" oneline
ctrl "/customers/$CH/blockers" '{description: "d", owner: $p, l2_reason: "customer_it_infrastructure"}' "blocker owner" oneline
# Multi-line fields may hold LF; they reach the calendar DESCRIPTION, escaped.
ctrl "/customers/$CH/blockers" '{description: $p, owner: "IT", l2_reason: "customer_it_infrastructure"}' "blocker description" multiline
ctrl "/customers/$CH/checkins" '{held_on: "2024-06-24", summary: $p, next_action: "x", next_action_on: "2024-07-01", next_action_owner: "Kim", services: ["onedrive"]}' "check-in summary" multiline
# The same through the HTML forms (urlencoded %0D%0A and %00, and raw bytes).
for v in $'Eve\r\nBcc: evil@attacker.example' 'Eve%00X' 'Eve%0D%0AX-Evil:%201' 'Eve%E2%80%A8X-Evil:%201'; do
	req POST "$BASE/customers/$CH/contacts" --data "csrf=$TOKEN&name=$v&email=c3@crlf.example"
	hostile "contact form name $v"
	CTRL_N=$((CTRL_N + 1))
	[[ $STATUS == 4?? ]] && CTRL_REFUSED=$((CTRL_REFUSED + 1))
	if [[ $STATUS == [23]?? ]] && [[ $v != *E2%80%A8* ]]; then fail "contact form stored a CR/LF/NUL name ($v)"; fi
done
echo "# CR/LF/NUL/U+2028: $CTRL_N inputs to header- and calendar-bound fields, $CTRL_REFUSED refused, $((CTRL_N - CTRL_REFUSED)) accepted (scanned below)"
api POST "/customers/$CH/meetings" "{\"starts_at\":\"${MEET_DAY}T09:00\",\"duration_minutes\":30,\"every_weeks\":1}"
MH=$(jget .id)
if [[ $MH =~ ^[0-9]+$ ]]; then
	MEETINGS+=("$MH")
	req GET "$BASE/meetings/$MH/invite.ics"
	expect_status 200 "invite.ics of the customer with control characters"
else
	fail "meeting for the control-character customer not scheduled ($STATUS)"
	note "$(head -c 300 "$T/resp.b")"
fi
req GET "$BASE/customers/$CH"

# ================================================================ identity
echo "# [$((SECONDS))s] identity"
# Only the web server's REMOTE_USER names the actor: headers a client can
# send (HTTP_* parameters) must not.
SPOOF=(-H 'X-Remote-User: mallory' -H 'Remote-User: mallory' -H 'X-Forwarded-User: mallory'
	-H 'X-Auth-Request-User: mallory' -H 'X-User: mallory' -H 'X-Authenticated-User: mallory'
	-H 'X-Forwarded-Preferred-Username: mallory' -H 'Remote_User: mallory' -H 'X-Remote_User: mallory')
jreq POST "$BASE/api/customers" '{"name":"Spoofed","tenant_domain":"spoof.example","timezone":"UTC"}' "${SPOOF[@]}"
hostile "create with spoofed identity headers"
SP=$(jget .id)
expect_json "owner_fm is the authenticated user" '.owner_fm' "$USER_NAME"
jreq POST "$BASE/api/customers/$SP/contacts?REMOTE_USER=mallory&remote_user=mallory" \
    '{"name":"Sp","email":"sp@spoof.example","REMOTE_USER":"mallory","actor":"mallory"}' "${SPOOF[@]}"
hostile "contact with identity in query and body"
req POST "$BASE/customers/$SP/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Form' \
    --data-urlencode 'email=form@spoof.example' --data-urlencode 'REMOTE_USER=mallory' "${SPOOF[@]}"
hostile "form with spoofed identity"
req GET "$BASE/api/customers/$SP"
expect_json "every audit actor of the spoofed customer is $USER_NAME" \
    "[.audit[].actor] | (length > 0 and all(. == \"$USER_NAME\"))" true
req GET "http://127.0.0.1:$NOAUTH_PORT/api/customers" "${SPOOF[@]}"
hostile "no REMOTE_USER, spoofed headers"
expect_status 401 "spoofed headers without REMOTE_USER are still anonymous"
jreq POST "http://127.0.0.1:$NOAUTH_PORT/api/customers" '{"name":"Anon","tenant_domain":"anon.example","timezone":"UTC"}' "${SPOOF[@]}"
refused "write with spoofed headers and no REMOTE_USER"

# ================================================================ path traversal
echo "# [$((SECONDS))s] path traversal"
# Through nginx (which normalises), and straight into the program as CGI,
# where PATH_INFO arrives exactly as written.  Never a file outside
# www/static, never the CSRF secret, never a 5xx.
TRAV=(
	'/static/../../../../etc/passwd' '/static/..%2f..%2f..%2f..%2fetc%2fpasswd'
	'/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd' '/static/%252e%252e/%252e%252e/etc/passwd'
	'/static/..%5c..%5c..%5cetc%5cpasswd' '/static/....//....//....//etc/passwd'
	'/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd' '/static/style.css%00.png'
	"/static/..%2f..%2f..%2f..%2f..%2f..${T//\//%2f}%2fsecret" '/static/.htpasswd' '/static//etc/passwd'
	'/customers/..%2f..%2fetc%2fpasswd' '/customers/1%2f..%2f2' '/customers/%2e%2e' '/customers/1%00'
	'/customers/-1' '/customers/0' '/customers/99999999999999999999999' '/customers/1e3' '/customers/0x10'
	'/meetings/..%2f..%2fetc%2fpasswd/invite.ics' '/outbox/%2e%2e%2f1' '/api/customers/1;rm'
	'/%2e%2e/%2e%2e/etc/passwd'
)
SECRET_HEX=$(od -An -tx1 "$T/secret" 2>/dev/null | tr -d ' \n' | head -c 32)
leak_check() {	# leak_check WHAT: the last body is no file from outside www/static
	if grep -q 'root:x:0:0' "$T/resp.b" || grep -q 'alice:\$apr1' "$T/resp.b" ||
	    { [ -s "$T/secret" ] && cmp -s "$T/resp.b" "$T/secret"; } ||
	    { [ -n "$SECRET_HEX" ] && od -An -tx1 "$T/resp.b" | tr -d ' \n' | grep -q "$SECRET_HEX"; }; then
		fail "$1 leaked a file"
		return
	fi
	# Outside /static/ nginx may normalise a path into a real page (/customers/1/../2).
	if [[ $1 == *static* ]] && [[ $STATUS == 2?? ]]; then
		fail "$1 answered $STATUS"
		note "$(head -c 200 "$T/resp.b")"
	fi
	return 0
}
TRAV_N=0
for p in "${TRAV[@]}"; do
	IT_NO_SECHDR=1 req GET "$BASE$p" --path-as-is
	hostile "GET $p"
	leak_check "GET $p"
	TRAV_N=$((TRAV_N + 1))
done
cgi_get() {	# cgi_get PATH_INFO: the program as plain CGI
	env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
	    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=GET \
	    SCRIPT_NAME= PATH_INFO="$1" QUERY_STRING= SERVER_NAME=127.0.0.1 SERVER_PORT=8080 \
	    REMOTE_ADDR=127.0.0.1 REMOTE_USER="$USER_NAME" \
	    "$BIN" --config "$T/app.conf" < /dev/null > "$T/resp.raw" 2>> "$T/cgi.log"
	sed '1,/^\r\{0,1\}$/d' "$T/resp.raw" > "$T/resp.b"
	STATUS=$(sed -n 's/^Status: \([0-9][0-9][0-9]\).*/\1/p' "$T/resp.raw" | head -1)
	[ -n "$STATUS" ] || STATUS=200
	[ -s "$T/resp.raw" ] || STATUS=000
}
for p in '/static/../../../../etc/passwd' '/static/../secret' "/static/../../../..$T/secret" \
    '/static/..' '/static/.' '/static/' '/static//etc/passwd' '/static/./../style.css' \
    '/static/%2e%2e/%2e%2e/etc/passwd' $'/static/style.css\n' '/static/a/../../etc/passwd' \
    '/customers/../../etc/passwd' "/static/$(head -c 300 /dev/zero | tr '\0' 'a')"; do
	cgi_get "$p"
	hostile "CGI PATH_INFO=$p"
	leak_check "CGI PATH_INFO=$p"
	TRAV_N=$((TRAV_N + 1))
done
cgi_get /static/style.css
if [ "$STATUS" = 200 ] && cmp -s "$T/resp.b" "$top_srcdir/www/static/style.css"; then
	pass "CGI still serves /static/style.css (the traversal refusals are not blanket)"
else
	fail "CGI /static/style.css: $STATUS"
fi
echo "# traversal: $TRAV_N paths through nginx and as CGI"

# ================================================================ sizes and encodings
echo "# [$((SECONDS))s] sizes and encodings"
state "$T/big-before.json"
head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'a' > "$T/10m"
{ printf '{"name":"Big","tenant_domain":"big.example","timezone":"UTC","pad":"'; cat "$T/10m"; printf '"}'; } > "$T/10m.json"
req POST "$BASE/api/customers" -H "$J" --data-binary "@$T/10m.json"
refused "10 MB JSON body"
expect_status 413 "10 MB JSON body is 413"
{ printf 'csrf=%s&name=Big&tenant_domain=big.example&timezone=UTC&pad=' "$TOKEN"; cat "$T/10m"; } > "$T/10m.form"
req POST "$BASE/customers" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$T/10m.form"
refused "10 MB form body"
expect_status 413 "10 MB form body is 413"
req POST "$BASE/customers/${CUSTOMERS[0]}/usage/import" -F "csrf=$TOKEN" -F "file=@$T/10m;type=text/csv"
refused "10 MB multipart upload"
expect_status 413 "10 MB upload is 413"
req POST "$BASE/api/customers" -H "$J" -H 'Transfer-Encoding: chunked' --data-binary "@$T/10m.json"
refused "10 MB chunked JSON body"
rm -f "$T/10m" "$T/10m.json" "$T/10m.form"

# Deeply nested JSON, arrays and objects, and long strings of brackets.  The
# bodies are otherwise invalid (an unknown zone), so none may be stored.
python_nest() {	# python_nest DEPTH a|o: [[...]] or {"a":{"a":...1}}
	"$PY" -c "import sys; d=int(sys.argv[1]); k=sys.argv[2]; print(('[' * d + ']' * d) if k == 'a' else ('{\"a\":' * d + '1' + '}' * d))" "$@"
}
for depth in 64 1000 100000; do
	python_nest "$depth" a > "$T/nest.json"
	req POST "$BASE/api/customers" -H "$J" --data-binary "@$T/nest.json"
	refused "JSON array nested $depth deep"
	{ printf '{"name":"N","tenant_domain":"nest.example","timezone":"Mars/Nest","x":'; python_nest "$depth" o; printf '}'; } > "$T/nest.json"
	req POST "$BASE/api/customers" -H "$J" --data-binary "@$T/nest.json"
	refused "JSON object nested $depth deep in a customer"
done
head -c 200000 /dev/zero | tr '\0' '[' > "$T/open.json"
req POST "$BASE/api/customers" -H "$J" --data-binary "@$T/open.json"
refused "200000 unclosed ["

# Invalid UTF-8: overlong, surrogates, truncated, out of range, lone continuation.
BADUTF=('\xff\xfe' '\xc0\xaf' '\xe0\x80\xaf' '\xed\xa0\x80' '\xed\xbf\xbf' '\xe2\x82' '\xf4\x90\x80\x80'
	'\x80' '\xf8\x88\x80\x80\x80' '\xc3')
for b in "${BADUTF[@]}"; do
	printf "{\"name\":\"A${b}B\",\"tenant_domain\":\"u.example\",\"timezone\":\"UTC\"}" > "$T/u.json"
	req POST "$BASE/api/customers" -H "$J" --data-binary "@$T/u.json"
	refused "JSON string with $b"
	printf "{\"name\":\"A\",\"tenant_domain\":\"u.example\",\"timezone\":\"UTC\",\"k${b}\":1}" > "$T/u.json"
	req POST "$BASE/api/customers" -H "$J" --data-binary "@$T/u.json"
	refused "JSON key with $b"
	enc=$(printf "$b" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
	req POST "$BASE/customers" --data "csrf=$TOKEN&name=A${enc}B&tenant_domain=u.example&timezone=UTC"
	refused "form field with $enc"
	printf "csrf=$TOKEN&name=A${b}B&tenant_domain=u.example&timezone=UTC" > "$T/u.form"
	req POST "$BASE/customers" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$T/u.form"
	refused "raw form bytes $b"
done
printf 'Report Refresh Date,OneDrive Active,OneDrive Inactive,Report Period\r\n2024-06-23,\xff\xfe,2,7\r\n' > "$T/u.csv"
req POST "$BASE/customers/${CUSTOMERS[0]}/usage/import" -F "csrf=$TOKEN" -F "file=@$T/u.csv;type=text/csv"
refused "usage report with invalid UTF-8"
req POST "$BASE/customers" -F "csrf=$TOKEN" -F "name=$(printf 'A\xffB')" -F 'tenant_domain=u.example' -F 'timezone=UTC'
refused "multipart field with invalid UTF-8"
state "$T/big-after.json"
if cmp -s "$T/big-before.json" "$T/big-after.json"; then
	pass "the refused bodies and encodings changed nothing"
else
	fail "a refused request changed the data"
	note "$(diff "$T/big-before.json" "$T/big-after.json" | head -20)"
fi
req GET "$BASE/healthz"
expect_status 200 "the program still answers after the hostile requests"

# ================================================================ mails
echo "# [$((SECONDS))s] mails"
mkdir -p "$T/mail"
if "$NOTIFIER" --config "$T/app.conf" --dry-run "$T/mail" > "$T/notifier.log" 2>&1; then
	pass "notifier --dry-run over the hostile outbox exits 0"
else
	fail "notifier --dry-run failed"
	note "$(tail -n 20 "$T/notifier.log")"
fi
NMAIL=$(find "$T/mail" -name '*.eml' | wc -l)
NOUT=$(curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/outbox?per_page=200" | jq '.total')
WOULD_DIE=$(grep -c 'would-be-dead' "$T/notifier.log")
echo "# notifier: $NMAIL messages written for $NOUT outbox rows ($WOULD_DIE would be dead: refused at build time)"
[ "$NMAIL" -ge $((${#MEETINGS[@]})) ] && pass "every meeting's invite was written ($NMAIL mails)" ||
    fail "only $NMAIL mails written for ${#MEETINGS[@]} meetings"
scan mails "$T/mail" "mails: no unescaped payload, no injected header, recipient or calendar property" \
    "mails: hostile input got through"
ESC_MAIL=$(sed -n 's/.* \([0-9]*\) HTML parts show a payload escaped$/\1/p' "$T/scan-mails.out")
[ "${ESC_MAIL:-0}" -gt 0 ] && pass "$ESC_MAIL mail HTML parts show a payload, escaped (the scan saw them)" ||
    fail "no mail shows a payload escaped: the mail scan proves nothing"

# ================================================================ every answer
# First a canary: the scanner must find a payload planted unescaped, or its
# silence below would prove nothing.
mkdir -p "$T/canary/resp" "$T/canary/mail"
printf 'Content-Type: text/html\r\n' > "$T/canary/resp/1.h"
printf '<p>%s</p>' "${PAYLOADS[1]}" > "$T/canary/resp/1.b"
printf 'To: Ana <ana@example.com>\r\nBcc: evil@attacker.example\r\nSubject: x\r\n\r\nbody\r\n' > "$T/canary/mail/1.eml"
"$PY" "$SCAN" responses "$T/canary/resp" > /dev/null 2>&1 && fail "scanner missed a planted payload" ||
    pass "scanner finds a planted payload"
"$PY" "$SCAN" mails "$T/canary/mail" > /dev/null 2>&1 && fail "scanner missed a planted Bcc header" ||
    pass "scanner finds a planted Bcc header"
echo "# [$((SECONDS))s] every answer"
scan responses "$T/all" "responses: no unescaped payload in any page, SVG or calendar" \
    "responses: hostile input got through"
VIEWS=$(sed -n 's/^# responses: \([0-9]*\) HTML pages.*/\1/p' "$T/scan-responses.out")
ESC_PAGES=$(sed -n 's/.* \([0-9]*\) pages show a payload escaped$/\1/p' "$T/scan-responses.out")
[ "${ESC_PAGES:-0}" -ge "${#CUSTOMERS[@]}" ] && pass "$ESC_PAGES pages show a payload, escaped (the scan saw them)" ||
    fail "only ${ESC_PAGES:-0} pages show a payload escaped: the page scan proves little"
XSS=$(grep -c '^FOUND' "$T/scan-responses.out")
XSS_MAIL=$(grep -c '^FOUND' "$T/scan-mails.out")

echo "# ---- figures"
echo "# $BAD_5XX of $BAD_N bad inputs gave a 5xx ($REFUSED refused with a 4xx, $ACCEPTED accepted and scanned)"
echo "# $XSS XSS or calendar findings in $IT_REQ answers ($VIEWS HTML page views); $XSS_MAIL findings in $NMAIL mails"
echo "# $((CTRL_N - CTRL_REFUSED)) of $CTRL_N CR/LF/NUL/U+2028 inputs accepted, none injected a header or property"
echo "# $TRAV_N traversal paths, none left www/static; spoofed identity headers never became the actor"
eq "no bad input gave a 5xx" "$BAD_5XX" 0
sechdr_report
END=$(date +%s)
echo "# attack: $((END - START)) s"
it_done
