/* test_usagecsv.c -- the M365 "Active users - services" export parser, table-driven, and its import. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "usagecsv.h"

#define HEADER "Report Refresh Date,Exchange Active,Exchange Inactive,OneDrive Active," \
	"OneDrive Inactive,SharePoint Active,SharePoint Inactive,Skype For Business Active," \
	"Skype For Business Inactive,Yammer Active,Yammer Inactive,Teams Active,Teams Inactive," \
	"Office 365 Active,Office 365 Inactive,Report Period"

static void
test_export(void **state)
{
	const char *csv = "\xef\xbb\xbf" HEADER "\r\n2026-06-10,900,100,50,950,0,0,0,0,3,997,120,880,0,0,30\r\n";
	struct usagecsv_sample	*s;
	struct result		 r;
	size_t			 n;

	(void)state;
	assert_int_equal(usagecsv_parse(csv, strlen(csv), &s, &n, &r), 0);
	/* SharePoint, Skype and Office 365 have 0 + 0: skipped. */
	assert_int_equal(n, 4);
	assert_string_equal(s[0].service, "exchange");
	assert_string_equal(s[0].measured_on, "2026-06-10");
	assert_int_equal(s[0].active, 900);
	assert_int_equal(s[0].inactive, 100);
	assert_string_equal(s[1].service, "onedrive");
	assert_string_equal(s[2].service, "yammer");
	assert_string_equal(s[3].service, "teams");
	assert_int_equal(s[3].active, 120);
	free(s);
}

static void
test_quoted_and_lf(void **state)
{
	const char *csv = "\"Report Refresh Date\",\"Teams Active\",\"Teams Inactive\",\"Report Period\"\n"
	    "\"2026-06-01\",\"5\",\"95\",\"7\"\n\n";
	struct usagecsv_sample	*s;
	struct result		 r;
	size_t			 n;

	(void)state;
	assert_int_equal(usagecsv_parse(csv, strlen(csv), &s, &n, &r), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].active, 5);
	free(s);
}

/* The smallest good header: the date and one service's two columns. */
#define TEAMS "Report Refresh Date,Teams Active,Teams Inactive\n"

static void
test_refusals(void **state)
{
	static const struct {
		const char *csv;
		const char *want;	/* substring of the message */
	} cases[] = {
		{ "", "empty" },
		{ "a,b,c\n1,2,3\n", "Report Refresh Date" },
		{ "Report Refresh Date,Foo Active,Foo Inactive\n2026-01-01,1,2\n", "known service" },
		{ "Report Refresh Date,Teams Active\n2026-01-01,1\n", "Inactive" },
		{ TEAMS, "no data line" },
		{ TEAMS "2026-02-30,1,2\n", "line 2" },
		{ TEAMS "2026-01-01,x,2\n", "whole numbers" },
		{ TEAMS "2026-01-01,-1,2\n", "whole numbers" },
		{ TEAMS "2026-01-01,1\n", "2 columns" },
		{ TEAMS "2026-01-01,\"1,2\n", "malformed" },
		{ TEAMS "2026-01-01,\xff,2\n", "UTF-8" },
		/* Issue 9: a repeated column was read from its last copy, silently. */
		{ "Report Refresh Date,Teams Active,Teams Inactive,Teams Active\n2026-01-01,1,2,3\n",
		    "line 1: column 4 \"Teams Active\" repeats column 2" },
		{ "Report Refresh Date,Teams Active,Teams Inactive,teams inactive \n2026-01-01,1,2,3\n",
		    "column 4 \"teams inactive\" repeats column 3" },
		{ "Report Refresh Date,Teams Active,Teams Inactive,Report Refresh Date\n"
		    "2026-01-01,1,2,2026-01-02\n", "column 4 \"Report Refresh Date\" repeats column 1" },
	};
	struct usagecsv_sample	*s;
	struct result		 r;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		result_clear(&r);
		assert_int_equal(usagecsv_parse(cases[i].csv, strlen(cases[i].csv), &s, &n, &r), -1);
		assert_int_equal(r.code, RESULT_INVALID);
		if (strstr(r.message, cases[i].want) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, r.message, cases[i].want);
		assert_null(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_quoted_and_lf),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("usagecsv", tests, NULL, NULL);
}
