#!/bin/sh
# cgi_smoke.sh -- ftsuccess.fcgi end to end without a web server: as plain CGI
# (environment + stdin), and as a pre-forked FastCGI server on loopback TCP
# and on a unix socket, spoken to with cgi-fcgi (Debian package libfcgi-bin).
# A worker killed with SIGKILL must be replaced; SIGTERM must stop them all.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
BIN="$top_builddir/cgi/ftsuccess.fcgi"
[ -x "$BIN" ] || { echo "cgi_smoke: $BIN not built"; exit 99; }
# The in-flight request is driven by Python: without it the test skips.
[ -x /usr/bin/python3 ] || { echo "SKIP: cgi_smoke: /usr/bin/python3 not installed (Debian package python3)"; exit 77; }

T=$(mktemp -d /tmp/cgi_smoke.XXXXXX) || exit 99
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

failures=0
pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; failures=$((failures + 1)); }
# expect NAME FILE PATTERN: the file contains the fixed string
expect() {
	if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1 (no '$3' in:)"; sed 's/^/    /' "$2" | head -20; fi
}

cat > "$T/demo.conf" <<CONF
database = $T/db.sqlite
auth = none
templates_dir = $top_srcdir/www/templates
static_dir = $top_srcdir/www/static
secret_file = $T/secret
CONF
sed 's/^auth = none$/auth = remote_user/' "$T/demo.conf" > "$T/auth.conf"

# ---- options ----
"$BIN" --help > "$T/out" 2>&1; rc=$?
[ $rc -eq 0 ] && pass "--help exits 0" || fail "--help exits $rc"
expect "--help lists --listen" "$T/out" "--listen"
"$BIN" --version > "$T/out" 2>&1
expect "--version" "$T/out" "ftsuccess"
"$BIN" --no-such-option > "$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] && pass "unknown option exits 2" || fail "unknown option exits $rc"
expect "unknown option named" "$T/out" "unknown option '--no-such-option'"
"$BIN" --workers 0 > "$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] && pass "--workers 0 exits 2" || fail "--workers 0 exits $rc"
"$BIN" --config "$T/missing.conf" < /dev/null > "$T/out" 2>&1; rc=$?
[ $rc -ne 0 ] && pass "missing config file refused" || fail "missing config file accepted"

# ---- plain CGI ----
cgi() {	# cgi CONF METHOD PATH [extra env...]; body on stdin
	conf=$1 method=$2 path=$3
	shift 3
	env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD="$method" \
	    SCRIPT_NAME= PATH_INFO="$path" SERVER_NAME=127.0.0.1 SERVER_PORT=8080 \
	    REMOTE_ADDR=127.0.0.1 "$@" "$BIN" --config "$conf"
}
cgi "$T/demo.conf" GET /healthz < /dev/null > "$T/out" 2>"$T/err"
expect "CGI /healthz 200" "$T/out" "Status: 200 OK"
expect "CGI /healthz body" "$T/out" "ok"
expect "CGI security headers" "$T/out" "X-Content-Type-Options: nosniff"
[ -f "$T/secret" ] && [ "$(stat -c %a "$T/secret")" = 600 ] && pass "secret created 0600" || fail "secret file"
cgi "$T/demo.conf" GET /no/such/page HTTP_ACCEPT=text/html < /dev/null > "$T/out" 2>"$T/err"
expect "CGI unknown path 404" "$T/out" "Status: 404 Not Found"
expect "CGI 404 is HTML" "$T/out" "<h1>Not Found</h1>"
expect "CGI 404 has CSP" "$T/out" "Content-Security-Policy: default-src 'self'"
cgi "$T/demo.conf" GET /api/nothing < /dev/null > "$T/out" 2>"$T/err"
expect "CGI API 404 is JSON" "$T/out" '{"error":'
cgi "$T/demo.conf" DELETE /healthz < /dev/null > "$T/out" 2>"$T/err"
expect "CGI wrong method 405" "$T/out" "Status: 405"
expect "CGI 405 Allow" "$T/out" "Allow: GET, HEAD"
cgi "$T/demo.conf" HEAD /healthz < /dev/null > "$T/out" 2>"$T/err"
if grep -q '^ok' "$T/out"; then fail "HEAD has no body"; else pass "HEAD has no body"; fi
# as plain CGI the process cannot see its socket, so demo mode checks the client
cgi "$T/demo.conf" GET /healthz REMOTE_ADDR=192.0.2.1 < /dev/null > "$T/out" 2>"$T/err"
expect "CGI demo mode refuses a remote client" "$T/out" "Status: 403"
printf 'a=1' | cgi "$T/demo.conf" POST /x CONTENT_LENGTH=99999999 CONTENT_TYPE=application/x-www-form-urlencoded > "$T/out" 2>"$T/err"
expect "CGI unknown POST path 404" "$T/out" "Status: 404"
cgi "$T/auth.conf" GET /healthz < /dev/null > "$T/out" 2>"$T/err"
expect "CGI healthz needs no user" "$T/out" "Status: 200"
sed "s|^secret_file = .*|secret_file = $T/no/such/dir/secret|" "$T/demo.conf" > "$T/broken.conf"
cgi "$T/broken.conf" GET /healthz < /dev/null > "$T/out" 2>"$T/err"
expect "CGI that cannot start answers 500" "$T/out" "Status: 500"
expect "CGI start failure logged" "$T/err" "no/such/dir/secret"

# ---- FastCGI over TCP with two workers ----
command -v cgi-fcgi > /dev/null 2>&1 || { echo "cgi_smoke: cgi-fcgi missing (libfcgi-bin); skipping the FastCGI part"; [ $failures -eq 0 ] && exit 77; exit 1; }

fcgi() {	# fcgi ADDRESS METHOD PATH
	env -i PATH="$PATH" REQUEST_METHOD="$2" SCRIPT_NAME="$3" SERVER_NAME=127.0.0.1 \
	    SERVER_PORT=8080 REMOTE_ADDR=127.0.0.1 cgi-fcgi -bind -connect "$1" < /dev/null
}
children_of() {
	parent=$1
	for s in /proc/[0-9]*/stat; do
		line=$(cat "$s" 2>/dev/null) || continue
		pid=${line%% *}
		rest=${line##*) }
		ppid=$(echo "$rest" | cut -d' ' -f2)
		[ "$ppid" = "$parent" ] && echo "$pid"
	done
}
wait_for() {	# wait_for SECONDS COMMAND...: until the command succeeds
	n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
count_is() { [ "$(children_of "$1" | wc -l)" -eq "$2" ]; }

# A port that may be taken: try a few, the server exits at once when bind fails.
for try in 1 2 3 4 5; do
	PORT=$((20000 + ($$ * 7 + try * 131) % 9000))
	"$BIN" --config "$T/demo.conf" --listen "127.0.0.1:$PORT" --workers 2 2> "$T/server.log" &
	SERVER_PID=$!
	sleep 0.3
	kill -0 "$SERVER_PID" 2>/dev/null && break
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
done
if [ -n "$SERVER_PID" ] && wait_for 10 count_is "$SERVER_PID" 2 &&
    wait_for 10 fcgi "127.0.0.1:$PORT" GET /healthz; then
	pass "server up with 2 workers on 127.0.0.1:$PORT"
else
	fail "server did not start"; cat "$T/server.log"
fi
fcgi "127.0.0.1:$PORT" GET /healthz > "$T/out" 2>&1
expect "FastCGI /healthz 200" "$T/out" "Status: 200 OK"
expect "FastCGI /healthz body" "$T/out" "ok"
fcgi "127.0.0.1:$PORT" GET /nowhere > "$T/out" 2>&1
expect "FastCGI 404" "$T/out" "Status: 404 Not Found"
expect "FastCGI 404 headers" "$T/out" "X-Frame-Options: DENY"

VICTIM=$(children_of "$SERVER_PID" | head -1)
kill -KILL "$VICTIM" 2>/dev/null
sleep 0.3
if wait_for 10 count_is "$SERVER_PID" 2 && ! children_of "$SERVER_PID" | grep -qx "$VICTIM"; then
	pass "killed worker $VICTIM replaced"
else
	fail "killed worker not replaced"; cat "$T/server.log"
fi
expect "supervisor logged the death" "$T/server.log" "worker died pid=$VICTIM signal=9"
fcgi "127.0.0.1:$PORT" GET /healthz > "$T/out" 2>&1
expect "FastCGI after restart" "$T/out" "Status: 200 OK"

# A request in flight when SIGTERM arrives is answered before the worker exits:
# a client sends half its FastCGI parameters, the server gets SIGTERM, then
# the client sends the rest and must still get its response.
WORKERS=$(children_of "$SERVER_PID")
/usr/bin/python3 - "$PORT" > "$T/inflight.out" 2>&1 <<'PY' &
import socket, struct, sys, time
def rec(t, body):
    return struct.pack(">BBHHBB", 1, t, 1, len(body), 0, 0) + body
def pair(k, v):
    return bytes([len(k), len(v)]) + k + v
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(rec(1, struct.pack(">HB5x", 1, 0)))
s.sendall(rec(4, pair(b"REQUEST_METHOD", b"GET")))
time.sleep(1.5)
s.sendall(rec(4, pair(b"SCRIPT_NAME", b"/healthz") + pair(b"REMOTE_ADDR", b"127.0.0.1")))
s.sendall(rec(4, b"") + rec(5, b""))
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
i = 0
while i + 8 <= len(out):
    _, t, _, n, pad, _ = struct.unpack(">BBHHBB", out[i:i + 8])
    if t == 6:
        sys.stdout.write(out[i + 8:i + 8 + n].decode("utf-8", "replace"))
    i += 8 + n + pad
PY
CLIENT=$!
sleep 0.5
kill -TERM "$SERVER_PID"
if wait_for 15 sh -c "! kill -0 $SERVER_PID"; then pass "SIGTERM stops the server"; else fail "server still running after SIGTERM"; fi
wait "$SERVER_PID" 2>/dev/null; rc=$?
SERVER_PID=
[ $rc -eq 0 ] && pass "server exit status 0" || fail "server exit status $rc"
wait "$CLIENT"
expect "request in flight at SIGTERM is answered" "$T/inflight.out" "Status: 200 OK"
alive=0
for w in $WORKERS; do kill -0 "$w" 2>/dev/null && alive=1; done
[ $alive -eq 0 ] && pass "workers gone" || fail "workers left running"

# ---- unix socket, mode 0660 ----
SOCK="$T/fts.sock"
"$BIN" --config "$T/demo.conf" --listen "unix:$SOCK" --workers 1 2> "$T/server2.log" &
SERVER_PID=$!
if wait_for 10 test -S "$SOCK" && wait_for 10 fcgi "$SOCK" GET /healthz; then pass "unix socket serves"; else fail "unix socket"; cat "$T/server2.log"; fi
[ "$(stat -c %a "$SOCK")" = 660 ] && pass "socket mode 0660" || fail "socket mode $(stat -c %a "$SOCK")"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
[ ! -e "$SOCK" ] && pass "socket removed on exit" || fail "socket left behind"

# ---- launchers that hand over the socket: spawn-fcgi (stdin), systemd (LISTEN_FDS) ----
launched() {	# launched NAME SOCKET COMMAND...: serves /healthz through the passed socket
	name=$1 sock=$2
	shift 2
	"$@" 2> "$T/launch.log" &
	SERVER_PID=$!
	if wait_for 10 test -S "$sock" && wait_for 10 fcgi "$sock" GET /healthz; then
		pass "$name: serves the socket it was given"
	else
		fail "$name"; cat "$T/launch.log"
	fi
	fcgi "$sock" GET /nowhere > "$T/out" 2>&1
	expect "$name: 404" "$T/out" "Status: 404"
	kill -TERM "$SERVER_PID"
	if wait_for 15 sh -c "! kill -0 $SERVER_PID"; then pass "$name: SIGTERM stops it"; else fail "$name: still running"; fi
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
if command -v spawn-fcgi > /dev/null 2>&1; then
	launched spawn-fcgi "$T/spawn.sock" spawn-fcgi -n -s "$T/spawn.sock" -M 0660 -- "$BIN" --config "$T/demo.conf"
else
	echo "# spawn-fcgi missing: launcher test skipped"
fi
if command -v systemd-socket-activate > /dev/null 2>&1; then
	launched systemd-socket-activate "$T/sd.sock" systemd-socket-activate -l "$T/sd.sock" "$BIN" --config "$T/demo.conf"
else
	echo "# systemd-socket-activate missing: launcher test skipped"
fi

# ---- demo mode refuses a non-loopback address ----
"$BIN" --config "$T/demo.conf" --listen "0.0.0.0:$PORT" > "$T/out" 2>&1 &
p=$!
if wait_for 10 sh -c "! kill -0 $p"; then
	wait $p; rc=$?
	[ $rc -ne 0 ] && pass "auth = none refused on 0.0.0.0" || fail "auth = none on 0.0.0.0 exit 0"
	expect "refusal says why" "$T/out" "auth = none"
else
	kill -TERM $p; wait $p; fail "auth = none served on 0.0.0.0"
fi

echo "cgi_smoke: $failures failure(s)"
[ $failures -eq 0 ]
