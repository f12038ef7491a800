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
			return -1;
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

int
usagecsv_parse(const char *text, size_t len, struct usagecsv_sample **out, size_t *n,
    struct result *r)
{
	struct csv		 c;
	struct buf		 cells;
	size_t			 offs[MAX_COLS], cnt = 0, cap = 0;
	struct usagecsv_sample	*list = NULL, *tmp;
	int			 ncols, nf, i, date_col = -1, nsvc = 0, rows = 0;
	struct {
		const struct catalog_service *svc;
		int active, inactive;
	} svc[MAX_COLS];
	char			 name[128];
	long long		 a, in;
	int32_t			 day;

	*out = NULL;
	*n = 0;
	if (!text_utf8_valid(text, len))
		return result_set(r, RESULT_INVALID, "file", "the file is not UTF-8 text");
	/* Excel and the admin center write a byte order mark. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	c.p = text;
	c.end = text + len;
	c.line = 0;
	buf_init(&cells);
	if ((ncols = csv_record(&c, &cells, offs, MAX_COLS)) <= 0) {
		buf_free(&cells);
		return result_set(r, RESULT_INVALID, "file",
		    ncols == 0 ? "the file is empty" : "line 1: malformed CSV header");
	}
	memset(svc, 0, sizeof(svc));
	for (i = 0; i < ncols; i++) {
		const char *h = cells.data + offs[i];
		size_t hl;
		int dup;

		while (*h == ' ')
			h++;
		hl = strlen(h);
		while (hl > 0 && h[hl - 1] == ' ')
			hl--;
		/* Two columns of one name: whichever we read, the other is dropped unseen. */
		if (hl > 0 && (dup = usagecsv_header_seen(&cells, offs, i, h, hl)) >= 0) {
			buf_free(&cells);
			return result_set(r, RESULT_INVALID, "file",
			    "line 1: column %d \"%.*s\" repeats column %d; keep one of them",
			    i + 1, (int)(hl > 80 ? 80 : hl), h, dup + 1);
		}
		if (hl == strlen("Report Refresh Date") && strncasecmp(h, "Report Refresh Date", hl) == 0) {
			date_col = i;
			continue;
		}
		if (hl > 7 && strncasecmp(h + hl - 7, " Active", 7) == 0 && hl - 7 < sizeof(name)) {
			const struct catalog_service *cs;
			int k;

			memcpy(name, h, hl - 7);
			name[hl - 7] = '\0';
			if ((cs = catalog_service_by_report_name(name)) == NULL)
				continue;
			for (k = 0; k < nsvc && svc[k].svc != cs; k++)
				;
			if (k == nsvc) {
				svc[nsvc].svc = cs;
				svc[nsvc].inactive = -1;
				nsvc++;
			}
			svc[k].active = i + 1;	/* 1-based so 0 means "absent" */
		} else if (hl > 9 && strncasecmp(h + hl - 9, " Inactive", 9) == 0 && hl - 9 < sizeof(name)) {
			const struct catalog_service *cs;
			int k;

			memcpy(name, h, hl - 9);
			name[hl - 9] = '\0';
			if ((cs = catalog_service_by_report_name(name)) == NULL)
				continue;
			for (k = 0; k < nsvc && svc[k].svc != cs; k++)
				;
			if (k == nsvc) {
				svc[nsvc].svc = cs;
				nsvc++;
			}
			svc[k].inactive = i;
		}
	}
	if (date_col < 0) {
		buf_free(&cells);
		return result_set(r, RESULT_INVALID, "file",
		    "line 1: no \"Report Refresh Date\" column: is this the Microsoft 365 "
		    "\"Active users - services\" report?");
	}
	for (i = 0; i < nsvc; i++)
		if (svc[i].active == 0 || svc[i].inactive < 0) {
			buf_free(&cells);
			return result_set(r, RESULT_INVALID, "file",
			    "line 1: %s needs both an Active and an Inactive column",
			    svc[i].svc->report_name);
		}
	if (nsvc == 0) {
		buf_free(&cells);
		return result_set(r, RESULT_INVALID, "file",
		    "line 1: no \"<Service> Active\" / \"<Service> Inactive\" columns of a known service");
	}
	while ((nf = csv_record(&c, &cells, offs, MAX_COLS)) != 0) {
		int line = c.line;

		if (nf < 0) {
			result_set(r, RESULT_INVALID, "file", "line %d: malformed CSV", line);
			goto fail;
		}
		if (blank_record(&cells, offs, nf))
			continue;
		if (nf != ncols) {
			result_set(r, RESULT_INVALID, "file", "line %d: %d columns, the header has %d",
			    line, nf, ncols);
			goto fail;
		}
		if (++rows > USAGECSV_MAX_ROWS) {
			result_set(r, RESULT_INVALID, "file", "more than %d data lines", USAGECSV_MAX_ROWS);
			goto fail;
		}
		if (text_date_parse(cells.data + offs[date_col], &day) == -1) {
			result_set(r, RESULT_INVALID, "file",
			    "line %d: Report Refresh Date \"%.20s\" is not a date (YYYY-MM-DD)",
			    line, cells.data + offs[date_col]);
			goto fail;
		}
		for (i = 0; i < nsvc; i++) {
			const char *as = cells.data + offs[svc[i].active - 1];
			const char *is = cells.data + offs[svc[i].inactive];

			if (text_int_parse(as, 0, 1000000000LL, &a) == -1 ||
			    text_int_parse(is, 0, 1000000000LL, &in) == -1) {
				result_set(r, RESULT_INVALID, "file",
				    "line %d: %s counts \"%.20s\" / \"%.20s\" are not whole numbers",
				    line, svc[i].svc->report_name, as, is);
				goto fail;
			}
			if (a + in == 0)
				continue;
			if (cnt == cap) {
				cap = cap ? cap * 2 : 16;
				if ((tmp = realloc(list, cap * sizeof(*list))) == NULL) {
					result_set(r, RESULT_IO, NULL, "usage report: out of memory");
					goto fail;
				}
				list = tmp;
			}
			memset(&list[cnt], 0, sizeof(list[cnt]));
			text_copy(list[cnt].service, sizeof(list[cnt].service), svc[i].svc->key);
			text_date_format(day, list[cnt].measured_on, sizeof(list[cnt].measured_on));
			list[cnt].active = a;
			list[cnt].inactive = in;
			cnt++;
		}
	}
	buf_free(&cells);
	if (rows == 0) {
		free(list);
		return result_set(r, RESULT_INVALID, "file", "the report has a header but no data line");
	}
	*out = list;
	*n = cnt;
	return 0;
fail:
	buf_free(&cells);
	free(list);
	return -1;
}
