#!/bin/bash
# po_check.sh -- every message the C sources and the templates say has a
# pt_BR translation that is neither missing, empty nor fuzzy, keeps the
# template's {{name}} tags, and the committed po/ftsuccess.pot is current.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init po_check
need msgcmp gettext
need msgcat gettext

po=$top_srcdir/po/pt_BR.po
check "the sources' catalog is extracted" \
	sh -c 'MAKEFLAGS= MFLAGS= ${MAKE:-make} -s --no-print-directory -C "$1" po-pot POT="$2" > "$2.err" 2>&1' _ "$top_builddir" "$T/now.pot"
note "$(cat "$T/now.pot.err")"

# msgcmp: each msgid of the sources is translated (untranslated and fuzzy count as missing).
check "every message has a pt_BR translation" \
	sh -c 'msgcmp "$1" "$2" > "$3" 2>&1' _ "$po" "$T/now.pot" "$T/msgcmp.out"
note "$(cat "$T/msgcmp.out")"
msgfmt --check --statistics -o /dev/null "$po" > "$T/stats" 2>&1
eq "no fuzzy or untranslated entry" "$(grep -Ec 'fuzzy|untranslated' "$T/stats")" 0
note "$(cat "$T/stats")"

# A dropped {{name}} tag would render a page without the value: compare the tags of each pair.
msgcat --no-wrap -o - "$po" 2> /dev/null | awk '
	function tags(s,   out, t) { out = ""; while (match(s, /\{\{[^}]*\}\}/)) {
		t = substr(s, RSTART, RLENGTH); out = out " " t; s = substr(s, RSTART + RLENGTH) }
		return out }
	/^msgid / { id = substr($0, 7); mode = "id"; next }
	/^msgstr / { str = substr($0, 8); mode = "str"; next }
	/^"/ { if (mode == "id") id = id $0; else if (mode == "str") str = str $0; next }
	/^$/ { if (id != "\"\"" && str != "\"\"") { a = tags(id); b = tags(str)
		split(a, x, " "); split(b, y, " "); asort(x); asort(y); sa = sb = ""
		for (i in x) sa = sa x[i]; for (i in y) sb = sb y[i]
		if (sa != sb) print "tags differ: " id " -> " str }
		id = str = ""; mode = "" }' > "$T/tags.out"
check "translations keep the template tags" [ ! -s "$T/tags.out" ]
note "$(cat "$T/tags.out")"

# The committed template of the catalog lists what the sources say (make update-po refreshes it).
check "po/ftsuccess.pot has every message of the sources (run make update-po)" \
	sh -c 'msgcmp --use-untranslated "$1" "$2" > "$3" 2>&1' _ "$top_srcdir/po/ftsuccess.pot" \
	"$T/now.pot" "$T/cmp1"
check "po/ftsuccess.pot has no message the sources dropped (run make update-po)" \
	sh -c 'msgcmp --use-untranslated "$1" "$2" > "$3" 2>&1' _ "$T/now.pot" \
	"$top_srcdir/po/ftsuccess.pot" "$T/cmp2"
note "$(cat "$T/cmp1" "$T/cmp2" | head -20)"

it_done
