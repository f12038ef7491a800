# lib.sh -- shared helpers of the web integration tests (sourced, bash):
# a temp dir removed on exit, processes stopped on exit, free loopback ports,
# waiting for a port or a socket, curl wrapped so every answer is kept and
# its security headers checked, and checks that print what failed.
#
#   . "$top_srcdir/tests/integration/lib.sh"
#   it_init web_nginx            # sets T, BIN; traps EXIT
#   it_spawn NAME cmd args...    # started in the background, stopped on exit
#   req GET "$BASE/healthz"      # -> $STATUS, $T/resp.h, $T/resp.b
#   expect_status 200 "healthz"
#   it_done                      # exit 0, or 1 when a check failed

top_srcdir=${top_srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
export top_srcdir top_builddir
# shellcheck source=scripts/lib/proc.sh
. "$top_srcdir/scripts/lib/proc.sh"

IT_FAILS=0
IT_CHECKS=0
IT_PIDS=()
IT_CURL_OPTS=()	# e.g. (-u user:password --cacert ...), given to every req and csrf_scrape
IT_NAME=test
T=
BIN="$top_builddir/cgi/ftsuccess.fcgi"

pass() { IT_CHECKS=$((IT_CHECKS + 1)); echo "ok - $1"; }
fail() {
	IT_CHECKS=$((IT_CHECKS + 1)); IT_FAILS=$((IT_FAILS + 1))
	echo "not ok - $1"
}
# note TEXT...: indented detail under the last check
note() { printf '%s\n' "$@" | sed 's/^/    /' | head -40; }
skip() { echo "SKIP: $IT_NAME: $*"; exit 77; }
bail() { echo "Bail out! $IT_NAME: $*"; exit 99; }

# check NAME COMMAND...: ok when the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# eq NAME GOT WANT
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# need CMD PACKAGE: skip (77) when a command from Debian is missing.
need() {
	command -v "$1" > /dev/null 2>&1 || skip "$1 not installed (Debian package $2)"
}

# needs CMD...: need each command, with its Debian package from the table
# below (a command that is its own package is not listed).
needs() {
	local cmd pkg
	for cmd in "$@"; do
		case $cmd in
		nginx) pkg=nginx-light ;;
		cgi-fcgi) pkg=libfcgi-bin ;;
		*) pkg=$cmd ;;
		esac
		need "$cmd" "$pkg"
	done
}

it_cleanup() {
	local i pid
	# TERM them all first (newest first) so they stop in parallel, then
	# wait for each (KILL after 3 s).
	for ((i = ${#IT_PIDS[@]} - 1; i >= 0; i--)); do
		kill -TERM "${IT_PIDS[i]}" 2> /dev/null
	done
	for pid in "${IT_PIDS[@]}"; do
		it_stop "$pid"
	done
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$IT_FAILS" -gt 0 ] && [ -n "${IT_KEEP:-}" ]; then
			echo "# kept $T"
		else
			rm -rf "$T"
		fi
	fi
}

# it_init NAME: temp dir, traps; the program must be built.
it_init() {
	IT_NAME=$1
	[ -x "$BIN" ] || bail "$BIN not built"
	T=$(mktemp -d "/tmp/$IT_NAME.XXXXXX") || bail "mktemp failed"
	chmod 755 "$T"	# a web server's workers may need to reach files in it
	trap it_cleanup EXIT
	trap 'exit 1' INT TERM
}

# it_spawn NAME CMD...: run in the background (output to $T/NAME.log), stopped on exit.
it_spawn() {
	local name=$1
	shift
	"$@" > "$T/$name.log" 2>&1 &
	IT_PIDS+=("$!")
	IT_LAST_PID=$!
}

# it_stop PID: stop one process started by it_spawn (TERM, then KILL after 3 s).
it_stop() {
	local pid=$1 i
	kill -TERM "$pid" 2> /dev/null
	for ((i = 0; i < 30; i++)); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	return 0
}

# free_port, wait_port PORT [SECONDS], wait_sock PATH [SECONDS]: from
# scripts/lib/proc.sh (sourced above), the same helpers scripts/demo uses.

# write_conf FILE [key = value lines on stdin appended]: a test configuration.
write_conf() {
	local f=$1
	{
		echo "database = $T/db.sqlite"
		echo "templates_dir = $top_srcdir/www/templates"
		echo "locale_dir = $top_builddir/po/locale"
		echo "static_dir = $top_srcdir/www/static"
		echo "secret_file = $T/secret"
		cat
	} > "$f"
}

# web_conf FILE BASE [key = value]...: write_conf for the program behind a
# web server that authenticates (auth = remote_user) at base_url BASE, with
# Fiona FM as the organizer of meeting invites, and the lines given.
web_conf() {
	local f=$1 base=$2
	shift 2
	printf '%s\n' "auth = remote_user" "base_url = $base" "organizer_name = Fiona FM" \
	    "organizer_email = fiona@example.com" "$@" | write_conf "$f"
}

# ---- HTTP ----
# req METHOD URL [curl args...]: one request; sets STATUS and keeps the
# headers in $T/resp.h and the body in $T/resp.b (copies under $T/all/).
# Every answer from the application is checked for the security headers
# unless IT_NO_SECHDR is set (a file nginx serves itself).
IT_REQ=0
req() {
	local method=$1 url=$2
	shift 2
	IT_REQ=$((IT_REQ + 1))
	mkdir -p "$T/all"
	STATUS=$(curl -sS -g -o "$T/resp.b" -D "$T/resp.h" -w '%{http_code}' \
	    -X "$method" "${IT_CURL_OPTS[@]}" "$@" "$url" 2> "$T/resp.err")
	[ -n "$STATUS" ] || STATUS=000
	tr -d '\r' < "$T/resp.h" > "$T/resp.h2" && mv "$T/resp.h2" "$T/resp.h"
	cp "$T/resp.h" "$T/all/$IT_REQ.h"
	cp "$T/resp.b" "$T/all/$IT_REQ.b"
	echo "$method $url -> $STATUS" >> "$T/all/index"
	[ -n "${IT_NO_SECHDR:-}" ] || sechdr_check "$method $url"
	return 0
}

# jreq METHOD URL JSON [curl args]: a JSON request (API content type).
jreq() {
	local method=$1 url=$2 body=$3
	shift 3
	req "$method" "$url" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}

# hdr NAME: value of a response header of the last request (first one).
hdr() {
	grep -i "^$1:" "$T/resp.h" | head -1 | sed 's/^[^:]*:[[:space:]]*//'
}

# body: the last response body.
body() { cat "$T/resp.b"; }

# jget FILTER: jq over the last body (empty when not JSON).
jget() { jq -r "$1" < "$T/resp.b" 2> /dev/null; }

# Failures of the security-header check are counted once per request but
# reported in a summary check (sechdr_report) so the output stays readable.
IT_SECHDR_BAD=0
IT_SECHDR_SEEN=0
sechdr_check() {
	local what=$1 missing=
	IT_SECHDR_SEEN=$((IT_SECHDR_SEEN + 1))
	grep -qi "^Content-Security-Policy:.*frame-ancestors 'none'" "$T/resp.h" || missing="$missing CSP"
	grep -qi '^X-Content-Type-Options: nosniff' "$T/resp.h" || missing="$missing X-Content-Type-Options"
	grep -qi '^Referrer-Policy: ' "$T/resp.h" || missing="$missing Referrer-Policy"
	# Static files may be cached; everything else must not be.
	if ! grep -qi '^Cache-Control: .*no-store' "$T/resp.h" &&
	    ! { [ "$STATUS" = 200 ] && [[ $what == *"/static/"* ]]; }; then
		missing="$missing Cache-Control:no-store"
	fi
	if [ -n "$missing" ]; then
		IT_SECHDR_BAD=$((IT_SECHDR_BAD + 1))
		echo "# security headers missing ($missing) on: $what -> $STATUS"
	fi
}
sechdr_report() {
	if [ "$IT_SECHDR_BAD" -eq 0 ] && [ "$IT_SECHDR_SEEN" -gt 0 ]; then
		pass "security headers (CSP frame-ancestors 'none', nosniff, Referrer-Policy, no-store) on all $IT_SECHDR_SEEN responses"
	else
		fail "security headers missing on $IT_SECHDR_BAD of $IT_SECHDR_SEEN responses"
	fi
}

# expect_status WANT NAME: the last request answered WANT (body shown if not).
expect_status() {
	if [ "$STATUS" = "$1" ]; then
		pass "$2 ($1)"
		return 0
	fi
	fail "$2 (got $STATUS, want $1)"
	note "$(head -c 600 "$T/resp.b")"
	return 1
}

# expect_body NAME FIXED-STRING: the last body contains the string.
expect_body() {
	if grep -qF -- "$2" "$T/resp.b"; then
		pass "$1"
	else
		fail "$1 (no '$2' in the body)"
		note "$(head -c 600 "$T/resp.b")"
	fi
}

# expect_no_body NAME FIXED-STRING
expect_no_body() {
	if grep -qF -- "$2" "$T/resp.b"; then
		fail "$1 ('$2' is in the body)"
	else
		pass "$1"
	fi
}

# expect_json NAME FILTER WANT: jq FILTER over the last body gives WANT.
expect_json() {
	local got
	got=$(jget "$2")
	if [ "$got" = "$3" ]; then
		pass "$1"
	else
		fail "$1 ($2 is '$got', want '$3')"
		note "$(head -c 600 "$T/resp.b")"
	fi
}

# expect_hdr NAME HEADER REGEX
expect_hdr() {
	local v
	v=$(hdr "$2")
	if [[ $v =~ $3 ]]; then
		pass "$1"
	else
		fail "$1 ($2: '$v' does not match $3)"
	fi
}

it_done() {
	local i pid
	# Stop everything first, so that sanitizer reports written at exit
	# (LeakSanitizer) are in the logs, then look for any.
	for ((i = ${#IT_PIDS[@]} - 1; i >= 0; i--)); do
		it_stop "${IT_PIDS[i]}"
	done
	if grep -lE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$T"/*.log > /dev/null 2>&1; then
		fail "sanitizer reports in the server logs"
		grep -hE -A12 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$T"/*.log | head -60 | sed 's/^/    /'
	else
		pass "no sanitizer report in the server logs"
	fi
	echo "# $IT_NAME: $((IT_CHECKS - IT_FAILS)) of $IT_CHECKS checks passed"
	[ "$IT_FAILS" -eq 0 ] && exit 0
	exit 1
}

# ---- the stack: ftsuccess.fcgi on a unix socket, nginx in front ----

# fcgi_start CONF SOCK [NAME]: the program pre-forking 2 workers on a unix
# socket; sets FCGI_PID.  Mode 0660 is enough: the test's nginx runs as
# the same user (root: `user root;`, else nginx cannot switch users).
fcgi_start() {
	local conf=$1 sock=$2 name=${3:-fcgi}
	it_spawn "$name" "$BIN" --config "$conf" --listen "unix:$sock" --workers 2
	FCGI_PID=$IT_LAST_PID
	wait_sock "$sock" 10 || { cat "$T/$name.log"; bail "$name did not create $sock"; }
}

# nginx_server PORT SOCK AUTH: add a server block to the test's nginx:
# AUTH "basic" (htpasswd $T/htpasswd, REMOTE_USER from $remote_user) or
# "none" (no REMOTE_USER at all).  Static files come from nginx itself.
nginx_server() {
	local port=$1 sock=$2 auth=$3
	mkdir -p "$T/ngx"
	{
		echo "server {"
		echo "  listen 127.0.0.1:$port;"
		echo "  server_name localhost;"
		if [ "$auth" = basic ]; then
			echo "  auth_basic \"ftsuccess\";"
			echo "  auth_basic_user_file $T/htpasswd;"
		fi
		cat <<NGX
  location /static/ {
    alias $top_srcdir/www/static/;
    add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'; base-uri 'none'" always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy same-origin always;
    add_header Cache-Control "public, max-age=3600";
  }
  location / {
    fastcgi_param QUERY_STRING \$query_string;
    fastcgi_param REQUEST_METHOD \$request_method;
    fastcgi_param CONTENT_TYPE \$content_type;
    fastcgi_param CONTENT_LENGTH \$content_length;
    fastcgi_param SCRIPT_NAME "";
    fastcgi_param PATH_INFO \$uri;
    fastcgi_param REQUEST_URI \$request_uri;
    fastcgi_param SERVER_PROTOCOL \$server_protocol;
    fastcgi_param REQUEST_SCHEME \$scheme;
    fastcgi_param HTTPS \$https if_not_empty;
    fastcgi_param GATEWAY_INTERFACE CGI/1.1;
    fastcgi_param SERVER_SOFTWARE nginx;
    fastcgi_param REMOTE_ADDR \$remote_addr;
    fastcgi_param SERVER_NAME \$server_name;
    fastcgi_param SERVER_PORT \$server_port;
NGX
		[ "$auth" = basic ] && echo "    fastcgi_param REMOTE_USER \$remote_user;"
		echo "    fastcgi_pass unix:$sock;"
		echo "  }"
		echo "}"
	} >> "$T/nginx-servers.conf"
}

# nginx_start PORT...: nginx in the foreground (stopped on exit) with the
# servers added so far; waits for every PORT.  Sets NGINX_PID.
nginx_start() {
	local p
	need nginx nginx-light
	mkdir -p "$T/ngx"
	{
		# Root's nginx workers would run as nobody and could not open the socket.
		[ "$(id -u)" = 0 ] && echo "user root;"
		cat <<NGX
worker_processes 1;
daemon off;
master_process on;
pid $T/nginx.pid;
error_log $T/nginx-error.log info;
events { worker_connections 128; }
http {
  access_log $T/nginx-access.log;
  client_body_temp_path $T/ngx/body;
  fastcgi_temp_path $T/ngx/fastcgi;
  proxy_temp_path $T/ngx/proxy;
  uwsgi_temp_path $T/ngx/uwsgi;
  scgi_temp_path $T/ngx/scgi;
  types { text/css css; image/svg+xml svg; text/javascript js; }
  default_type application/octet-stream;
  client_max_body_size ${NGINX_MAX_BODY:-1m};
  server_tokens off;
NGX
		cat "$T/nginx-servers.conf"
		echo "}"
	} > "$T/nginx.conf"
	nginx -t -c "$T/nginx.conf" -p "$T" -e "$T/nginx-error.log" > "$T/nginx-t.log" 2>&1 ||
	    { cat "$T/nginx-t.log"; bail "nginx -t refused the generated configuration"; }
	it_spawn nginx nginx -c "$T/nginx.conf" -p "$T" -e "$T/nginx-error.log"
	NGINX_PID=$IT_LAST_PID
	for p in "$@"; do
		wait_port "$p" 10 || { cat "$T/nginx.log" "$T/nginx-error.log"; bail "nginx is not listening on $p"; }
	done
}

# it_user LOGIN [ROLE [DATABASE]]: an active ftsuccess user (fm unless ROLE)
# in the test's database (write_conf's $T/db.sqlite unless DATABASE), added
# as an operator does: with auth = remote_user only users may sign in.
it_user() {
	local admin="$top_builddir/admin/ftsuccess-admin"
	[ -x "$admin" ] || bail "$admin not built"
	printf 'database = %s\n' "${3:-$T/db.sqlite}" > "$T/it_user.conf"
	"$admin" --config "$T/it_user.conf" user add "$1" --role "${2:-fm}" > "$T/it_user.out" 2>&1 ||
	    { cat "$T/it_user.out"; bail "cannot add user $1"; }
}

# htpasswd_add USER PASSWORD: an apr1 (Apache MD5) entry, as htpasswd writes,
# for an ftsuccess user of that login (it_user).
htpasswd_add() {
	need openssl openssl
	printf '%s:%s\n' "$1" "$(openssl passwd -apr1 "$2")" >> "$T/htpasswd"
	it_user "$1"
}

# csrf_scrape URL: the CSRF token embedded in an HTML page (no cookie needed).
csrf_scrape() {
	curl -sS "${IT_CURL_OPTS[@]}" "$1" | grep -o 'name="csrf" value="[0-9]*-[0-9a-f]*"' | head -1 |
	    sed 's/.*value="//; s/"$//'
}

# apache_start CONFFILE PORT: Apache in the foreground with a generated
# configuration (which must Include $T/apache-common.conf), stopped on exit.
# Sets APACHE_PID.
apache_common() {
	local mods=/usr/lib/apache2/modules m
	mkdir -p "$T/apache"
	{
		for m in mpm_event authz_core authn_core authn_file auth_basic authz_user \
		    proxy proxy_fcgi mime alias dir headers "$@"; do
			echo "LoadModule ${m}_module $mods/mod_$m.so"
		done
		# Root's children switch to www-data (Apache refuses to serve as root).
		if [ "$(id -u)" = 0 ]; then
			echo "User www-data"
			echo "Group www-data"
		fi
		cat <<APACHE
ServerRoot $T/apache
ServerName 127.0.0.1
PidFile $T/apache/httpd.pid
DefaultRuntimeDir $T/apache
Mutex file:$T/apache default
ErrorLog $T/apache-error.log
LogLevel warn
LogFormat "%h %u \"%r\" %>s %b" common
CustomLog $T/apache-access.log common
TypesConfig /etc/mime.types
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
APACHE
	} > "$T/apache-common.conf"
}

apache_start() {
	local conf=$1 port=$2
	need apache2 apache2
	apache2 -t -f "$conf" > "$T/apache-t.log" 2>&1 ||
	    { cat "$T/apache-t.log"; bail "apache2 -t refused $conf"; }
	it_spawn apache apache2 -f "$conf" -DFOREGROUND
	APACHE_PID=$IT_LAST_PID
	wait_port "$port" 10 || { cat "$T/apache.log" "$T/apache-error.log"; bail "apache2 is not listening on $port"; }
}

# tls_cert NAME: a self-signed certificate for NAME in $T/tls/NAME.{pem,key}.
tls_cert() {
	need openssl openssl
	mkdir -p "$T/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
	    -addext "subjectAltName=DNS:$1" -keyout "$T/tls/$1.key" -out "$T/tls/$1.pem" \
	    > "$T/tls/openssl.log" 2>&1 || { cat "$T/tls/openssl.log"; bail "openssl req failed"; }
}

# nginx_sample HTTPS_PORT HTTP_PORT SOCK: add www/nginx/ftsuccess.conf, the
# production sample, to the test's nginx with only its site-specific paths
# and ports replaced (loopback, a self-signed certificate, the source tree's
# static files, $T/htpasswd).  Clients use
#   --resolve ftsuccess.example.com:PORT:127.0.0.1 --cacert $T/tls/ftsuccess.example.com.pem
nginx_sample() {
	local https=$1 http=$2 sock=$3 name=ftsuccess.example.com
	[ -f "$T/tls/$name.pem" ] || tls_cert "$name"
	sed -e '/^[[:space:]]*#/d' \
	    -e "s|listen 80;|listen 127.0.0.1:$http;|" \
	    -e "s|listen 443 ssl|listen 127.0.0.1:$https ssl|" \
	    -e "/listen \\[::\\]/d" \
	    -e "s|/etc/ssl/certs/$name.pem|$T/tls/$name.pem|" \
	    -e "s|/etc/ssl/private/$name.key|$T/tls/$name.key|" \
	    -e "s|shared:ftsuccess:|shared:ftsuccess$https:|" \
	    -e "s|/etc/nginx/ftsuccess.htpasswd|$T/htpasswd|" \
	    -e "s|unix:/run/ftsuccess/fcgi.sock|unix:$sock|" \
	    -e "s|@PKGDATADIR@/static/|$top_srcdir/www/static/|" \
	    -e "s|upstream ftsuccess_fcgi|upstream ftsuccess_fcgi_$https|" \
	    -e "s|fastcgi_pass ftsuccess_fcgi;|fastcgi_pass ftsuccess_fcgi_$https;|" \
	    "$top_srcdir/www/nginx/ftsuccess.conf" >> "$T/nginx-servers.conf"
	if grep -q '@[A-Z]*@\|/run/ftsuccess\|/etc/' "$T/nginx-servers.conf"; then
		grep -n '@[A-Z]*@\|/run/ftsuccess\|/etc/' "$T/nginx-servers.conf"
		bail "www/nginx/ftsuccess.conf has a path the test does not replace"
	fi
}

# apache_sample FILE HTTPS_PORT HTTP_PORT SOCK CONF: www/apache/FILE, a
# production sample, with its site-specific paths and ports replaced, to
# $T/FILE (Include it after apache_common).
apache_sample() {
	local file=$1 https=$2 http=$3 sock=$4 conf=$5 name=ftsuccess.example.com
	[ -f "$T/tls/$name.pem" ] || tls_cert "$name"
	sed -e '/^[[:space:]]*#/d' \
	    -e "s|<VirtualHost \*:80>|<VirtualHost 127.0.0.1:$http>|" \
	    -e "s|<VirtualHost \*:443>|<VirtualHost 127.0.0.1:$https>|" \
	    -e "s|/etc/ssl/certs/$name.pem|$T/tls/$name.pem|" \
	    -e "s|/etc/ssl/private/$name.key|$T/tls/$name.key|" \
	    -e "s|/etc/apache2/ftsuccess.htpasswd|$T/htpasswd|" \
	    -e "s|unix:/run/ftsuccess/fcgi.sock|unix:$sock|" \
	    -e "s|@PKGDATADIR@/static|$top_srcdir/www/static|g" \
	    -e "s|@SYSCONFDIR@/ftsuccess.conf|$conf|" \
	    -e "s|@SBINDIR@/ftsuccess.fcgi|$BIN|" \
	    "$top_srcdir/www/apache/$file" > "$T/$file"
	if grep -q '@[A-Z]*@\|/run/ftsuccess\|/etc/' "$T/$file"; then
		grep -n '@[A-Z]*@\|/run/ftsuccess\|/etc/' "$T/$file"
		bail "www/apache/$file has a path the test does not replace"
	fi
}
