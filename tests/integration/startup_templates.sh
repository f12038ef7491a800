#!/bin/bash
# startup_templates.sh -- ftsuccess.fcgi checks templates_dir before it
# serves: a missing directory, a missing page template or one that does not
# compile stops the start with a message naming it (as the notifier does
# for its mail templates), as a FastCGI server and as plain CGI; a good
# directory starts.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init startup_templates

# start NAME TEMPLATES_DIR: run the server on a unix socket for at most 5 s;
# sets RC (124 = still running, i.e. it started) and leaves its output in $T/NAME.out
start() {
	write_conf "$T/$1.conf" <<< "" && sed -i "s|^templates_dir = .*|templates_dir = $2|" "$T/$1.conf"
	timeout 5 "$BIN" --config "$T/$1.conf" --listen "unix:$T/$1.sock" --workers 1 > "$T/$1.out" 2>&1
	RC=$?
}
has() { grep -qF -- "$2" "$T/$1.out"; }

start missing "$T/no-such-dir"
check "missing templates_dir: refuses to start" [ "$RC" = 1 ]
check "missing templates_dir: names the directory" has missing "$T/no-such-dir"
check "missing templates_dir: no socket left" [ ! -e "$T/missing.sock" ]

cp -r "$top_srcdir/www/templates" "$T/partial"
rm "$T/partial/outbox.mustache"
start partial "$T/partial"
check "a page template missing: refuses to start" [ "$RC" = 1 ]
check "a page template missing: names it" has partial "outbox.mustache"

cp -r "$top_srcdir/www/templates" "$T/broken"
printf '{{#customers}}unclosed\n' > "$T/broken/portfolio.mustache"
start broken "$T/broken"
check "a template that does not compile: refuses to start" [ "$RC" = 1 ]
check "a template that does not compile: names the file" has broken "portfolio"

start good "$top_srcdir/www/templates"
check "the shipped templates: starts and serves until stopped" [ "$RC" = 124 ]

# Plain CGI: the web server gets a 500 page, the log names the directory.
env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=/healthz \
    SERVER_NAME=127.0.0.1 SERVER_PORT=8080 REMOTE_ADDR=127.0.0.1 \
    "$BIN" --config "$T/missing.conf" < /dev/null > "$T/cgi.out" 2> "$T/cgi.err"
RC=$?
check "plain CGI: exits non-zero" [ "$RC" != 0 ]
check "plain CGI: answers 500" grep -q '^Status: 500' "$T/cgi.out"
check "plain CGI: the log names the directory" grep -qF "$T/no-such-dir" "$T/cgi.err"
cat "$T/missing.out" "$T/partial.out" "$T/broken.out" | sed 's/^/# /'

it_done
