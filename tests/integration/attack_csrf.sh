#!/bin/bash
# attack_csrf.sh -- cross-site request forgery against a real nginx stack
# (basic auth gives REMOTE_USER): a form post without a token, with another
# user's token, with a genuine token of an expired window (forged with the
# test's own secret, no sleeping), with a token from the future, with a
# foreign or opaque Origin, with Sec-Fetch-Site cross-site or same-site, and
# API posts in the content types a cross-site form can send.  Every one is
# refused with a clear message and no table of the database changes (rows
# counted with sqlite3 before and after).  Controls: the current token and a
# token this script computes for the current window both post, so the
# expired-window refusal is the window's doing, not a miscomputed HMAC.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init attack_csrf
needs nginx curl openssl sqlite3 jq

WINDOW=3600	# csrf_window of this test, in seconds
PORT=$(free_port) || bail "no free port"
BASE="http://127.0.0.1:$PORT"
SOCK="$T/fcgi.sock"
write_conf "$T/ftsuccess.conf" <<CONF
base_url = $BASE
csrf_window = 1h
CONF
htpasswd_add alice alice-pw
htpasswd_add bob bob-pw
fcgi_start "$T/ftsuccess.conf" "$SOCK"
nginx_server "$PORT" "$SOCK" basic
nginx_start "$PORT"

ALICE=(-u alice:alice-pw)
# rows: every table's row count, one "table count" per line
rows() {
	local t
	for t in $(sqlite3 "$T/db.sqlite" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
		printf '%s %s\n' "$t" "$(sqlite3 "$T/db.sqlite" "SELECT count(*) FROM \"$t\"")"
	done
}
total_rows() { rows | awk '{ n += $2 } END { print n + 0 }'; }
# token_for USER WINDOW-NUMBER: the token the scheme of cgi/csrf.h gives, from the secret file
token_for() {
	local key mac
	key=$(od -An -v -tx1 "$T/secret" | tr -d ' \n')
	mac=$(printf '%s' "$WINDOW:$2:$1" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" |
	    sed 's/^.*= //')
	printf '%s-%s' "$2" "$mac"
}

# ---- a customer of alice's, and the tokens of both users
jreq POST "$BASE/api/customers" '{"name":"Contoso","tenant_domain":"contoso.example.com","timezone":"UTC"}' \
    "${ALICE[@]}"
expect_status 201 "alice creates a customer"
C=$(jget .id)
jreq POST "$BASE/api/customers/$C/contacts" '{"name":"Ana Souza","email":"ana@contoso.example.com"}' \
    "${ALICE[@]}"
expect_status 201 "alice adds a contact"
IT_CURL_OPTS=("${ALICE[@]}")
TOK_ALICE=$(csrf_scrape "$BASE/customers/$C")
IT_CURL_OPTS=(-u bob:bob-pw)
TOK_BOB=$(csrf_scrape "$BASE/customers/$C")
IT_CURL_OPTS=()
check "the customer page carries a windowed token (W-hex)" grep -Eqx '[0-9]+-[0-9a-f]{64}' <<< "$TOK_ALICE"
check "bob's token differs from alice's" [ "$TOK_ALICE" != "$TOK_BOB" ]
NOW_W=$(( $(date +%s) / WINDOW ))
OLD_W=$((NOW_W - 2))
TOK_OLD=$(token_for alice "$OLD_W")
TOK_MONTH=$(token_for alice $((NOW_W - 24 * 30)))
TOK_FUTURE=$(token_for alice $((NOW_W + 1)))

BEFORE=$(rows)
N_BEFORE=$(total_rows)
refused=0 sent=0
# attack NAME WANT-STATUS WANT-TEXT curl-args...: one forged post to alice's contacts
attack() {
	local name=$1 want=$2 text=$3
	shift 3
	sent=$((sent + 1))
	req POST "$BASE/customers/$C/contacts" "${ALICE[@]}" "$@"
	if expect_status "$want" "$name"; then
		refused=$((refused + 1))
		expect_body "$name: says why" "$text"
	fi
}
FIELDS=(--data-urlencode 'name=Mallory' --data-urlencode 'email=mallory@evil.example')
attack "POST without a token" 403 "no CSRF token" "${FIELDS[@]}"
attack "POST with an empty token" 403 "not valid" --data-urlencode "csrf=" "${FIELDS[@]}"
attack "POST with bob's token as alice" 403 "not valid" --data-urlencode "csrf=$TOK_BOB" "${FIELDS[@]}"
attack "POST with the token of two windows ago" 403 "This form has expired" \
    --data-urlencode "csrf=$TOK_OLD" "${FIELDS[@]}"
expect_body "the expired page keeps the input" 'name="email" value="mallory@evil.example"'
expect_no_body "the expired page does not echo the old token" "$TOK_OLD"
attack "POST with a token of a month ago" 403 "This form has expired" \
    --data-urlencode "csrf=$TOK_MONTH" "${FIELDS[@]}"
attack "POST with a token of the next window (future)" 403 "not valid" \
    --data-urlencode "csrf=$TOK_FUTURE" "${FIELDS[@]}"
attack "POST with an old window number on a current HMAC" 403 "not valid" \
    --data-urlencode "csrf=$OLD_W-${TOK_ALICE#*-}" "${FIELDS[@]}"
attack "POST with the pre-window token format (bare HMAC)" 403 "not valid" \
    --data-urlencode "csrf=${TOK_ALICE#*-}" "${FIELDS[@]}"
attack "POST with a foreign Origin (valid token)" 403 "cross-origin request refused" \
    -H 'Origin: https://evil.example' --data-urlencode "csrf=$TOK_ALICE" "${FIELDS[@]}"
attack "POST with Origin: null (valid token)" 403 "cross-origin request refused" \
    -H 'Origin: null' --data-urlencode "csrf=$TOK_ALICE" "${FIELDS[@]}"
attack "POST with Sec-Fetch-Site: cross-site (valid token)" 403 "cross-origin request refused" \
    -H 'Sec-Fetch-Site: cross-site' --data-urlencode "csrf=$TOK_ALICE" "${FIELDS[@]}"
attack "POST with Sec-Fetch-Site: same-site (valid token)" 403 "cross-origin request refused" \
    -H 'Sec-Fetch-Site: same-site' --data-urlencode "csrf=$TOK_ALICE" "${FIELDS[@]}"
# The API takes no token: its JSON Content-Type is what a cross-site form cannot send.
sent=$((sent + 1))
req POST "$BASE/api/customers/$C/contacts" "${ALICE[@]}" -H 'Content-Type: text/plain' \
    --data-binary '{"name":"Mallory","email":"mallory@evil.example"}'
expect_status 403 "API POST as text/plain (a cross-site form's type)" && refused=$((refused + 1))
expect_body "API refusal says why" "application/json"
sent=$((sent + 1))
req POST "$BASE/api/customers/$C/contacts" "${ALICE[@]}" "${FIELDS[@]}"
expect_status 403 "API POST as a urlencoded form" && refused=$((refused + 1))
sent=$((sent + 1))
jreq PATCH "$BASE/api/customers/$C" '{"name":"Pwned"}' "${ALICE[@]}" -H 'Origin: https://evil.example'
expect_status 403 "API PATCH with a foreign Origin" && refused=$((refused + 1))

AFTER=$(rows)
N_AFTER=$(total_rows)
if [ "$BEFORE" = "$AFTER" ]; then
	pass "nothing changed: $N_BEFORE rows in every table before and after"
else
	fail "the database changed"
	note "$(diff <(echo "$BEFORE") <(echo "$AFTER"))"
fi
eq "every attack refused" "$refused" "$sent"
echo "# attack_csrf: $sent forged requests, $refused refused; rows before $N_BEFORE, after $N_AFTER"

# ---- controls: the genuine current token, and one computed here for this window
req POST "$BASE/customers/$C/contacts" "${ALICE[@]}" --data-urlencode "csrf=$TOK_ALICE" \
    --data-urlencode 'name=Lia' --data-urlencode 'email=lia@contoso.example.com'
expect_status 303 "control: the page's own token posts"
req POST "$BASE/customers/$C/contacts" "${ALICE[@]}" --data-urlencode "csrf=$(token_for alice "$NOW_W")" \
    --data-urlencode 'name=Rui' --data-urlencode 'email=rui@contoso.example.com'
expect_status 303 "control: a token computed by this test for the current window posts"
req POST "$BASE/customers/$C/contacts" "${ALICE[@]}" --data-urlencode "csrf=$(token_for alice $((NOW_W - 1)))" \
    --data-urlencode 'name=Kim' --data-urlencode 'email=kim@contoso.example.com'
expect_status 303 "control: the previous window's token still posts (form open across a boundary)"
eq "three contacts added by the controls" "$(sqlite3 "$T/db.sqlite" 'SELECT count(*) FROM contact')" \
    "$(( $(echo "$AFTER" | awk '$1 == "contact" { print $2 }') + 3 ))"

sechdr_report
it_done
