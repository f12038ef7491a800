/* usagecsv.c -- the M365 "Active users - services" CSV export, parsed into per-service samples. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "catalog.h"
#include "text.h"
#include "usagecsv.h"

#define MAX_COLS 64

struct csv {
	const char	*p, *end;
	int		 line;
};

/*
 * Read one record (RFC 4180 2.1-2.7: quoted fields may hold commas, quotes
 * doubled, and line breaks).  Fields go to cells as NUL-separated strings in
 * store.  Returns the field count, 0 at the end, -1 on a malformed quote.
 */
static int
csv_record(struct csv *c, struct buf *store, size_t *offs, int max)
{
	int	 n = 0, quoted;

	buf_reset(store);
	if (c->p >= c->end)
		return 0;
	c->line++;
	for (;;) {
		if (n == max)
			return -2;
		offs[n++] = store->len;
		quoted = 0;
		if (c->p < c->end && *c->p == '"') {
			quoted = 1;
			c->p++;
		}
		while (c->p < c->end) {
			char ch = *c->p;

			if (quoted) {
				if (ch == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						buf_putc(store, '"');
						c->p += 2;
						continue;
					}
					quoted = 0;
					c->p++;
					continue;
				}
				if (ch == '\n')
					c->line++;
				buf_putc(store, ch);
				c->p++;
				continue;
			}
			if (ch == ',' || ch == '\n' || ch == '\r')
				break;
			buf_putc(store, ch);
			c->p++;
		}
		if (quoted)
			return -1;
		buf_putc(store, '\0');
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		break;
	}
	return store->failed ? -1 : n;
}

static int
blank_record(const struct buf *store, const size_t *offs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (store->data[offs[i]] != '\0')
			return 0;
	return 1;
}

/* Index of the first of the columns before i whose trimmed name equals h (any case), else -1. */
static int
usagecsv_header_seen(const struct buf *cells, const size_t *offs, int i, const char *h, size_t hl)
{
	const char	*p;
	size_t		 pl;
	int		 j;

	for (j = 0; j < i; j++) {
		p = cells->data + offs[j];
		while (*p == ' ')
			p++;
		pl = strlen(p);
		while (pl > 0 && p[pl - 1] == ' ')
			pl--;
		if (pl == hl && strncasecmp(p, h, hl) == 0)
			return j;
	}
	return -1;
}

/* The columns the header names: the date, and each known service's Active and Inactive counts. */
struct usagecsv_header {
	int	 ncols;
	int	 date_col;		/* -1 until found */
	int	 nsvc;
	struct {
		const struct catalog_service *svc;
		int	 active, inactive;	/* column indexes, -1 = absent */
	} svc[MAX_COLS];
};

/* h (hl bytes) with its spaces trimmed, for comparing column names. */
static const char *
trim_cell(const char *h, size_t *hl)
{
	while (*h == ' ')
		h++;
	*hl = strlen(h);
	while (*hl > 0 && h[*hl - 1] == ' ')
		(*hl)--;
	return h;
}

/*
 * "<Service> Active" or "<Service> Inactive" of a service the catalog knows:
 * its slot in hd (added on first sight), else -1.  *active says which.
 */
static int
service_column(struct usagecsv_header *hd, const char *h, size_t hl, int *active)
{
	static const struct { const char *suffix; int active; } kinds[] = {
		{ .suffix = " Active", .active = 1 },
		{ .suffix = " Inactive", .active = 0 },
	};
	const struct catalog_service *cs;
	char	 name[128];
	size_t	 i, sl;
	int	 k;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		sl = strlen(kinds[i].suffix);
		if (hl <= sl || hl - sl >= sizeof(name) ||
		    strncasecmp(h + hl - sl, kinds[i].suffix, sl) != 0)
			continue;
		memcpy(name, h, hl - sl);
		name[hl - sl] = '\0';
		if ((cs = catalog_service_by_report_name(name)) == NULL)
			return -1;
		for (k = 0; k < hd->nsvc && hd->svc[k].svc != cs; k++)
			;
		if (k == hd->nsvc) {
			hd->svc[k].svc = cs;
			hd->svc[k].active = hd->svc[k].inactive = -1;
			hd->nsvc++;
		}
		*active = kinds[i].active;
		return k;
	}
	return -1;
}

/* Why csv_record() returned rc (0, -1 or -2) for the record that starts on line. */
static int
csv_refusal(int rc, int line, struct result *r)
{
	if (rc == 0)
		return result_set(r, RESULT_INVALID, "file", "The file is empty.");
	if (rc == -2)
		return result_set(r, RESULT_INVALID, "file",
		    "Line %d has more than %d columns: this is not the usage report.", line, MAX_COLS);
	return result_set(r, RESULT_INVALID, "file",
	    "Line %d is not valid CSV: a quoted value that starts there is never closed.", line);
}

/* Read the header line into hd: every column it needs, no column twice. */
static int
usagecsv_header(struct csv *c, struct buf *cells, size_t *offs, struct usagecsv_header *hd,
    struct result *r)
{
	const char	*h;
	size_t		 hl;
	int		 i, k, dup, active;

	memset(hd, 0, sizeof(*hd));
	hd->date_col = -1;
	if ((hd->ncols = csv_record(c, cells, offs, MAX_COLS)) <= 0)
		return csv_refusal(hd->ncols, 1, r);
	for (i = 0; i < hd->ncols; i++) {
		h = trim_cell(cells->data + offs[i], &hl);
		/* Two columns of one name: whichever we read, the other is dropped unseen. */
		if (hl > 0 && (dup = usagecsv_header_seen(cells, offs, i, h, hl)) >= 0)
			return result_set(r, RESULT_INVALID, "file",
			    "The header (line 1) has column %d \"%.*s\" twice, again as column %d: "
			    "keep one of them.", dup + 1, (int)(hl > 80 ? 80 : hl), h, i + 1);
		if (hl == strlen("Report Refresh Date") && strncasecmp(h, "Report Refresh Date", hl) == 0)
			hd->date_col = i;
		else if ((k = service_column(hd, h, hl, &active)) >= 0) {
			if (active)
				hd->svc[k].active = i;
			else
				hd->svc[k].inactive = i;
		}
	}
	if (hd->date_col < 0)
		return result_set(r, RESULT_INVALID, "file",
		    "The header (line 1) has no \"Report Refresh Date\" column, so this is not the "
		    "Microsoft 365 \"Active users - services\" report: its first column is "
		    "\"Report Refresh Date\", then \"Exchange Active\", \"Exchange Inactive\" and so "
		    "on for each service.");
	for (i = 0; i < hd->nsvc; i++)
		if (hd->svc[i].active < 0 || hd->svc[i].inactive < 0)
			return result_set(r, RESULT_INVALID, "file",
			    "The header (line 1) has \"%s %s\" in column %d but no \"%s %s\" column: "
			    "each service needs both its Active and its Inactive count.",
			    hd->svc[i].svc->report_name, hd->svc[i].active < 0 ? "Inactive" : "Active",
			    (hd->svc[i].active < 0 ? hd->svc[i].inactive : hd->svc[i].active) + 1,
			    hd->svc[i].svc->report_name, hd->svc[i].active < 0 ? "Active" : "Inactive");
	if (hd->nsvc == 0)
		return result_set(r, RESULT_INVALID, "file",
		    "The header (line 1) names no service: the report has a \"<Service> Active\" "
		    "and a \"<Service> Inactive\" column for each service, such as "
		    "\"Exchange Active\" and \"Exchange Inactive\".");
	return 0;
}

/* Append a sample to *list (cnt used of *cap), growing it by doubling. */
static int
sample_add(struct usagecsv_sample **list, size_t *cnt, size_t *cap, const char *service,
    int32_t day, long long active, long long inactive, struct result *r)
{
	struct usagecsv_sample *tmp, *x;

	if ((tmp = buf_array_room(*list, *cnt, cap, sizeof(**list), 16)) == NULL)
		return result_set(r, RESULT_IO, NULL, "usage report: out of memory");
	*list = tmp;
	x = &(*list)[(*cnt)++];
	memset(x, 0, sizeof(*x));
	text_copy(x->service, sizeof(x->service), service);
	text_date_format(day, x->measured_on, sizeof(x->measured_on));
	x->active = active;
	x->inactive = inactive;
	return 0;
}

/* One data line: its date, then a sample per service that has any user. */
static int
usagecsv_row(const struct usagecsv_header *hd, const struct buf *cells, const size_t *offs,
    int line, struct usagecsv_sample **list, size_t *cnt, size_t *cap, struct result *r)
{
	const char	*as, *is;
	long long	 a, in;
	int32_t		 day;
	int		 i, bad;

	if (text_date_parse(cells->data + offs[hd->date_col], &day) == -1)
		return result_set(r, RESULT_INVALID, "file",
		    "Line %d, column %d (Report Refresh Date): \"%.20s\" is not a date written "
		    "year-month-day, like 2026-12-05.", line, hd->date_col + 1,
		    cells->data + offs[hd->date_col]);
	for (i = 0; i < hd->nsvc; i++) {
		as = cells->data + offs[hd->svc[i].active];
		is = cells->data + offs[hd->svc[i].inactive];
		if ((bad = text_int_parse(as, 0, 1000000000LL, &a) == -1 ? hd->svc[i].active :
		    text_int_parse(is, 0, 1000000000LL, &in) == -1 ? hd->svc[i].inactive : -1) >= 0)
			return result_set(r, RESULT_INVALID, "file",
			    "Line %d, column %d (%s %s): \"%.20s\" is not a whole number of users.",
			    line, bad + 1, hd->svc[i].svc->report_name,
			    bad == hd->svc[i].active ? "Active" : "Inactive", cells->data + offs[bad]);
		if (a + in == 0)
			continue;
		if (sample_add(list, cnt, cap, hd->svc[i].svc->key, day, a, in, r) == -1)
			return -1;
	}
	return 0;
}

int
usagecsv_parse(const char *text, size_t len, struct usagecsv_sample **out, size_t *n,
    struct result *r)
{
	struct csv		 c;
	struct buf		 cells;
	struct usagecsv_header	 hd;
	size_t			 offs[MAX_COLS], cnt = 0, cap = 0;
	struct usagecsv_sample	*list = NULL;
	int			 nf, rows = 0, start;

	*out = NULL;
	*n = 0;
	if (!text_utf8_valid(text, len))
		return result_set(r, RESULT_INVALID, "file",
		    "The file is not UTF-8 text: export the report again as CSV (UTF-8).");
	/* Excel and the admin center write a byte order mark. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	c.p = text;
	c.end = text + len;
	c.line = 0;
	buf_init(&cells);
	if (usagecsv_header(&c, &cells, offs, &hd, r) == -1)
		goto fail;
	/* A quoted value may span lines: a refusal names the line its record starts on. */
	while ((start = c.line + 1, nf = csv_record(&c, &cells, offs, MAX_COLS)) != 0) {
		if (nf < 0) {
			csv_refusal(nf, start, r);
			goto fail;
		}
		if (blank_record(&cells, offs, nf))
			continue;
		if (nf != hd.ncols) {
			result_set(r, RESULT_INVALID, "file",
			    "Line %d has %d columns but the header (line 1) has %d.", c.line, nf,
			    hd.ncols);
			goto fail;
		}
		if (++rows > USAGECSV_MAX_ROWS) {
			result_set(r, RESULT_INVALID, "file",
			    "The report has more than %d data lines; export a shorter period.",
			    USAGECSV_MAX_ROWS);
			goto fail;
		}
		if (usagecsv_row(&hd, &cells, offs, c.line, &list, &cnt, &cap, r) == -1)
			goto fail;
	}
	buf_free(&cells);
	if (rows == 0) {
		free(list);
		return result_set(r, RESULT_INVALID, "file",
		    "The report has a header but no data line.");
	}
	*out = list;
	*n = cnt;
	return 0;
fail:
	buf_free(&cells);
	free(list);
	return -1;
}
