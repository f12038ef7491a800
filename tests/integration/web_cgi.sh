#!/bin/bash
# web_cgi.sh -- ftsuccess.fcgi the way any CGI server runs it (environment
# + stdin, one request per process), then as a FastCGI application started
# by spawn-fcgi (listening socket on stdin), by systemd-socket-activate
# (LISTEN_FDS) when present, spoken to with cgi-fcgi (Debian libfcgi-bin).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init web_cgi
need jq jq

# Mounted at /ftsuccess: base_url names the mount point the program strips.
web_conf "$T/app.conf" http://127.0.0.1:8080/ftsuccess "max_body = 2k"
it_user alice

# split_response: $T/resp.raw (a CGI response) -> $T/resp.h, $T/resp.b, STATUS.
split_response() {
	local what=$1
	# Headers end at the first empty line (CRLF or LF).
	awk 'BEGIN { h = 1 } h && /^\r?$/ { h = 0; next } h { sub(/\r$/, ""); print > "/dev/stderr"; next } { print }' \
	    "$T/resp.raw" > "$T/resp.b" 2> "$T/resp.h"
	STATUS=$(sed -n 's/^Status: \([0-9][0-9][0-9]\).*/\1/p' "$T/resp.h" | head -1)
	# A CGI response without Status: means 200 (RFC 3875 section 6.3.3).
	[ -n "$STATUS" ] || STATUS=200
	[ -s "$T/resp.raw" ] || STATUS=000
	sechdr_check "$what"
}

# cgi METHOD PATH [VAR=value...] < body: one request as plain CGI.
cgi() {
	local method=$1 path=$2
	shift 2
	env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
	    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD="$method" \
	    SCRIPT_NAME=/ftsuccess PATH_INFO="$path" QUERY_STRING= SERVER_NAME=127.0.0.1 \
	    SERVER_PORT=8080 REMOTE_ADDR=127.0.0.1 REMOTE_USER=alice \
	    "$@" "$BIN" --config "$T/app.conf" > "$T/resp.raw" 2> "$T/cgi.err"
	CGI_RC=$?
	split_response "CGI $method $path"
}

# ---- plain CGI ----
cgi GET /healthz < /dev/null
expect_status 200 "CGI GET /healthz"
expect_body "healthz ok" "ok"
eq "CGI exits 0" "$CGI_RC" 0

printf '%s' '{"name":"CGI Ltd","tenant_domain":"cgi.example","timezone":"Pacific/Auckland"}' > "$T/body"
cgi POST /api/customers CONTENT_TYPE=application/json CONTENT_LENGTH=$(wc -c < "$T/body") \
    HTTP_REMOTE_USER=mallory < "$T/body"
expect_status 201 "CGI POST /api/customers"
expect_hdr "Location keeps the mount point (SCRIPT_NAME)" Location '^/ftsuccess/api/customers/1$'
expect_json "owner from REMOTE_USER, not HTTP_REMOTE_USER" '.owner_fm' alice

cgi GET /api/customers/1 < /dev/null
expect_status 200 "CGI GET /api/customers/1 (a new process sees the row)"
expect_json "the row" '.name' "CGI Ltd"

cgi GET /api/customers/2 < /dev/null
expect_status 404 "CGI unknown id"
cgi GET /nothing/here HTTP_ACCEPT=text/html < /dev/null
expect_status 404 "CGI unknown path"
expect_hdr "404 page is HTML" Content-Type '^text/html'

cgi GET /api/customers < /dev/null REMOTE_USER=
expect_status 401 "CGI without REMOTE_USER"

# 413: the declared length alone is refused, stdin is not read
big=$(head -c 3000 /dev/zero | tr '\0' 'x')
printf '{"name":"%s","tenant_domain":"big.example","timezone":"UTC"}' "$big" > "$T/big.json"
cgi POST /api/customers CONTENT_TYPE=application/json CONTENT_LENGTH=$(wc -c < "$T/big.json") < "$T/big.json"
expect_status 413 "CGI body over max_body"
cgi GET /api/customers < /dev/null
expect_json "the 413 wrote nothing" '.total' 1

# a body shorter than its CONTENT_LENGTH (client went away)
printf '{"name":"x"' > "$T/body"
cgi POST /api/customers CONTENT_TYPE=application/json CONTENT_LENGTH=500 < "$T/body"
expect_status 400 "CGI body shorter than CONTENT_LENGTH"

# ---- FastCGI under spawn-fcgi, asked with cgi-fcgi ----
if command -v spawn-fcgi > /dev/null && command -v cgi-fcgi > /dev/null; then
	# fcgi REQUEST-ENV... < body: one request through cgi-fcgi to $FCGI_ADDR.
	fcgi() {
		local method=$1 path=$2
		shift 2
		env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
		    REQUEST_METHOD="$method" SCRIPT_NAME=/ftsuccess PATH_INFO="$path" QUERY_STRING= \
		    SERVER_NAME=127.0.0.1 SERVER_PORT=8080 REMOTE_ADDR=127.0.0.1 REMOTE_USER=alice \
		    "$@" cgi-fcgi -bind -connect "$FCGI_ADDR" > "$T/resp.raw" 2> "$T/cgi-fcgi.err"
		split_response "FastCGI($FCGI_ADDR) $method $path"
	}

	# -n: spawn-fcgi execs the program in the foreground with the socket as fd 0.
	it_spawn spawn-fcgi spawn-fcgi -n -s "$T/sf.sock" -M 0600 -- "$BIN" --config "$T/app.conf"
	SF_PID=$IT_LAST_PID
	wait_sock "$T/sf.sock" 10 || { cat "$T/spawn-fcgi.log"; bail "spawn-fcgi made no socket"; }
	FCGI_ADDR=$T/sf.sock
	fcgi GET /healthz < /dev/null
	expect_status 200 "spawn-fcgi (unix): GET /healthz"
	printf '%s' '{"name":"Spawned","tenant_domain":"spawned.example","timezone":"UTC"}' > "$T/body"
	fcgi POST /api/customers CONTENT_TYPE=application/json CONTENT_LENGTH=$(wc -c < "$T/body") < "$T/body"
	expect_status 201 "spawn-fcgi (unix): POST /api/customers"
	expect_json "spawn-fcgi: created" '.name' Spawned
	expect_hdr "spawn-fcgi: Location" Location '^/ftsuccess/api/customers/2$'
	fcgi GET /api/customers < /dev/null
	expect_json "spawn-fcgi: the same database as CGI" '.total' 2
	kill -0 "$SF_PID" 2> /dev/null && pass "spawn-fcgi: one process serves request after request" ||
	    fail "spawn-fcgi: the program exited"
	it_stop "$SF_PID"

	PORT=$(free_port) || bail "no free port"
	it_spawn spawn-fcgi-tcp spawn-fcgi -n -a 127.0.0.1 -p "$PORT" -- "$BIN" --config "$T/app.conf"
	wait_port "$PORT" 10 || { cat "$T/spawn-fcgi-tcp.log"; bail "spawn-fcgi is not listening on $PORT"; }
	FCGI_ADDR=127.0.0.1:$PORT
	fcgi GET /api/customers/2 < /dev/null
	expect_status 200 "spawn-fcgi (TCP): GET /api/customers/2"
else
	echo "# spawn-fcgi or cgi-fcgi missing (Debian spawn-fcgi, libfcgi-bin): FastCGI part skipped"
	fail "spawn-fcgi and cgi-fcgi are needed"
fi

# ---- systemd socket activation (LISTEN_FDS): the ExecStart= of
# www/systemd/ftsuccess-fcgi.service on a socket as its .socket unit makes ----
if command -v systemd-socket-activate > /dev/null && command -v cgi-fcgi > /dev/null; then
	cp "$T/app.conf" "$T/ftsuccess.conf"
	exec_start=$(sed -n 's/^ExecStart=//p' "$top_srcdir/www/systemd/ftsuccess-fcgi.service" |
	    sed -e "s|@SBINDIR@/ftsuccess.fcgi|$BIN|" -e "s|@SYSCONFDIR@|$T|g")
	case $exec_start in
	"$BIN "*) pass "unit's ExecStart= runs ftsuccess.fcgi: ${exec_start#"$BIN "}" ;;
	*) fail "unexpected ExecStart= in ftsuccess-fcgi.service: $exec_start" ;;
	esac
	# shellcheck disable=SC2086 # the unit's arguments, split as systemd does
	it_spawn socket-activate systemd-socket-activate -l "$T/sd.sock" $exec_start
	SA_PID=$IT_LAST_PID
	wait_sock "$T/sd.sock" 10 || { cat "$T/socket-activate.log"; bail "systemd-socket-activate made no socket"; }
	FCGI_ADDR=$T/sd.sock
	fcgi GET /api/customers/1 < /dev/null
	expect_status 200 "socket activation: GET /api/customers/1"
	ok=0
	for i in 1 2 3 4 5 6; do
		fcgi GET /api/customers/1 < /dev/null
		[ "$STATUS" = 200 ] && ok=$((ok + 1))
	done
	eq "socket activation: six more requests" "$ok" 6
	nw=$(pgrep -P "$SA_PID" | wc -l)
	want=$(printf '%s\n' "$exec_start" | sed -n 's/.*--workers \([0-9]*\).*/\1/p')
	eq "socket activation: the unit's --workers pre-forked" "$nw" "${want:-1}"
	kill -TERM "$SA_PID"
	for i in $(seq 1 50); do kill -0 "$SA_PID" 2> /dev/null || break; sleep 0.1; done
	kill -0 "$SA_PID" 2> /dev/null && fail "socket activation: SIGTERM did not stop it" ||
	    pass "socket activation: SIGTERM stops the supervisor and its workers"
else
	echo "# systemd-socket-activate missing: socket activation not tried"
fi

# ---- the systemd units of www/systemd, with this build's programs ----
if command -v systemd-analyze > /dev/null; then
	mkdir -p "$T/units"
	for u in ftsuccess-fcgi.socket ftsuccess-fcgi.service ftsuccess-notifier.service; do
		sed -e "s|@SBINDIR@/ftsuccess.fcgi|$BIN|" \
		    -e "s|@SBINDIR@/ftsuccess-notifier|$top_builddir/notifier/ftsuccess-notifier|" \
		    -e "s|@SYSCONFDIR@|$T|g" "$top_srcdir/www/systemd/$u" > "$T/units/$u"
	done
	# verify exits 0 even for unknown keys: its output is the verdict.
	(cd "$T/units" && systemd-analyze verify --man=no ./ftsuccess-fcgi.socket \
	    ./ftsuccess-fcgi.service ./ftsuccess-notifier.service) > "$T/verify.log" 2>&1
	if [ -s "$T/verify.log" ]; then
		fail "systemd-analyze verify www/systemd/*"
		note "$(cat "$T/verify.log")"
	else
		pass "systemd-analyze verify www/systemd/* (no complaint)"
	fi
	grep -q '^ListenStream=/run/ftsuccess/fcgi.sock$' "$top_srcdir/www/systemd/ftsuccess-fcgi.socket" &&
	    grep -q 'unix:/run/ftsuccess/fcgi.sock' "$top_srcdir/www/nginx/ftsuccess.conf" &&
	    grep -q 'unix:/run/ftsuccess/fcgi.sock' "$top_srcdir/www/apache/ftsuccess.conf" &&
	    pass "socket unit, nginx and Apache samples name the same socket" ||
	    fail "socket path differs between www/systemd and the web server samples"
else
	echo "# systemd-analyze missing: units not verified"
fi

sechdr_report
it_done
