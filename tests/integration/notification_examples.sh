#!/bin/sh
# notification_examples.sh -- docs/notifications.md shows the messages the code makes: its examples equal the tool's output.
set -u

: "${top_srcdir:?top_srcdir must be set (make check sets it)}"
: "${top_builddir:?top_builddir must be set (make check sets it)}"

DOC="$top_srcdir/docs/notifications.md"
GEN="$top_srcdir/tests/tools/notification_examples.sh"

if ! /usr/bin/python3 -c 'import email.policy' 2>/dev/null; then
	echo "SKIP: /usr/bin/python3 is missing"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/notification_examples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Text without the blank lines that begin or end it.
trim() {
	awk 'NF { for (; blank > 0; blank--) print ""; print; seen = 1; next } seen { blank++ }'
}
if ! "$GEN" "$top_builddir" >"$tmp/raw.md"; then
	echo "FAIL: $GEN failed"
	exit 1
fi
trim <"$tmp/raw.md" >"$tmp/made.md"
# The section between the markers.
sed -n '/^<!-- examples: begin/,/^<!-- examples: end/p' "$DOC" | sed '1d;$d' | trim >"$tmp/doc.md"
n=$(grep -c '^#### ' "$tmp/made.md")
if [ "$n" -ne 11 ]; then
	echo "FAIL: the tool made $n messages, want 11"
	exit 1
fi
if ! diff -u "$tmp/doc.md" "$tmp/made.md"; then
	echo "FAIL: docs/notifications.md's examples are not what the code makes;"
	echo "      regenerate them: tests/tools/notification_examples.sh BUILD_DIR"
	exit 1
fi
echo "PASS: the $n examples in docs/notifications.md are what the notifier makes"
exit 0
