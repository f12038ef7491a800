#!/bin/bash
# api_docs.sh -- runs the examples of docs/api.md, in order, against a real
# stack (nginx configured by www/nginx/ftsuccess.conf, ftsuccess.fcgi on a
# unix socket), so the documentation cannot rot.  Every ```sh block runs in
# one shell (variables carry over, as a reader's terminal would); each
# `curl` in it must answer the status written on the `# -> STATUS` line
# above it, and every curl must have such a line.  The reader's BASE= and
# AUTH= lines are replaced by the test's.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init api_docs
needs nginx curl jq openssl
DOC="$top_srcdir/docs/api.md"
[ -f "$DOC" ] || bail "$DOC missing"

HOST=ftsuccess.example.com
PORT=$(free_port) || bail "no free port"
HTTP_PORT=$(free_port) || bail "no free port"
web_conf "$T/app.conf" "https://$HOST:$PORT"
htpasswd_add fm@example.com 'doc password'
fcgi_start "$T/app.conf" "$T/fcgi.sock"
nginx_sample "$PORT" "$HTTP_PORT" "$T/fcgi.sock"
nginx_start "$PORT"

# ---- every route of cgi/routes.c is documented ----
missing=
nroutes=0
while IFS= read -r line; do
	method=$(printf '%s\n' "$line" | grep -oE '\b(GET|POST|PUT|PATCH)\b' | head -1)
	path=$(printf '%s\n' "$line" | grep -oE '"[^"]*"' | head -1 | tr -d '"')
	[ -n "$method" ] && [ -n "$path" ] || continue
	paths=$path
	case $line in *BOTH\(*) paths="$path /api$path" ;; esac
	for p in $paths; do
		nroutes=$((nroutes + 1))
		[ "$p" = "/static/*" ] && p="/static/{file}"
		# A row of the table: "| METHOD | `path`, ... |"; parameters may
		# have other names in the text ({ftop} for the route's second {id}).
		grep "^| $method |" "$DOC" | sed 's/{[a-z]*}/{}/g' |
		    grep -qF "\`$(printf '%s' "$p" | sed 's/{[a-z]*}/{}/g')\`" || missing="$missing $method:$p"
	done
done < <(grep -E '^[[:space:]]*(\{|BOTH\()' "$top_srcdir/cgi/routes.c")
[ "$nroutes" -gt 30 ] || bail "only $nroutes routes read from cgi/routes.c"
if [ -z "$missing" ]; then
	pass "all $nroutes routes of cgi/routes.c are in the table of docs/api.md"
else
	fail "routes of cgi/routes.c missing from docs/api.md:$missing"
fi

# ---- the examples ----
# Blocks become one script; around each block, hooks record the line of the
# document it starts on and, after it, compare the statuses.
mkdir -p "$T/run"
ln -s "$top_srcdir/tests" "$T/run/tests"	# examples name tests/data/... files
awk -v q="'" '
	/^```sh[[:space:]]*$/ { inblock = 1; n++; start = NR + 1; want = "";
		printf "doc_block_begin %d %d\n", n, start; next }
	inblock && /^```[[:space:]]*$/ { inblock = 0; printf "doc_block_end %d %d %s%s%s\n", n, start, q, want, q; next }
	inblock && /^(BASE|AUTH)=/ { print "# (replaced by the test) " $0; next }
	inblock && /^[[:space:]]*# -> [0-9][0-9][0-9]/ { want = want " " $3 }
	inblock { print }
' "$DOC" > "$T/examples.sh"
nblocks=$(grep -c '^doc_block_begin' "$T/examples.sh")
[ "$nblocks" -gt 20 ] && pass "$nblocks sh blocks found in docs/api.md" || fail "only $nblocks sh blocks in docs/api.md"

cat > "$T/prelude.sh" <<PRELUDE
BASE=https://$HOST:$PORT
AUTH='fm@example.com:doc password'
DOC_T=$T
DOC_FAILS=0
DOC_CHECKS=0
# curl as the reader runs it, plus the test's name resolution and CA, and
# the answer's headers kept to check the status.
curl() {
	local h
	h="\$DOC_T/blocks/\$DOC_BLOCK/\$(date +%s%N).h"
	command curl --resolve "$HOST:$PORT:127.0.0.1" --cacert "$T/tls/$HOST.pem" -D "\$h" "\$@"
}
doc_block_begin() {
	DOC_BLOCK=\$1
	mkdir -p "\$DOC_T/blocks/\$1"
	echo "# --- docs/api.md line \$2"
}
doc_block_end() {
	local n=\$1 line=\$2 want got= f s i=0 ok=1
	for f in \$(ls "\$DOC_T/blocks/\$n" | sort -n); do
		# the last status line (after any 100 Continue)
		s=\$(tr -d '\r' < "\$DOC_T/blocks/\$n/\$f" | awk '/^HTTP\// { s = \$2 } END { print s }')
		got="\$got \${s:-none}"
	done
	want=\$3
	DOC_CHECKS=\$((DOC_CHECKS + 1))
	if [ -z "\$want" ] && [ -z "\$got" ]; then
		echo "ok - docs/api.md line \$line: no request"
		return
	fi
	if [ "\$got" = "\$want" ]; then
		echo "ok - docs/api.md line \$line: status\$got"
	else
		DOC_FAILS=\$((DOC_FAILS + 1))
		echo "not ok - docs/api.md line \$line: status\${got:- (no request)}, documented\${want:- nothing}"
	fi
	# Every answer carries the security headers.
	for f in "\$DOC_T/blocks/\$n"/*.h; do
		[ -f "\$f" ] || continue
		grep -qi "^Content-Security-Policy:.*frame-ancestors 'none'" "\$f" &&
		    grep -qi '^X-Content-Type-Options: nosniff' "\$f" &&
		    grep -qi '^Cache-Control: no-store' "\$f" ||
		    { DOC_FAILS=\$((DOC_FAILS + 1)); echo "not ok - docs/api.md line \$line: security headers missing"; }
	done
}
PRELUDE
{
	cat "$T/prelude.sh"
	echo 'cd "$DOC_T/run" || exit 99'
	cat "$T/examples.sh"
	echo 'echo "DOC_RESULT $DOC_CHECKS $DOC_FAILS"'
} > "$T/run.sh"
bash "$T/run.sh" > "$T/run.log" 2>&1
grep -E '^(ok|not ok) - ' "$T/run.log"
result=$(sed -n 's/^DOC_RESULT //p' "$T/run.log")
if [ -z "$result" ]; then
	fail "the examples did not run to the end"
	tail -20 "$T/run.log" | sed 's/^/    /'
else
	set -- $result
	IT_CHECKS=$((IT_CHECKS + $1))
	IT_FAILS=$((IT_FAILS + $2))
	if [ "$2" -gt 0 ]; then
		echo "# output of the examples:"
		sed 's/^/    /' "$T/run.log" | grep -v '^    \(ok\|not ok\) - ' | head -200
	fi
fi
it_done
