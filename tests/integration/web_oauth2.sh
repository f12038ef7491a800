#!/bin/bash
# web_oauth2.sh -- sign-in in front of ftsuccess the way docs/deploy.md (4e)
# shows it for Microsoft Entra ID: nginx auth_request to oauth2-proxy, the
# user from the auth answer's X-Auth-Request-User header passed as
# REMOTE_USER.  oauth2-proxy is stood in for by a second nginx server that
# answers /oauth2/auth 202 with X-Auth-Request-User for one session cookie
# and 401 otherwise, as oauth2-proxy --set-xauthrequest does.  Checks: the
# session's user is the actor; a client's own Remote-User, X-Auth-Request-User
# or X-Forwarded-User header never sets the identity, with a session or
# without one; the calendar feed is served outside the sign-in, by its token.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init web_oauth2
needs nginx curl jq

PORT=$(free_port) || bail "no free port"
AUTH_PORT=$(free_port) || bail "no free port"
BASE="http://127.0.0.1:$PORT"
ANA=ana.souza@example.com
SESSION="_oauth2_proxy=ana-session"
SPOOF=(-H 'Remote-User: mallory' -H 'X-Auth-Request-User: mallory' -H 'X-Forwarded-User: mallory'
	-H 'X-Remote-User: mallory' -H 'X-Auth-Request-Email: mallory@evil.example')

web_conf "$T/app.conf" "$BASE"
it_user "$ANA" fm
it_user mallory manager
fcgi_start "$T/app.conf" "$T/fcgi.sock" fcgi

# The stand-in for oauth2-proxy: a session cookie it knows, or 401.
cat > "$T/nginx-servers.conf" <<NGX
server {
  listen 127.0.0.1:$AUTH_PORT;
  location = /oauth2/auth {
    if (\$cookie__oauth2_proxy = "ana-session") {
      add_header X-Auth-Request-User $ANA always;
      add_header X-Auth-Request-Email $ANA always;
      return 202;
    }
    return 401;
  }
}
NGX
# ftsuccess behind it: the blocks of docs/deploy.md 4e (TLS left out).
cat >> "$T/nginx-servers.conf" <<NGX
server {
  listen 127.0.0.1:$PORT;
  location = /oauth2/auth {
    internal;
    proxy_pass http://127.0.0.1:$AUTH_PORT;
    proxy_pass_request_body off;
    proxy_set_header Content-Length "";
    proxy_set_header X-Original-URI \$request_uri;
  }
  fastcgi_param GATEWAY_INTERFACE CGI/1.1;
  fastcgi_param SERVER_PROTOCOL \$server_protocol;
  fastcgi_param SERVER_NAME \$server_name;
  fastcgi_param SERVER_PORT \$server_port;
  fastcgi_param REQUEST_METHOD \$request_method;
  fastcgi_param REQUEST_SCHEME \$scheme;
  fastcgi_param REQUEST_URI \$request_uri;
  fastcgi_param SCRIPT_NAME "";
  fastcgi_param PATH_INFO \$uri;
  fastcgi_param QUERY_STRING \$query_string;
  fastcgi_param CONTENT_TYPE \$content_type;
  fastcgi_param CONTENT_LENGTH \$content_length;
  fastcgi_param REMOTE_ADDR \$remote_addr;
  fastcgi_param REMOTE_USER \$ftsuccess_user;
  location / {
    auth_request /oauth2/auth;
    auth_request_set \$ftsuccess_user \$upstream_http_x_auth_request_user;
    fastcgi_pass unix:$T/fcgi.sock;
  }
  location /feed/ {
    fastcgi_pass unix:$T/fcgi.sock;
  }
}
NGX
nginx_start "$PORT" "$AUTH_PORT"

IT_CURL_OPTS=(-H "Cookie: $SESSION")
# ================================================================ the session's user
req GET "$BASE/api/profile"
expect_status 200 "signed in through auth_request"
expect_json "REMOTE_USER is oauth2-proxy's X-Auth-Request-User" '.login' "$ANA"

# ================================================================ spoofed headers
req GET "$BASE/api/profile" "${SPOOF[@]}"
expect_status 200 "a session with spoofed identity headers"
expect_json "the session's user, not the client's headers" '.login' "$ANA"
jreq POST "$BASE/api/customers" '{"name":"Spoof","tenant_domain":"spoof.example","timezone":"UTC"}' \
    -H "Origin: $BASE" "${SPOOF[@]}"
expect_status 201 "create with spoofed identity headers"
expect_json "owner_fm is the session's user" '.owner_fm' "$ANA"
expect_json "audit actor is the session's user" '[.audit[].actor] | all(. == "'"$ANA"'")' true
# mallory is a manager: a header that set the identity would open the team view.
req GET "$BASE/api/team" "${SPOOF[@]}"
expect_status 403 "the team view stays closed to a spoofed manager"

IT_CURL_OPTS=()
# nginx answers these itself (its own 401 page, not the program's headers).
IT_NO_SECHDR=1
req GET "$BASE/api/profile" "${SPOOF[@]}"
expect_status 401 "no session, spoofed headers: oauth2-proxy's 401"
jreq POST "$BASE/api/customers" '{"name":"Anon","tenant_domain":"anon.example","timezone":"UTC"}' \
    -H "Origin: $BASE" "${SPOOF[@]}"
expect_status 401 "no session: a write is refused"
unset IT_NO_SECHDR

# ================================================================ the calendar feed
IT_CURL_OPTS=(-H "Cookie: $SESSION")
TOKEN=$(csrf_scrape "$BASE/profile")
[ -n "$TOKEN" ] && pass "profile page has a CSRF token" || fail "no CSRF token on /profile"
req POST "$BASE/profile/feed" -H "Origin: $BASE" --data-urlencode "csrf=$TOKEN" \
    --data-urlencode action=regenerate
expect_status 200 "feed address made"
FEED=$(grep -o 'feed/[0-9a-f]\{64\}\.ics' "$T/resp.b" | head -1)
[ -n "$FEED" ] && pass "the feed address is shown once" || fail "no feed address on the page"
IT_CURL_OPTS=()
req GET "$BASE/$FEED"
expect_status 200 "the feed answers without a session (its token is the credential)"
expect_hdr "a calendar" Content-Type '^text/calendar; charset=utf-8$'
grep -q '^METHOD:' "$T/resp.b" && fail "METHOD in a subscription feed" || pass "no METHOD"
req GET "$BASE/feed/$(printf '%064d' 0).ics" "${SPOOF[@]}"
expect_status 404 "a wrong token is no feed, whatever the headers"

it_done
