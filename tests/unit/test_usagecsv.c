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

/* The smallest good header: the date and one service's two columns. */
#define TEAMS "Report Refresh Date,Teams Active,Teams Inactive\n"

/*
 * Inputs and what the parser makes of them: refused with a message holding
 * error, or (error NULL) parsed into n samples, the first for service with
 * so many active users.
 */
static void
test_inputs(void **state)
{
	static const struct {
		const char	*csv;
		const char	*error;
		size_t		 n;
		const char	*service;
		long long	 active;
	} cases[] = {
		/* Quoted cells, LF line ends and a blank last line are read. */
		{ .csv = "\"Report Refresh Date\",\"Teams Active\",\"Teams Inactive\",\"Report Period\"\n"
		    "\"2026-06-01\",\"5\",\"95\",\"7\"\n\n", .n = 1, .service = "teams", .active = 5 },
		{ .csv = "", .error = "empty" },
		{ .csv = "a,b,c\n1,2,3\n", .error = "Report Refresh Date" },
		{ .csv = "Report Refresh Date,Foo Active,Foo Inactive\n2026-01-01,1,2\n", .error = "known service" },
		{ .csv = "Report Refresh Date,Teams Active\n2026-01-01,1\n", .error = "Inactive" },
		{ .csv = TEAMS, .error = "no data line" },
		{ .csv = TEAMS "2026-02-30,1,2\n", .error = "line 2" },
		{ .csv = TEAMS "2026-01-01,x,2\n", .error = "whole numbers" },
		{ .csv = TEAMS "2026-01-01,-1,2\n", .error = "whole numbers" },
		{ .csv = TEAMS "2026-01-01,1\n", .error = "2 columns" },
		{ .csv = TEAMS "2026-01-01,\"1,2\n", .error = "malformed" },
		{ .csv = TEAMS "2026-01-01,\xff,2\n", .error = "UTF-8" },
		/* Issue 9: a repeated column was read from its last copy, silently. */
		{ .csv = "Report Refresh Date,Teams Active,Teams Inactive,Teams Active\n2026-01-01,1,2,3\n",
		  .error = "line 1: column 4 \"Teams Active\" repeats column 2" },
		{ .csv = "Report Refresh Date,Teams Active,Teams Inactive,teams inactive \n2026-01-01,1,2,3\n",
		  .error = "column 4 \"teams inactive\" repeats column 3" },
		{ .csv = "Report Refresh Date,Teams Active,Teams Inactive,Report Refresh Date\n"
		    "2026-01-01,1,2,2026-01-02\n", .error = "column 4 \"Report Refresh Date\" repeats column 1" },
	};
	struct usagecsv_sample	*s;
	struct result		 r;
	size_t			 i, n;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		result_clear(&r);
		rc = usagecsv_parse(cases[i].csv, strlen(cases[i].csv), &s, &n, &r);
		if (cases[i].error != NULL) {
			if (rc != -1 || r.code != RESULT_INVALID || s != NULL ||
			    strstr(r.message, cases[i].error) == NULL)
				fail_msg("case %zu: returned %d, code %d, \"%s\"; want a refusal with \"%s\"",
				    i, rc, (int)r.code, r.message, cases[i].error);
			continue;
		}
		if (rc != 0 || n != cases[i].n || strcmp(s[0].service, cases[i].service) != 0 ||
		    s[0].active != cases[i].active)
			fail_msg("case %zu: returned %d (%s) with %zu samples", i, rc, r.message, n);
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_inputs),
	};

	return cmocka_run_group_tests_name("usagecsv", tests, NULL, NULL);
}
