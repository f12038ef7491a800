#!/bin/bash
# web_apache.sh -- ftsuccess.fcgi behind a real Apache (Debian apache2):
# mod_proxy_fcgi to `ftsuccess.fcgi --listen unix:...`, basic auth in Apache
# giving REMOTE_USER; then mod_fcgid starting the program itself (the
# listening socket on its stdin).  A smoke test of each: /healthz, a JSON
# create, the HTML portfolio, security headers.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init web_apache
need apache2 apache2
need curl curl
need jq jq
need openssl openssl
[ -f /usr/lib/apache2/modules/mod_proxy_fcgi.so ] || skip "mod_proxy_fcgi missing (Debian apache2)"

PORT=$(free_port) || bail "no free port"
BASE="http://127.0.0.1:$PORT"
write_conf "$T/app.conf" <<CONF
auth = remote_user
base_url = $BASE
CONF
htpasswd_add alice 'apache pass'
IT_CURL_AUTH=(-u 'alice:apache pass')

# The socket must be reachable by Apache's children (www-data when root).
it_spawn fcgi "$BIN" --config "$T/app.conf" --listen "unix:$T/fcgi.sock" --workers 2 --socket-mode 0666
wait_sock "$T/fcgi.sock" 10 || { cat "$T/fcgi.log"; bail "no socket"; }

apache_common
cat > "$T/apache.conf" <<APACHE
Include $T/apache-common.conf
Listen 127.0.0.1:$PORT
# The program is a generic FastCGI responder, not PHP-FPM: SCRIPT_NAME and
# PATH_INFO as RFC 3875 has them.
ProxyFCGIBackendType GENERIC
<Location "/">
	AuthType Basic
	AuthName "ftsuccess"
	AuthBasicProvider file
	AuthUserFile "$T/htpasswd"
	Require valid-user
</Location>
<Location "/healthz">
	Require all granted
</Location>
ProxyPass "/" "unix:$T/fcgi.sock|fcgi://localhost/"
APACHE
apache_start "$T/apache.conf" "$PORT"
echo "# Apache on $BASE, mod_proxy_fcgi to $T/fcgi.sock"

req GET "$BASE/healthz"
expect_status 200 "GET /healthz through mod_proxy_fcgi"
expect_body "healthz ok" "ok"
IT_NO_SECHDR=1 req GET "$BASE/api/customers" -u 'alice:nope'
expect_status 401 "Apache refuses a wrong password"
jreq POST "$BASE/api/customers" '{"name":"Apache Ltd","tenant_domain":"apache.example","timezone":"Europe/Lisbon"}' \
    -H 'Remote-User: mallory'
expect_status 201 "POST /api/customers"
C=$(jget .id)
expect_hdr "Location of the new customer" Location "^/api/customers/$C\$"
expect_json "REMOTE_USER from Apache's basic auth" '.owner_fm' alice
req GET "$BASE/" -H 'Accept: text/html'
expect_status 200 "GET / (HTML)"
expect_hdr "HTML" Content-Type '^text/html'
expect_body "portfolio lists the customer" "Apache Ltd"
req GET "$BASE/customers/$C"
expect_status 200 "GET /customers/{id} through Apache"
TOKEN=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/resp.b" | head -1 | sed 's/.*value="//; s/"$//')
req POST "$BASE/customers/$C/contacts" --data-urlencode "csrf=$TOKEN" --data-urlencode 'name=Rui' \
    --data-urlencode 'email=rui@apache.example'
expect_status 303 "form POST through Apache"
req GET "$BASE/api/customers/$C/nothing"
expect_status 404 "404 through Apache"
req DELETE "$BASE/api/customers/$C"
expect_status 405 "405 through Apache"
expect_hdr "405 Allow passed through" Allow 'GET'

# ---- mod_fcgid: Apache starts the program with the socket on stdin ----
if [ -f /usr/lib/apache2/modules/mod_fcgid.so ]; then
	it_stop "$APACHE_PID"
	PORT2=$(free_port) || bail "no free port"
	BASE2="http://127.0.0.1:$PORT2"
	# The program runs as Apache's user: its own directory for the database.
	mkdir -p "$T/fcgid"
	write_conf "$T/fcgid/app.conf" <<CONF
auth = remote_user
base_url = $BASE2
CONF
	sed -i "s|^database = .*|database = $T/fcgid/db.sqlite|; s|^secret_file = .*|secret_file = $T/fcgid/secret|" "$T/fcgid/app.conf"
	[ "$(id -u)" = 0 ] && chown -R www-data:www-data "$T/fcgid"
	apache_common fcgid
	cat > "$T/apache-fcgid.conf" <<APACHE
Include $T/apache-common.conf
Listen 127.0.0.1:$PORT2
FcgidIPCDir $T/apache/fcgid
FcgidProcessTableFile $T/apache/fcgid_shm
FcgidInitialEnv FTSUCCESS_CONFIG $T/fcgid/app.conf
FcgidMaxProcessesPerClass 2
FcgidMaxRequestLen 1048576
FcgidPassHeader Authorization
Alias / "$BIN/"
<Location "/">
	SetHandler fcgid-script
	Options +ExecCGI
	AuthType Basic
	AuthName "ftsuccess"
	AuthBasicProvider file
	AuthUserFile "$T/htpasswd"
	Require valid-user
</Location>
<Location "/healthz">
	Require all granted
</Location>
APACHE
	apache_start "$T/apache-fcgid.conf" "$PORT2"
	echo "# Apache on $BASE2, mod_fcgid running $BIN"
	req GET "$BASE2/healthz"
	expect_status 200 "mod_fcgid: GET /healthz"
	jreq POST "$BASE2/api/customers" '{"name":"Fcgid Ltd","tenant_domain":"fcgid.example","timezone":"UTC"}'
	expect_status 201 "mod_fcgid: POST /api/customers"
	expect_json "mod_fcgid: REMOTE_USER" '.owner_fm' alice
	expect_hdr "mod_fcgid: Location" Location '^/api/customers/1$'
	req GET "$BASE2/" -H 'Accept: text/html'
	expect_status 200 "mod_fcgid: GET / (HTML)"
	expect_body "mod_fcgid: portfolio lists the customer" "Fcgid Ltd"
else
	echo "# mod_fcgid not installed (Debian libapache2-mod-fcgid): its part skipped"
fi

sechdr_report
it_done
