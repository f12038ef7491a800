#!/bin/sh
# check.sh -- the manual pages render without warnings and say what the
# programs do: every option --help lists is in the page and the reverse, and
# the exit statuses the pages promise for usage and configuration errors.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
FCGI="$top_builddir/cgi/ftsuccess.fcgi"
NOTIFIER="$top_builddir/notifier/ftsuccess-notifier"
ADMIN="$top_builddir/admin/ftsuccess-admin"
MAN="$top_srcdir/man"

command -v man >/dev/null 2>&1 || { echo "man-check: no man(1) (Debian package man-db): skipped"; exit 77; }
[ -x "$FCGI" ] && [ -x "$NOTIFIER" ] && [ -x "$ADMIN" ] || { echo "man-check: programs not built"; exit 99; }

T=$(mktemp -d /tmp/man_check.XXXXXX) || exit 99
trap 'rm -rf "$T"' EXIT INT TERM

failures=0
n=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }

### Rendering: groff/mandoc warnings (bad macros, broken lines) are errors.
for page in ftsuccess.fcgi.8 ftsuccess-notifier.8 ftsuccess-admin.8 ftsuccess.conf.5; do
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN/$page" >"$T/out" 2>"$T/err"
	if [ -s "$T/err" ] || ! grep -q 'EXIT STATUS\|KEYS' "$T/out"; then
		fail "$page renders cleanly"
		sed 's/^/    /' "$T/err"
	else
		pass "$page renders cleanly"
	fi
done

### Options: --help and the page list the same long options.
# options_help PROGRAM: long options on --help's option lines, one a line
options_help() {
	"$1" --help | grep -E '^ +-' | grep -oE -- '--[a-z][a-z-]*' | sort -u
}
# options_man PAGE: long options the page documents with .Fl
options_man() {
	grep -oE -- 'Fl -[a-z][a-z-]*' "$1" | sed 's/^Fl /-/' | sort -u
}
for pair in "$FCGI:ftsuccess.fcgi.8" "$NOTIFIER:ftsuccess-notifier.8" "$ADMIN:ftsuccess-admin.8"; do
	prog=${pair%%:*}
	page=${pair#*:}
	options_help "$prog" >"$T/help"
	options_man "$MAN/$page" >"$T/man"
	if [ ! -s "$T/help" ]; then
		fail "$page: $(basename "$prog") --help lists options"
	elif cmp -s "$T/help" "$T/man"; then
		pass "$page: same options as --help ($(tr '\n' ' ' <"$T/help"))"
	else
		fail "$page: options differ from --help (< --help, > page)"
		diff "$T/help" "$T/man" | grep '^[<>]' | sed 's/^/    /'
	fi
done

### Exit statuses the pages promise.
# status NAME WANT COMMAND...: the command exits WANT
status() {
	name=$1 want=$2
	shift 2
	"$@" >"$T/stdout" 2>"$T/stderr" </dev/null
	got=$?
	if [ "$got" = "$want" ]; then
		pass "$name: exit $want"
	else
		fail "$name: exit $got, want $want"
		sed 's/^/    /' "$T/stderr" | head -5
	fi
}
printf 'database = %s/db.sqlite\nworkers = many\n' "$T" >"$T/bad.conf"
for prog in "$FCGI" "$NOTIFIER"; do
	p=$(basename "$prog")
	status "$p --help" 0 "$prog" --help
	status "$p --version" 0 "$prog" --version
	grep -q "0\.\|[0-9]\.[0-9]" "$T/stdout" || fail "$p --version prints a version"
	status "$p unknown option" 2 "$prog" --no-such-option
	status "$p unexpected argument" 2 "$prog" extra-argument
	status "$p bad configuration" 1 "$prog" --config "$T/bad.conf"
	if grep -qF "$T/bad.conf:2: workers" "$T/stderr"; then
		pass "$p names file, line and key of a configuration error"
	else
		fail "$p names file, line and key of a configuration error"
		sed 's/^/    /' "$T/stderr" | head -5
	fi
	status "$p missing configuration" 1 "$prog" --config "$T/absent.conf"
	status "$p missing \$FTSUCCESS_CONFIG" 1 env FTSUCCESS_CONFIG="$T/absent.conf" "$prog"
done
status "ftsuccess.fcgi --workers 65" 2 "$FCGI" --workers 65
status "ftsuccess.fcgi --workers without value" 2 "$FCGI" --workers
status "ftsuccess-notifier --dry-run missing directory" 2 "$NOTIFIER" --dry-run "$T/absent"
status "ftsuccess-admin --help" 0 "$ADMIN" --help
status "ftsuccess-admin --version" 0 "$ADMIN" --version
status "ftsuccess-admin unknown option" 2 "$ADMIN" --no-such-option
status "ftsuccess-admin unknown command" 2 "$ADMIN" user rename
status "ftsuccess-admin missing argument" 2 "$ADMIN" user add
status "ftsuccess-admin bad configuration" 1 "$ADMIN" --config "$T/bad.conf" user list
status "ftsuccess-admin missing configuration" 1 "$ADMIN" --config "$T/absent.conf" db check

echo "1..$n"
[ "$failures" = 0 ]
