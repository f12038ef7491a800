/* csv.c -- the one CSV writer: RFC 4180 quoting, CRLF, UTF-8 BOM, formula-injection guard. */
#include "autoconfig.h"

#include <string.h>

#include "csv.h"

void
csv_begin(struct csv *c, struct buf *out)
{
	c->out = out;
	c->in_row = 0;
	buf_puts(out, "\xEF\xBB\xBF");
}

/* Whether a spreadsheet would read s as a formula (or a DDE call). */
static int
csv_formula_like(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	    s[0] == '\r';
}

int
csv_cell(struct csv *c, const char *text)
{
	const char	*s = text ? text : "";
	int		 quote = strpbrk(s, ",\"\r\n") != NULL;

	if (c->in_row)
		buf_putc(c->out, ',');
	c->in_row = 1;
	if (quote)
		buf_putc(c->out, '"');
	if (csv_formula_like(s))
		buf_putc(c->out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(c->out, '"');
		buf_putc(c->out, (unsigned char)*s);
	}
	if (quote)
		buf_putc(c->out, '"');
	return c->out->failed ? -1 : 0;
}

int
csv_cell_int(struct csv *c, long long v)
{
	if (c->in_row)
		buf_putc(c->out, ',');
	c->in_row = 1;
	buf_printf(c->out, "%lld", v);
	return c->out->failed ? -1 : 0;
}

int
csv_row_end(struct csv *c)
{
	c->in_row = 0;
	buf_puts(c->out, "\r\n");
	return c->out->failed ? -1 : 0;
}

int
csv_row(struct csv *c, const char *const *cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		csv_cell(c, cells[i]);
	return csv_row_end(c);
}
