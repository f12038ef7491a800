/* test_usagecsv.c -- the M365 "Active users - services" export parser, table-driven, and its import. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"
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
		{ .csv = "a,b,c\n1,2,3\n", .error = "The header (line 1) has no \"Report Refresh Date\" column" },
		{ .csv = "Report Refresh Date,Foo Active,Foo Inactive\n2026-01-01,1,2\n", .error = "The header (line 1) names no service" },
		{ .csv = "Report Refresh Date,Teams Active\n2026-01-01,1\n",
		  .error = "has \"Teams Active\" in column 2 but no \"Teams Inactive\" column" },
		{ .csv = "Office 365 Inactive,Report Refresh Date\n1,2026-01-01\n",
		  .error = "has \"Office 365 Inactive\" in column 1 but no \"Office 365 Active\" column" },
		{ .csv = TEAMS, .error = "no data line" },
		{ .csv = TEAMS "2026-02-30,1,2\n",
		  .error = "Line 2, column 1 (Report Refresh Date): \"2026-02-30\" is not a date" },
		{ .csv = TEAMS "2026-01-01,x,2\n",
		  .error = "Line 2, column 2 (Teams Active): \"x\" is not a whole number of users." },
		{ .csv = TEAMS "2026-01-01,1,-2\n",
		  .error = "Line 2, column 3 (Teams Inactive): \"-2\" is not a whole number" },
		{ .csv = TEAMS "2026-01-01,1\n", .error = "Line 2 has 2 columns but the header (line 1) has 3." },
		{ .csv = TEAMS "2026-01-01,\"1,2\n", .error = "Line 2 is not valid CSV" },
		{ .csv = TEAMS "2026-01-01,\xff,2\n", .error = "UTF-8" },
		/* Issue 9: a repeated column was read from its last copy, silently. */
		{ .csv = "Report Refresh Date,Teams Active,Teams Inactive,Teams Active\n2026-01-01,1,2,3\n",
		  .error = "The header (line 1) has column 2 \"Teams Active\" twice, again as column 4" },
		{ .csv = "Report Refresh Date,Teams Active,Teams Inactive,teams inactive \n2026-01-01,1,2,3\n",
		  .error = "column 3 \"teams inactive\" twice, again as column 4" },
		{ .csv = "Report Refresh Date,Teams Active,Teams Inactive,Report Refresh Date\n"
		    "2026-01-01,1,2,2026-01-02\n", .error = "column 1 \"Report Refresh Date\" twice, again as column 4" },
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

/*
 * Issue 13 item 7: the sample file the import form links to is a report this
 * parser reads (Skype's 0/0 has no user, so no sample), and a line with too
 * many columns is named.
 */
static void
test_sample_file_parses(void **state)
{
	const char		*src = getenv("top_srcdir");
	char			 path[1024], text[4096];
	struct usagecsv_sample	*s;
	struct result		 r;
	size_t			 n, len;
	FILE			*fp;
	char			 wide[8200];

	(void)state;
	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/www/static/usage-sample.csv", src);
	assert_non_null(fp = fopen(path, "rb"));
	len = fread(text, 1, sizeof(text), fp);
	fclose(fp);
	assert_int_equal(usagecsv_parse(text, len, &s, &n, &r), 0);
	assert_int_equal(n, 6);
	assert_string_equal(s[0].service, "exchange");
	assert_int_equal(s[0].active, 412);
	free(s);
	/* A header far wider than the report: refused, naming the line. */
	snprintf(wide, sizeof(wide), "Report Refresh Date");
	for (len = strlen(wide); len + 3 < sizeof(wide) - 1; len += 2)
		memcpy(wide + len, ",x", 3);
	assert_int_equal(usagecsv_parse(wide, strlen(wide), &s, &n, &r), -1);
	assert_non_null(strstr(r.message, "Line 1 has more than"));
}

UNIT_MAIN("usagecsv",
	cmocka_unit_test(test_sample_file_parses),
	cmocka_unit_test(test_export),
	cmocka_unit_test(test_inputs),
)
