/* test_csv.c -- shared/core/csv.c: RFC 4180 quoting, CRLF, the BOM, UTF-8 kept, the formula guard. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "unit.h"

#define BOM "\xEF\xBB\xBF"

/* One cell written alone on a row: what the file holds after the BOM. */
struct cell_case {
	const char	*name;
	const char	*in;
	const char	*want;
};

static const struct cell_case cell_cases[] = {
	{ "plain", "Contoso", "Contoso\r\n" },
	{ "empty", "", "\r\n" },
	{ "NULL is empty", NULL, "\r\n" },
	{ "comma quoted", "Lima, Beatriz", "\"Lima, Beatriz\"\r\n" },
	{ "quote doubled", "the \"big\" one", "\"the \"\"big\"\" one\"\r\n" },
	{ "LF quoted", "line 1\nline 2", "\"line 1\nline 2\"\r\n" },
	{ "CR quoted", "a\rb", "\"a\rb\"\r\n" },
	{ "UTF-8 kept byte for byte", "S\xc3\xa3o Paulo \xe2\x80\x94 Jo\xc3\xa3o", "S\xc3\xa3o Paulo \xe2\x80\x94 Jo\xc3\xa3o\r\n" },
	{ "= guarded", "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n" },
	{ "+ guarded", "+1 555", "'+1 555\r\n" },
	{ "- guarded", "-2+3", "'-2+3\r\n" },
	{ "@ guarded", "@SUM(A1)", "'@SUM(A1)\r\n" },
	{ "TAB guarded", "\t=1", "'\t=1\r\n" },
	{ "CR first guarded and quoted", "\r=1", "\"'\r=1\"\r\n" },
	{ "= inside is text", "a=b", "a=b\r\n" },
	{ "apostrophe first untouched", "'quoted", "'quoted\r\n" },
};

static void
test_cells(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cell_cases) / sizeof(cell_cases[0]); i++) {
		struct buf	 b;
		struct csv	 c;

		buf_init(&b);
		csv_begin(&c, &b);
		assert_int_equal(csv_cell(&c, cell_cases[i].in), 0);
		assert_int_equal(csv_row_end(&c), 0);
		if (strncmp(buf_cstr(&b), BOM, 3) != 0 || strcmp(buf_cstr(&b) + 3, cell_cases[i].want) != 0)
			fail_msg("case \"%s\": got \"%s\"", cell_cases[i].name, buf_cstr(&b));
		buf_free(&b);
	}
}

static void
test_rows(void **state)
{
	static const char *const head[] = { "name", "owner", "open blockers" };
	struct buf	 b;
	struct csv	 c;

	(void)state;
	buf_init(&b);
	csv_begin(&c, &b);
	assert_int_equal(csv_row(&c, head, 3), 0);
	csv_cell(&c, "Ac\xc3\xa9, Ltd");
	csv_cell(&c, "fm1");
	csv_cell_int(&c, -3);
	csv_row_end(&c);
	csv_cell(&c, "B");
	csv_cell(&c, NULL);
	csv_cell_int(&c, 0);
	csv_row_end(&c);
	assert_string_equal(buf_cstr(&b), BOM "name,owner,open blockers\r\n"
	    "\"Ac\xc3\xa9, Ltd\",fm1,-3\r\nB,,0\r\n");
	buf_free(&b);
}

UNIT_MAIN("csv",
	cmocka_unit_test(test_cells),
	cmocka_unit_test(test_rows),
)
