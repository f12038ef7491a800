#!/bin/bash
# web_apache.sh -- ftsuccess.fcgi behind a real Apache (Debian apache2),
# configured by the production samples with their site paths replaced:
# www/apache/ftsuccess.conf (mod_proxy_fcgi to `ftsuccess.fcgi --listen
# unix:...`), then www/apache/ftsuccess-fcgid.conf (mod_fcgid starting the
# program with the socket on stdin).  TLS with a throw-away certificate,
# basic auth giving REMOTE_USER.  A smoke test of each: /healthz, a JSON
# create, the HTML portfolio, a form post, errors, security headers.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init web_apache
needs apache2 curl jq openssl
[ -f /usr/lib/apache2/modules/mod_proxy_fcgi.so ] || skip "mod_proxy_fcgi missing (Debian apache2)"
[ -f /usr/lib/apache2/modules/mod_fcgid.so ] || skip "mod_fcgid missing (Debian libapache2-mod-fcgid)"

HOST=ftsuccess.example.com
PORT=$(free_port) || bail "no free port"
HTTP_PORT=$(free_port) || bail "no free port"
BASE="https://$HOST:$PORT"
web_conf "$T/app.conf" "$BASE"
htpasswd_add alice 'apache pass'
tls_cert "$HOST"
IT_CURL_OPTS=(-u 'alice:apache pass' --resolve "$HOST:$PORT:127.0.0.1" --cacert "$T/tls/$HOST.pem")

# Apache's children run as www-data (when root): they must reach the socket.
it_spawn fcgi "$BIN" --config "$T/app.conf" --listen "unix:$T/fcgi.sock" --workers 2 --socket-mode 0666
wait_sock "$T/fcgi.sock" 10 || { cat "$T/fcgi.log"; bail "no socket"; }

apache_common ssl authz_host
apache_sample ftsuccess.conf "$PORT" "$HTTP_PORT" "$T/fcgi.sock" "$T/app.conf"
cat > "$T/apache.conf" <<APACHE
Include $T/apache-common.conf
Listen 127.0.0.1:$PORT
Listen 127.0.0.1:$HTTP_PORT
Include $T/ftsuccess.conf
APACHE
apache_start "$T/apache.conf" "$PORT"
echo "# Apache on $BASE (www/apache/ftsuccess.conf), mod_proxy_fcgi to $T/fcgi.sock"

IT_NO_SECHDR=1 req GET "http://127.0.0.1:$HTTP_PORT/api/customers"
expect_status 301 "plain HTTP is redirected"
req GET "$BASE/healthz" -u nobody:none
expect_status 200 "GET /healthz through mod_proxy_fcgi (no password needed)"
expect_body "healthz ok" "ok"
IT_NO_SECHDR=1 req GET "$BASE/api/customers" -u 'alice:nope'
expect_status 401 "Apache refuses a wrong password"
jreq POST "$BASE/api/customers" '{"name":"Apache Ltd","tenant_domain":"apache.example","timezone":"Europe/Lisbon"}' \
    -H 'Remote-User: mallory' -H "Origin: $BASE"
expect_status 201 "POST /api/customers"
C=$(jget .id)
expect_hdr "Location of the new customer" Location "^/api/customers/$C\$"
expect_json "REMOTE_USER from Apache's basic auth, not the header" '.owner_fm' alice
expect_hdr "HSTS" Strict-Transport-Security 'max-age='
jreq POST "$BASE/api/customers" '{"name":"Evil","tenant_domain":"evil.example","timezone":"UTC"}' -H 'Origin: https://evil.example'
expect_status 403 "foreign Origin refused through Apache"
req GET "$BASE/" -H 'Accept: text/html'
expect_status 200 "GET / (HTML)"
expect_hdr "HTML" Content-Type '^text/html'
expect_body "portfolio lists the customer" "Apache Ltd"
req GET "$BASE/customers/$C"
expect_status 200 "GET /customers/{id} through Apache"
TOKEN=$(grep -o 'name="csrf" value="[0-9]*-[0-9a-f]*"' "$T/resp.b" | head -1 | sed 's/.*value="//; s/"$//')
req POST "$BASE/customers/$C/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Rui' \
    --data-urlencode 'email=rui@apache.example'
expect_status 303 "form POST through Apache"
expect_hdr "303 to the customer" Location "^/customers/$C\\?done=contact_added\$"
req GET "$BASE/api/customers/$C/nothing"
expect_status 404 "404 through Apache"
req DELETE "$BASE/api/customers/$C"
expect_status 405 "405 through Apache"
expect_hdr "405 Allow passed through" Allow 'GET'
req GET "$BASE/static/style.css"
expect_status 200 "static file from Apache"
if cmp -s "$T/resp.b" "$top_srcdir/www/static/style.css"; then pass "static file is the file"; else fail "static file differs"; fi
expect_hdr "static has CSP" Content-Security-Policy "frame-ancestors 'none'"
grep -q "path=/static/" "$T/fcgi.log" && fail "static request reached the program" || pass "static request did not reach the program"

# ---- mod_fcgid: Apache starts the program with the socket on stdin ----
it_stop "$APACHE_PID"
# The program runs as Apache's user: its own directory for the database.
mkdir -p "$T/fcgid"
web_conf "$T/fcgid/app.conf" "$BASE"
sed -i "s|^database = .*|database = $T/fcgid/db.sqlite|; s|^secret_file = .*|secret_file = $T/fcgid/secret|" "$T/fcgid/app.conf"
it_user alice fm "$T/fcgid/db.sqlite"
[ "$(id -u)" = 0 ] && chown -R www-data:www-data "$T/fcgid"
apache_common ssl authz_host fcgid
apache_sample ftsuccess-fcgid.conf "$PORT" "$HTTP_PORT" - "$T/fcgid/app.conf"
cat > "$T/apache-fcgid.conf" <<APACHE
Include $T/apache-common.conf
Listen 127.0.0.1:$PORT
Listen 127.0.0.1:$HTTP_PORT
FcgidIPCDir $T/apache/fcgid
FcgidProcessTableFile $T/apache/fcgid_shm
Include $T/ftsuccess-fcgid.conf
APACHE
apache_start "$T/apache-fcgid.conf" "$PORT"
echo "# Apache on $BASE (www/apache/ftsuccess-fcgid.conf), mod_fcgid running $BIN"
req GET "$BASE/healthz" -u nobody:none
expect_status 200 "mod_fcgid: GET /healthz"
jreq POST "$BASE/api/customers" '{"name":"Fcgid Ltd","tenant_domain":"fcgid.example","timezone":"UTC"}'
expect_status 201 "mod_fcgid: POST /api/customers"
expect_json "mod_fcgid: REMOTE_USER" '.owner_fm' alice
expect_hdr "mod_fcgid: Location" Location '^/api/customers/1$'
req GET "$BASE/" -H 'Accept: text/html'
expect_status 200 "mod_fcgid: GET / (HTML)"
expect_body "mod_fcgid: portfolio lists the customer" "Fcgid Ltd"
req GET "$BASE/static/icon.svg"
expect_status 200 "mod_fcgid: static file from Apache"
req GET "$BASE/no/such/page"
expect_status 404 "mod_fcgid: 404"
ls "$T/fcgid/db.sqlite" > /dev/null 2>&1 && pass "mod_fcgid: database in the configured place" ||
    fail "mod_fcgid: no database at $T/fcgid/db.sqlite"

sechdr_report
it_done
