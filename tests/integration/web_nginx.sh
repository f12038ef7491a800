#!/bin/bash
# web_nginx.sh -- ftsuccess.fcgi behind a real nginx (Debian nginx-light)
# configured by the production sample www/nginx/ftsuccess.conf (TLS with a
# throw-away certificate, basic auth giving REMOTE_USER, static files from
# nginx), FastCGI to `ftsuccess.fcgi --listen unix:... --workers 2`.  Every
# JSON API call, the main HTML form flows, every error status, CSRF and
# header injection refusals, security headers on every answer, a worker
# killed and replaced, /healthz with and without a database.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init web_nginx
needs nginx curl jq openssl

PORT=$(free_port) || bail "no free port"
HTTP_PORT=$(free_port) || bail "no free port"
NOAUTH_PORT=$(free_port) || bail "no free port"
BAD_PORT=$(free_port) || bail "no free port"
HOST=ftsuccess.example.com
BASE="https://$HOST:$PORT"
USER_NAME=alice
# Past events use fixed 2024 dates (the playbook refuses future ones); a
# meeting must start in the future.
MEET_DAY=$(date -u -d '+10 days' +%F)

web_conf "$T/app.conf" "$BASE" "max_body = 64k"
# A second instance whose database directory does not exist yet: 503 until it does.
sed "s|^database = .*|database = $T/later/db.sqlite|; s|^secret_file = .*|secret_file = $T/secret2|" \
    "$T/app.conf" > "$T/bad.conf"

htpasswd_add "$USER_NAME" 's3cret pass'
IT_CURL_OPTS=(-u "$USER_NAME:s3cret pass" --resolve "$HOST:$PORT:127.0.0.1" --cacert "$T/tls/$HOST.pem")

fcgi_start "$T/app.conf" "$T/fcgi.sock" fcgi
MAIN_PID=$FCGI_PID
fcgi_start "$T/bad.conf" "$T/bad.sock" fcgi-bad
nginx_sample "$PORT" "$HTTP_PORT" "$T/fcgi.sock"
nginx_server "$NOAUTH_PORT" "$T/fcgi.sock" none
nginx_server "$BAD_PORT" "$T/bad.sock" basic
nginx_start "$PORT" "$HTTP_PORT" "$NOAUTH_PORT" "$BAD_PORT"

# A body shorter than its Content-Length, sent in the background while the
# other checks run: the sample's client_body_timeout (10s) must end it, not
# nginx's default of 60 s (checked near the end).
SHORT_START=$(date +%s)
(
	{
		printf 'POST /api/customers HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic %s\r\n' \
		    "$HOST" "$(printf '%s' "$USER_NAME:s3cret pass" | base64)"
		printf 'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":'
		sleep 25
	} | {
		timeout 40 openssl s_client -quiet -connect "127.0.0.1:$PORT" -servername "$HOST" \
		    > "$T/short.out" 2>&1
		date +%s > "$T/short.end"
	}
) &
IT_PIDS+=("$!")

J='Content-Type: application/json'
# ids of a JSON answer / of the Location header
loc_id() { hdr Location | sed 's|.*/||; s|?.*||'; }
snapshot() {	# snapshot ID FILE: the customer as JSON, keys sorted, without today's date
	curl -sS "${IT_CURL_OPTS[@]}" "$BASE/api/customers/$1" | jq -S 'del(.today)' > "$2"
}

echo "# nginx on $BASE (www/nginx/ftsuccess.conf), FastCGI on $T/fcgi.sock"

IT_NO_SECHDR=1 req GET "http://127.0.0.1:$HTTP_PORT/customers?q=x" -H "Host: $HOST"
expect_status 301 "plain HTTP is redirected"
expect_hdr "to https" Location "^https://$HOST/customers\\?q=x\$"

# ================================================================ basics
req GET "$BASE/healthz" -u nobody:none
expect_status 200 "GET /healthz (no password needed)"
expect_body "healthz says ok" "ok"
req GET "$BASE/api/customers"
expect_hdr "HSTS on the program's answers" Strict-Transport-Security 'max-age='

req GET "$BASE/static/style.css"
expect_status 200 "GET /static/style.css served by nginx"
if cmp -s "$T/resp.b" "$top_srcdir/www/static/style.css"; then pass "static file is the file"; else fail "static file differs from www/static/style.css"; fi
grep -q "path=/static/" "$T/fcgi.log" && fail "static request reached the program" || pass "static request did not reach the program"

IT_NO_SECHDR=1 req GET "$BASE/api/customers" -u "$USER_NAME:wrong"
expect_status 401 "nginx refuses a wrong password"
req GET "http://127.0.0.1:$NOAUTH_PORT/api/customers"
expect_status 401 "program answers 401 when the server passes no REMOTE_USER"
expect_hdr "401 names the Basic scheme" WWW-Authenticate '^Basic realm='
expect_json "401 is the JSON error shape" '.error | length > 0' true
req GET "http://127.0.0.1:$NOAUTH_PORT/healthz"
expect_status 200 "/healthz needs no user"

# ================================================================ JSON API
# --- customers
req GET "$BASE/api/customers"
expect_status 200 "GET /api/customers (empty)"
expect_json "empty portfolio" '.total' 0

jreq POST "$BASE/api/customers" '{"name":"Contoso Ltd","tenant_domain":"contoso.onmicrosoft.com","timezone":"Europe/Berlin","cadence_weeks":2}' \
    -H 'Remote-User: mallory' -H "Origin: $BASE"
expect_status 201 "POST /api/customers"
C=$(jget .id)
expect_hdr "201 Location names the customer" Location "^/api/customers/$C\$"
[[ $C =~ ^[0-9]+$ ]] && pass "created customer has an id ($C)" || fail "no id in the 201 body"
expect_json "owner_fm is the server's user, not the Remote-User header" '.owner_fm' "$USER_NAME"
expect_json "audit actor is the server's user" '[.audit[] | select(.action == "customer.create") | .actor] | join(",")' "$USER_NAME"
grep -q mallory "$T/resp.b" && fail "Remote-User header leaked into the record" || pass "Remote-User header ignored"

jreq POST "$BASE/api/customers" '{"name":"Fabrikam","tenant_domain":"fabrikam.onmicrosoft.com","timezone":"America/Sao_Paulo"}'
expect_status 201 "POST /api/customers (second)"
C2=$(jget .id)

req GET "$BASE/api/customers/$C"
expect_status 200 "GET /api/customers/{id}"
expect_json "customer name" '.name' "Contoso Ltd"
expect_json "customer timezone" '.timezone' "Europe/Berlin"

jreq PATCH "$BASE/api/customers/$C2" '{"cadence_weeks":3}'
expect_status 200 "PATCH /api/customers/{id}"
expect_json "PATCH changed only cadence" '[.cadence_weeks, .name] | map(tostring) | join(",")' "3,Fabrikam"
# A new owner is a manager's call (issue 11): refused for the FM, changing nothing.
it_user bob
jreq POST "$BASE/api/customers/$C2" '{"owner_fm":"bob"}'
expect_status 403 "POST /api/customers/{id} (edit of the owner by an FM)"
expect_json "the refusal names the role" '.error' "Reassigning a customer needs the manager role; $USER_NAME is fm."
req GET "$BASE/api/customers/$C2"
expect_json "owner unchanged" '.owner_fm' "$USER_NAME"

# --- contacts
jreq POST "$BASE/api/customers/$C/contacts" '{"name":"Ana Souza","email":"ana@contoso.example"}'
expect_status 201 "POST /api/customers/{id}/contacts"
K=$(jget .id)
expect_json "contact receives invites by default" '.receives_invites' true
jreq POST "$BASE/api/customers/$C/contacts" '{"name":"Ben","email":"ben@contoso.example","receives_invites":false}'
expect_status 201 "POST contact without invites"
K2=$(jget .id)
jreq PATCH "$BASE/api/contacts/$K2" '{"receives_invites":true}'
expect_status 200 "PATCH /api/contacts/{id}"
expect_json "contact now invited" "[.contacts[] | select(.id == $K2) | .receives_invites] | .[0]" true
jreq POST "$BASE/api/contacts/$K2/invites" '{"receives_invites":false}'
expect_status 200 "POST /api/contacts/{id}/invites"
expect_json "contact no longer invited" "[.contacts[] | select(.id == $K2) | .receives_invites] | .[0]" false
# issue 13, item 11: correct a contact, remove one; bad input changes nothing
jreq POST "$BASE/api/contacts/$K2" '{"name":"Ben Ito","email":"not an address"}'
expect_status 422 "POST /api/contacts/{id} with a bad e-mail"
expect_json "422 names the field" '.fields | has("email")' true
jreq POST "$BASE/api/contacts/$K2" '{"name":"Ben Ito","email":"ben.ito@contoso.example"}'
expect_status 200 "POST /api/contacts/{id}"
expect_json "contact corrected" "[.contacts[] | select(.id == $K2) | .email] | .[0]" ben.ito@contoso.example
expect_json "audit says old -> new" '[.audit[] | select(.action == "contact.edit") | .details | tostring] | .[0] | test("ben@contoso.example -> ben.ito@contoso.example")' true
jreq POST "$BASE/api/contacts/$K2/remove" '{}'
expect_status 200 "POST /api/contacts/{id}/remove"
expect_json "contact removed" "[.contacts[] | select(.id == $K2)] | length" 0
jreq POST "$BASE/api/contacts/$K2/remove" '{}'
expect_status 404 "removing it again: 404"

# --- services, targets
jreq POST "$BASE/api/customers/$C/services" '{"service":"teams","activated_on":"2024-04-01","target_percent":50}'
expect_status 201 "POST /api/customers/{id}/services (teams)"
expect_json "service target" '.target_percent' 50
jreq POST "$BASE/api/customers/$C/services" '{"service":"onedrive","activated_on":"2024-05-01","target_percent":30,"licensed_users":1000}'
expect_status 201 "POST services (onedrive)"
jreq POST "$BASE/api/customers/$C/targets" '{"service":"onedrive","target_percent":35}'
expect_status 200 "POST /api/customers/{id}/targets"
expect_json "target changed" '[.services[] | select(.key == "onedrive") | .target_percent] | .[0]' 35

# --- CSM: handshake queued for the live Modern Comms service
req GET "$BASE/api/outbox"
expect_status 200 "GET /api/outbox"
OB0=$(jget .total)
jreq PUT "$BASE/api/customers/$C/csm" '{"name":"Carl CSM","email":"carl@csm.example"}'
expect_status 200 "PUT /api/customers/{id}/csm"
expect_json "CSM saved" '.csm_email' carl@csm.example
req GET "$BASE/api/outbox"
expect_json "handshake queued in /api/outbox" "[.messages[] | select(.kind == \"handshake\" and .customer_id == $C)] | length" 1
expect_json "outbox grew by one" ".total - $OB0" 1
HS=$(jget "[.messages[] | select(.kind == \"handshake\")][0].id")
expect_json "handshake addressed to the CSM" "[.messages[] | select(.id == $HS) | .recipients[0].email] | .[0]" carl@csm.example
req GET "$BASE/api/outbox/$HS"
expect_status 200 "GET /api/outbox/{id}"
expect_json "outbox row kind" '.kind' handshake
req POST "$BASE/api/outbox/$HS/retry" -H "$J" --data-binary '{}'
expect_status 409 "POST /api/outbox/{id}/retry on a queued row"
expect_json "409 is the JSON error shape" '.error | type' string
req GET "$BASE/api/outbox?state=queued&page=1"
expect_status 200 "GET /api/outbox?state=queued"
expect_json "filter keeps queued rows only" '[.messages[] | select(.state != "queued")] | length' 0
jreq POST "$BASE/api/customers/$C2/csm" '{"name":"Dana","email":"dana@csm.example"}'
expect_status 200 "POST /api/customers/{id}/csm"

# --- usage
jreq POST "$BASE/api/customers/$C/usage" '{"service":"teams","measured_on":"2024-06-20","active_users":60,"eligible_users":100}'
expect_status 201 "POST /api/customers/{id}/usage"
expect_json "AU computed" '.au_percent' 60
jreq POST "$BASE/api/customers/$C/usage" '{"service":"onedrive","measured_on":"2024-06-20","active_users":10,"eligible_users":100}'
expect_status 201 "POST usage (onedrive, under target)"
jreq POST "$BASE/api/customers/$C/usage/import" \
    "$(jq -Rs '{csv: ., confirm: false}' < "$top_srcdir/tests/data/usage/active-users-services-D7.csv")"
expect_status 200 "POST /api/customers/{id}/usage/import (preview)"
expect_json "preview imports teams and onedrive only" '[.rows[] | select(.import) | .service] | sort | join(",")' onedrive,teams
req GET "$BASE/api/customers/$C"
expect_json "preview wrote nothing" '[.usage[] | select(.measured_on == "2024-06-23")] | length' 0

# --- check-ins
jreq POST "$BASE/api/customers/$C/checkins" '{"held_on":"2024-06-24","summary":"Pilot going well","next_action":"Train champions","next_action_on":"2024-07-01","next_action_owner":"Ana","services":["onedrive"]}'
expect_status 201 "POST /api/customers/{id}/checkins"
expect_json "check-in held by the user" '.held_by' "$USER_NAME"
jreq POST "$BASE/api/customers/$C/checkins" '{"held_on":"2024-06-24","next_action":"x","next_action_on":"2024-07-01","next_action_owner":"Ana","services":["teams"]}'
expect_status 422 "check-in on a CSM-led service refused"
expect_json "422 names the field" '.fields | has("services")' true

# --- programs and tasks
jreq POST "$BASE/api/customers/$C/adoption" '{"service":"onedrive"}'
expect_status 200 "POST /api/customers/{id}/adoption"
expect_json "adoption tasks created" '[.tasks[] | select(.ftop_id == 3740 or .ftop_id == 3741)] | length' 2
jreq POST "$BASE/api/customers/$C/accelerator" '{}'
expect_status 422 "accelerator without Office ProPlus refused"
jreq POST "$BASE/api/customers/$C2/services" '{"service":"office_proplus","activated_on":"2024-06-10","target_percent":40}'
expect_status 201 "POST services (office_proplus)"
jreq POST "$BASE/api/customers/$C2/accelerator" '{"service":"office_proplus"}'
expect_status 200 "POST /api/customers/{id}/accelerator"
expect_json "accelerator task 3650" '[.tasks[] | select(.ftop_id == 3650)] | length' 1
jreq POST "$BASE/api/customers/$C/tasks/3740/complete" '{"note":"Intro done"}'
expect_status 200 "POST /api/customers/{id}/tasks/3740/complete"
expect_json "task 3740 done" '[.tasks[] | select(.ftop_id == 3740) | .status] | .[0]' done
jreq POST "$BASE/api/customers/$C/tasks/9999/complete" '{}'
expect_status 404 "unknown FTOP task is 404"

# --- blockers
jreq POST "$BASE/api/customers/$C/blockers" '{"description":"Proxy blocks OneDrive sync","owner":"Customer IT","l2_reason":"customer_it_infrastructure","service":"onedrive"}'
expect_status 201 "POST /api/customers/{id}/blockers"
BL=$(jget .id)
expect_json "blocker open, l1 blocked" '.l1_status' blocked

# --- meetings
jreq POST "$BASE/api/customers/$C/meetings" '{"starts_at":"'"$MEET_DAY"'T10:00","duration_minutes":30,"every_weeks":2}'
expect_status 201 "POST /api/customers/{id}/meetings"
M=$(jget .id)
expect_hdr "meeting Location" Location "^/api/meetings/$M\$"
expect_json "new series has sequence 0" '.sequence' 0
expect_json "attendees are the invited contacts" '[.attendees[].email] | join(",")' ana@contoso.example
req GET "$BASE/api/meetings/$M"
expect_status 200 "GET /api/meetings/{id}"
jreq PATCH "$BASE/api/meetings/$M" '{"starts_at":"'"$MEET_DAY"'T11:00"}'
expect_status 200 "PATCH /api/meetings/{id}"
expect_json "reschedule bumps sequence to 1" '.sequence' 1
jreq POST "$BASE/api/meetings/$M" '{"duration_minutes":45}'
expect_status 200 "POST /api/meetings/{id} (reschedule)"
expect_json "sequence 2" '.sequence' 2
req GET "$BASE/meetings/$M/invite.ics"
expect_status 200 "GET /meetings/{id}/invite.ics"
expect_hdr "ics content type" Content-Type '^text/calendar'
expect_body "ics is a VCALENDAR" "BEGIN:VCALENDAR"
# issue 13, item 9: asked first, naming who is mailed (the GET mails no one)
req GET "$BASE/customers/$C/owner?owner_fm=someone" -H 'Accept: text/html'
expect_status 200 "GET /customers/{id}/owner (reassign confirmation)"
expect_body "reassigning names the attendees mailed" "ana@contoso.example"
req GET "$BASE/customers/$C/owner" -H 'Accept: text/html'
expect_status 400 "reassign confirmation without owner_fm"
req GET "$BASE/customers/$C/archive" -H 'Accept: text/html'
expect_status 200 "GET /customers/{id}/archive (confirmation)"
expect_body "archiving: the series must go first" "cancel it under Check-in meetings first"
jreq POST "$BASE/api/customers/$C/archive" '{}'
expect_status 409 "archiving while a series runs is refused"
jreq POST "$BASE/api/meetings/$M/cancel" '{}'
expect_status 200 "POST /api/meetings/{id}/cancel"
expect_json "series cancelled" '.status' cancelled
req GET "$BASE/api/outbox"
expect_json "invite, update and cancel queued" "[.messages[] | select(.customer_id == $C and .kind != \"handshake\")] | length >= 3" true

# --- Success Review: refused with reasons, then ready, accepted, outcome
jreq POST "$BASE/api/customers/$C/success-review" '{}'
expect_status 422 "success review refused while not ready"
expect_body "reasons: the open blocker" "blocker #$BL is open"
expect_body "reasons: the open required task" "required task 3741"
expect_body "reasons: AU under target" "under the 35% target"
jreq POST "$BASE/api/blockers/999999/resolve" '{"resolution":"Proxy rule added"}'
expect_status 404 "unknown blocker is 404"
jreq POST "$BASE/api/blockers/$BL/resolve" '{}'
expect_status 422 "resolve without a resolution is 422"
expect_json "the resolution is named" '.fields.resolution | length > 0' true
jreq POST "$BASE/api/blockers/$BL/resolve" '{"resolution":"Proxy rule added"}'
expect_status 200 "POST /api/blockers/{id}/resolve"
expect_json "blocker resolved" "[.blockers[] | select(.id == $BL) | .status] | .[0] != \"open\"" true
jreq POST "$BASE/api/customers/$C/tasks/3741/complete" '{"note":"Workshop held"}'
expect_status 200 "complete task 3741"
jreq POST "$BASE/api/customers/$C/usage" '{"service":"onedrive","measured_on":"2024-06-25","active_users":41,"eligible_users":100}'
expect_status 201 "record AU over target"
req GET "$BASE/api/customers/$C"
expect_json "customer is ready" '.readiness.ready' true
jreq POST "$BASE/api/customers/$C/success-review" '{}'
expect_status 200 "POST /api/customers/{id}/success-review"
expect_json "phase success_review" '.phase' success_review
jreq POST "$BASE/api/customers/$C/success-review" '{}'
expect_status 409 "second success review is a conflict"
jreq POST "$BASE/api/customers/$C/success-review/outcome" '{"outcome":"transition_to_csm"}'
expect_status 200 "POST /api/customers/{id}/success-review/outcome"
expect_json "outcome recorded" '.review_outcome' transition_to_csm
expect_json "customer closed" '.phase' closed
jreq POST "$BASE/api/customers/$C/blockers" '{"description":"late","owner":"IT","l2_reason":"customer_it_infrastructure"}'
expect_status 409 "a closed customer takes no blocker (playbook_phase_allows)"
expect_json "the 409 says why in words" '.error | test("is in Closed: its blockers are settled")' true

# --- archive (issue 13, item 11): out of the portfolio, readable by its URL, back again
jreq POST "$BASE/api/customers/$C/archive" '{}'
expect_status 200 "POST /api/customers/{id}/archive"
expect_json "archived flag" '.archived' true
req GET "$BASE/api/customers?phase=closed"
expect_json "archived: gone from the portfolio" '.total' 0
req GET "$BASE/api/customers?phase=closed&archived=1"
expect_json "?archived=1 lists it, flagged" '[.total, .customers[0].archived] | map(tostring) | join(",")' "1,true"
req GET "$BASE/api/customers/$C"
expect_status 200 "an archived customer is still readable"
expect_json "archived_at set" '.archived_at | type' string
jreq POST "$BASE/api/customers/$C/archive" '{}'
expect_status 409 "archiving twice is a conflict"
jreq POST "$BASE/api/customers/$C/unarchive" '{}'
expect_status 200 "POST /api/customers/{id}/unarchive"
expect_json "unarchived" '.archived' false

# --- portfolio queries
req GET "$BASE/api/customers?q=Fabri"
expect_status 200 "GET /api/customers?q="
expect_json "q finds one customer" '[.total, .customers[0].name] | map(tostring) | join(",")' "1,Fabrikam"
req GET "$BASE/api/customers?phase=closed"
expect_json "phase=closed" '[.customers[].id] | map(tostring) | join(",")' "$C"
req GET "$BASE/api/customers?sort=name&page=2&per_page=1"
expect_status 200 "GET /api/customers?sort=&page=&per_page="
expect_json "page 2 of 1 per page by name" '[.page, .pages, (.customers | length), .customers[0].name] | map(tostring) | join(",")' "2,2,1,Fabrikam"
req GET "$BASE/api/customers?state=overdue"
expect_status 200 "GET /api/customers?state=overdue"
expect_json "state=overdue keeps overdue rows only" '[(.customers | length) > 0, ([.customers[] | select(.overdue != true)] | length)] | map(tostring) | join(",")' "true,0"
req GET "$BASE/api/customers?state=sleepy"
expect_status 400 "bad state is 400"
expect_json "400 names the parameter" '.fields | has("state")' true

# ================================================================ errors
req GET "$BASE/no/such/page"
expect_status 404 "unknown path"
req GET "$BASE/api/customers/987654"
expect_status 404 "unknown customer id"
expect_json "404 is the JSON error shape" '.error | type' string
req GET "$BASE/api/customers/007"
expect_status 404 "non-canonical id is 404"
req GET "$BASE/customers/987654" -H 'Accept: text/html'
expect_status 404 "unknown customer page"
expect_hdr "HTML 404" Content-Type '^text/html'
req DELETE "$BASE/api/customers/$C"
expect_status 405 "DELETE a customer"
expect_hdr "405 Allow lists the methods" Allow '^GET, HEAD, POST, PATCH$|^(GET|HEAD|POST|PATCH)(, (GET|HEAD|POST|PATCH)){3}$'
req PUT "$BASE/healthz"
expect_status 405 "PUT /healthz"
expect_hdr "405 Allow on /healthz" Allow '^GET, HEAD$'

snapshot "$C2" "$T/before.json"
jreq POST "$BASE/api/customers/$C2/contacts" '{"name": "broken'
expect_status 400 "malformed JSON"
expect_json "400 is the JSON error shape" '.error | type' string
jreq POST "$BASE/api/customers/$C2/contacts" '[1,2]'
expect_status 400 "JSON that is not an object"
jreq POST "$BASE/api/customers/$C2/contacts" "$(printf '{"name":"\xff\xfe","email":"a@b.example"}')"
expect_status 400 "JSON with invalid UTF-8"
jreq POST "$BASE/api/customers/$C2/contacts" '{"name":"A\r\nBcc: x@evil.example","email":"a@b.example"}'
expect_status 422 "CR/LF in a contact name (header-bound)"
expect_json "422 names the field" '.fields | has("name")' true
jreq POST "$BASE/api/customers/$C2/contacts" '{"name":"A","email":"a@b.example\r\nBcc: x@evil.example"}'
expect_status 422 "CR/LF in a contact email"
jreq PUT "$BASE/api/customers/$C2/csm" '{"name":"Eve\nBcc: x@evil.example","email":"eve@csm.example"}'
expect_status 422 "LF in a CSM name"
jreq POST "$BASE/api/customers/$C2/contacts" '{"name":"A\u0000B","email":"a@b.example"}'
[ "$STATUS" = 422 ] || [ "$STATUS" = 400 ] && pass "NUL in a name refused ($STATUS)" || fail "NUL in a name: $STATUS"
snapshot "$C2" "$T/after.json"
if cmp -s "$T/before.json" "$T/after.json"; then pass "refused requests changed nothing"; else fail "refused requests changed the customer"; note "$(diff "$T/before.json" "$T/after.json" | head -20)"; fi

# 413: a body over max_body (64k) that nginx lets through (client_max_body_size 1m)
req GET "$BASE/api/customers"
N0=$(jget .total)
big=$(head -c 70000 /dev/zero | tr '\0' 'x')
jreq POST "$BASE/api/customers" "{\"name\":\"Big\",\"tenant_domain\":\"big.example\",\"timezone\":\"UTC\",\"pad\":\"$big\"}"
expect_status 413 "body over max_body"
expect_json "413 is the JSON error shape" '.error | type' string
req GET "$BASE/api/customers"
expect_json "nothing was written by the 413" '.total' "$N0"
jreq POST "$BASE/api/customers/$C2/usage/import" "{\"csv\":\"$big\"}"
expect_status 413 "usage import over max_body"

# CSRF and content types for API clients
jreq POST "$BASE/api/customers" '{"name":"Evil","tenant_domain":"evil.example","timezone":"UTC"}' -H 'Origin: http://evil.example'
expect_status 403 "JSON POST with a foreign Origin"
jreq POST "$BASE/api/customers" '{"name":"Evil","tenant_domain":"evil.example","timezone":"UTC"}' -H 'Origin: null'
expect_status 403 "JSON POST with Origin: null"
jreq POST "$BASE/api/customers" '{"name":"Evil","tenant_domain":"evil.example","timezone":"UTC"}' -H 'Sec-Fetch-Site: cross-site'
expect_status 403 "JSON POST with Sec-Fetch-Site: cross-site"
req POST "$BASE/api/customers" --data 'name=Evil&tenant_domain=evil.example&timezone=UTC'
expect_status 403 "API POST with a form Content-Type"
req POST "$BASE/api/customers" -H 'Content-Type: text/plain' --data '{"name":"Evil"}'
expect_status 403 "API POST with text/plain"
req GET "$BASE/api/customers?q=Evil"
expect_json "no refused request created a customer" '.total' 0

# ================================================================ HTML forms
req GET "$BASE/" -H 'Accept: text/html'
expect_status 200 "GET / (portfolio HTML)"
expect_hdr "portfolio is HTML" Content-Type '^text/html'
expect_body "portfolio lists a customer" "Fabrikam"
req GET "$BASE/customers/new"
expect_status 200 "GET /customers/new"
TOKEN=$(grep -o 'name="csrf" value="[0-9]*-[0-9a-f]*"' "$T/resp.b" | head -1 | sed 's/.*value="//; s/"$//')
grep -Eqx '[0-9]+-[0-9a-f]{64}' <<< "$TOKEN" && pass "CSRF token scraped from the form (no cookie)" || fail "no CSRF token in /customers/new"
req GET "$BASE/customers/$C2"
expect_status 200 "GET /customers/{id} (HTML)"
grep -qF "value=\"$TOKEN\"" "$T/resp.b" && pass "customer page embeds the same token" || fail "customer page has another token"

req POST "$BASE/customers" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Northwind & Co' \
    --data-urlencode 'tenant_domain=northwind.onmicrosoft.com' --data-urlencode 'timezone=Asia/Tokyo'
expect_status 303 "POST /customers (form) redirects"
expect_hdr "303 Location to the new customer" Location '^/customers/[0-9]+\?done=customer_created$'
NW=$(loc_id)
req GET "$BASE$(hdr Location)"
expect_status 200 "GET after the redirect"
expect_body "notice shown" "Customer created."
expect_body "name escaped in HTML" "Northwind &amp; Co"

req POST "$BASE/customers" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=' \
    --data-urlencode 'tenant_domain=typed-tenant.example' --data-urlencode 'timezone=Mars/Olympus'
expect_status 422 "invalid customer form"
expect_body "typed tenant kept" "typed-tenant.example"
expect_body "typed zone kept" "Mars/Olympus"

req POST "$BASE/customers/$NW/checkins" --data-urlencode "csrf=$TOKEN" \
    --data-urlencode 'held_on=2024-06-24' --data-urlencode 'summary=Typed <summary> kept' \
    --data-urlencode 'next_action=' --data-urlencode 'next_action_on=2026-13-45' --data-urlencode 'next_action_owner=Kim'
expect_status 422 "failing check-in form"
expect_hdr "422 form is HTML" Content-Type '^text/html'
expect_body "typed summary still there (escaped)" "Typed &lt;summary&gt; kept"
expect_body "typed owner still there" 'value="Kim"'
expect_body "error summary" "There are 2 problems:"
expect_body "bad date kept as typed" "2026-13-45"

snapshot "$NW" "$T/before.json"
req POST "$BASE/customers/$NW/contacts" --data-urlencode 'name=NoToken' --data-urlencode 'email=a@b.example'
expect_status 403 "form POST without a CSRF token"
expect_hdr "403 page is HTML" Content-Type '^text/html'
# the same token with its last hex digit changed
if [ "${TOKEN: -1}" = 0 ]; then BAD_TOKEN=${TOKEN%?}1; else BAD_TOKEN=${TOKEN%?}0; fi
req POST "$BASE/customers/$NW/contacts" --data-urlencode "csrf=$BAD_TOKEN" --data-urlencode 'name=BadToken' --data-urlencode 'email=a@b.example'
expect_status 403 "form POST with a wrong CSRF token"
req POST "$BASE/customers/$NW/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Cross' \
    --data-urlencode 'email=a@b.example' -H 'Sec-Fetch-Site: cross-site'
expect_status 403 "form POST with Sec-Fetch-Site: cross-site (valid token)"
req POST "$BASE/customers/$NW/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Foreign' \
    --data-urlencode 'email=a@b.example' -H 'Origin: https://evil.example'
expect_status 403 "form POST with a foreign Origin (valid token)"
req POST "$BASE/customers/$NW/contacts" --data "csrf=$TOKEN&name=%FF%FE&email=a@b.example"
expect_status 400 "invalid UTF-8 in a form field"
req POST "$BASE/customers/$NW/contacts" -H 'Content-Type: text/plain' --data "csrf=$TOKEN"
expect_status 415 "form POST with text/plain"
req POST "$BASE/customers/$NW/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode $'name=A\r\nBcc: x@evil.example' \
    --data-urlencode 'email=a@b.example'
expect_status 422 "CR/LF in a contact name (form)"
snapshot "$NW" "$T/after.json"
if cmp -s "$T/before.json" "$T/after.json"; then pass "refused forms changed nothing"; else fail "a refused form changed the customer"; note "$(diff "$T/before.json" "$T/after.json" | head -20)"; fi

req POST "$BASE/customers/$NW/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Kim Lee' \
    --data-urlencode 'email=kim@northwind.example' -H "Origin: $BASE" -H 'Sec-Fetch-Site: same-origin'
expect_status 303 "form POST same-origin with token"

# usage report import: multipart preview, then confirm
req POST "$BASE/customers/$NW/services" --data-urlencode "csrf=$TOKEN" --data-urlencode 'service=exchange' \
    --data-urlencode 'activated_on=2024-04-20' --data-urlencode 'target_percent=70'
expect_status 303 "activate exchange (form)"
req POST "$BASE/customers/$NW/services" --data-urlencode "csrf=$TOKEN" --data-urlencode 'service=sharepoint' \
    --data-urlencode 'target_percent=30'
expect_status 303 "activate sharepoint (form)"
req POST "$BASE/customers/$NW/usage/import" -F "csrf=$TOKEN" \
    -F "file=@$top_srcdir/tests/data/usage/active-users-services-D30.csv;type=text/csv"
expect_status 200 "usage import preview (multipart)"
expect_body "preview offers to confirm" 'name="confirm"'
expect_body "preview shows exchange AU of 2024-06-16 (79%)" ">79%<"
req GET "$BASE/api/customers/$NW"
expect_json "preview imported nothing" '.usage | length' 0
req POST "$BASE/customers/$NW/usage/import" -F "csrf=$TOKEN" -F confirm=1 \
    -F "csv=<$top_srcdir/tests/data/usage/active-users-services-D30.csv"
expect_status 303 "usage import confirm redirects"
expect_hdr "confirm redirects to the customer" Location "^/customers/$NW\\?done=usage_imported\$"
req GET "$BASE/api/customers/$NW"
expect_json "8 samples imported (exchange + sharepoint x 4 weeks)" '.usage | length' 8
expect_json "latest exchange sample" '[.usage[] | select(.service == "exchange" and .measured_on == "2024-06-16") | .active_users] | .[0]' 790
req POST "$BASE/customers/$NW/usage/import" -F "csrf=$TOKEN" \
    -F "file=@$top_srcdir/tests/data/usage/bad-date.csv;type=text/csv"
expect_status 422 "usage report with a bad date"
expect_body "error names the line and column (a sentence at the field)" "Line 3, column 1 (Report Refresh Date)"
req POST "$BASE/customers/$NW/usage/import" -F "csrf=$TOKEN" \
    -F "file=@$top_srcdir/tests/data/usage/not-a-usage-report.csv;type=text/csv"
expect_status 422 "not a usage report"
req POST "$BASE/customers/$NW/usage/import" -F "csrf=" -F "file=@$top_srcdir/tests/data/usage/active-users-services-D7.csv"
expect_status 403 "multipart without a token"
req GET "$BASE/api/customers/$NW"
expect_json "refused imports wrote nothing" '.usage | length' 8

req GET "$BASE/outbox"
expect_status 200 "GET /outbox (HTML)"
req GET "$BASE/outbox/$HS"
expect_status 200 "GET /outbox/{id} (HTML)"
req GET "$BASE/customers/$NW/edit"
expect_status 200 "GET /customers/{id}/edit"
expect_body "edit form pre-filled" "northwind.onmicrosoft.com"

# ================================================================ processes
# Both workers writing at once: SQLite's lock is waited for, never a 5xx.
req GET "$BASE/api/customers"
N0=$(jget .total)
seq 1 40 | xargs -P 12 -I{} curl -sS -o /dev/null -w '%{http_code}\n' "${IT_CURL_OPTS[@]}" \
    -H 'Content-Type: application/json' \
    --data '{"name":"Parallel {}","tenant_domain":"parallel{}.example","timezone":"UTC"}' \
    "$BASE/api/customers" > "$T/parallel.codes"
eq "40 concurrent creates all 201" "$(sort "$T/parallel.codes" | uniq -c | sed 's/^ *//')" "40 201"
req GET "$BASE/api/customers?q=Parallel"
expect_json "40 customers written" '.total' 40

workers() { pgrep -P "$MAIN_PID" | sort; }
W0=$(workers)
[ "$(echo "$W0" | wc -l)" = 2 ] && pass "two workers under the supervisor" || fail "workers: $(echo $W0)"
VICTIM=$(echo "$W0" | head -1)
kill -KILL "$VICTIM"
for i in $(seq 1 50); do
	W1=$(workers)
	[ "$(echo "$W1" | wc -l)" = 2 ] && ! echo "$W1" | grep -qx "$VICTIM" && break
	sleep 0.1
done
[ "$(echo "$W1" | wc -l)" = 2 ] && ! echo "$W1" | grep -qx "$VICTIM" && pass "killed worker replaced" ||
    fail "killed worker not replaced (before: $(echo $W0), now: $(echo $W1))"
ok=0
for i in 1 2 3 4 5 6 7 8; do
	req GET "$BASE/api/customers/$C"
	[ "$STATUS" = 200 ] && ok=$((ok + 1))
done
eq "requests after the kill all succeed" "$ok" 8
jreq POST "$BASE/api/customers" '{"name":"After kill","tenant_domain":"after.example","timezone":"UTC"}'
expect_status 201 "a write after the kill"

req GET "http://127.0.0.1:$BAD_PORT/healthz"
expect_status 503 "/healthz without a database"
req GET "http://127.0.0.1:$BAD_PORT/api/customers"
expect_status 503 "API without a database"
expect_json "503 is the JSON error shape" '.error | type' string
mkdir "$T/later"
# A worker retries a failed open at most once a second.
for i in $(seq 1 30); do
	req GET "http://127.0.0.1:$BAD_PORT/healthz"
	[ "$STATUS" = 200 ] && break
	sleep 0.2
done
expect_status 200 "/healthz once the database can be created"

for i in $(seq 1 200); do
	[ -s "$T/short.end" ] && break
	sleep 0.1
done
if [ -s "$T/short.end" ]; then
	SHORT_SECS=$(( $(cat "$T/short.end") - SHORT_START ))
	echo "# a body 92 bytes short of its Content-Length was dropped by nginx after ${SHORT_SECS}s"
	[ "$SHORT_SECS" -ge 8 ] && [ "$SHORT_SECS" -le 16 ] &&
	    pass "a short body ends at client_body_timeout (${SHORT_SECS}s)" ||
	    fail "a short body ended after ${SHORT_SECS}s, not about 10s (client_body_timeout)"
else
	fail "a short body still holds its connection after $(( $(date +%s) - SHORT_START ))s"
fi
expect_no_short() { ! grep -q '201 Created' "$T/short.out"; }
check "the short body created nothing" expect_no_short

sechdr_report
it_done
