/*
 * usagecsv.h -- reads the Microsoft 365 "Active users - services" usage
 * report (admin center export, Graph getOffice365ServicesUserCounts as CSV):
 * "Report Refresh Date, <Service> Active, <Service> Inactive, ..., Report Period".
 * AU of a service = active / (active + inactive).
 */
#ifndef FTS_USAGECSV_H
#define FTS_USAGECSV_H

#include <stddef.h>

#include "result.h"

#define USAGECSV_MAX_ROWS	1000	/* data lines accepted in one file */

struct usagecsv_sample {
	char		 service[32];	/* catalog key matched by report name */
	char		 measured_on[11];/* the report's refresh date */
	long long	 active;
	long long	 inactive;
};

/*
 * Parse text (RFC 4180 CSV, optional UTF-8 BOM, CRLF or LF) into samples:
 * one per catalog service column pair per data line, skipping pairs where
 * active + inactive is 0.  *out is malloc'd (free()).  Errors name the line
 * and column: not UTF-8, a column name given twice, no "Report Refresh
 * Date" column, no known service column, a count that is not a
 * non-negative integer, a bad date.
 */
int usagecsv_parse(const char *text, size_t len, struct usagecsv_sample **out, size_t *n,
    struct result *r);

#endif
