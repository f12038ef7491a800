/* mustache.c -- Mustache templates compiled once to a flat node list, rendered from json-c. */
#include "autoconfig.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mustache.h"
#include "mustache_impl.h"

/* Sections nested deeper than this in one template are refused at compile time. */
#define MUSTACHE_MAX_NESTING	64
/* Partials nested deeper than this fail the render (a partial including itself forever). */
#define MUSTACHE_MAX_PARTIAL_DEPTH 32
/*
 * Nodes visited by one render before it gives up: a partial that includes
 * itself inside a list section grows exponentially long before the depth
 * limit stops it.  Our largest pages visit a few thousand.
 */
#define MUSTACHE_MAX_STEPS	(1L << 24)

enum node_type {
	NODE_TEXT,	/* src[off, off+len) verbatim */
	NODE_VAR,	/* {{name}}: HTML-escaped value */
	NODE_RAW,	/* {{{name}}} or {{&name}}: value as is */
	NODE_SECTION,	/* {{#name}} ... {{/name}}; children are (this, end) */
	NODE_INVERTED,	/* {{^name}} ... {{/name}} */
	NODE_PARTIAL	/* {{>name}}; ind/indlen is the standalone indentation */
};

/*
 * One compiled tag or text run.  Names live in the template's name arena
 * split at '.' into NUL-terminated parts, ready for json_object_object_get_ex;
 * nparts 0 is the implicit iterator ".".
 *
 * Indentation of standalone partials (spec: partials.json "Standalone
 * Indentation") works as if the partial's source had the indentation
 * inserted at the start of each of its lines: a node that starts a source
 * line has bol set, a text node also indents after each inner newline, and a
 * section whose non-standalone close tag starts a line has close_bol set.
 */
struct node {
	unsigned char	 type;
	unsigned char	 bol;		/* starts a line of the source */
	unsigned char	 close_bol;	/* section: close tag starts a line */
	unsigned char	 standalone;	/* partial: tag was alone on its line */
	unsigned	 nparts;	/* name parts */
	size_t		 off, len;	/* text: span of src; tag: name in arena */
	size_t		 raw, rawlen;	/* tag: name as written, span of src */
	size_t		 ind, indlen;	/* partial: indentation, span of src */
	size_t		 end;		/* section: index of the node after its children */
};

struct mustache_tpl {
	char		*src;
	size_t		 len;
	struct node	*nodes;
	size_t		 nnodes, cap;
	struct buf	 names;		/* name parts, each NUL-terminated */
};

/* A partial compiled for one mustache_render call (callback mode). */
struct local_partial {
	char			*name;
	struct mustache_tpl	*tpl;	/* NULL: the callback did not know it */
	struct local_partial	*next;
};

struct render {
	json_object		**stack;	/* context stack, top at depth - 1 */
	size_t			  depth, cap;
	mustache_partial_fn	  fn;
	void			 *arg;
	struct mustache_set	 *set;
	size_t			  lang;		/* index in set->langs */
	struct local_partial	 *locals;
	int			  partial_depth;
	long			  steps;	/* nodes visited, up to MUSTACHE_MAX_STEPS */
	/*
	 * The current indentation is the concatenation of ind[ind_first,
	 * ind_n): one piece per enclosing standalone partial, each a span of
	 * that partial's caller's source, which outlives the render.
	 */
	struct {
		const char	*s;
		size_t		 len;
	}			  ind[MUSTACHE_MAX_PARTIAL_DEPTH];
	int			  ind_first, ind_n;
	struct buf		 *out;
	struct result		 *r;
};


/* ---------------------------------------------------------------- compile */

struct compiler {
	struct mustache_tpl	*t;
	const char		*s;	/* t->src */
	size_t			 len;
	size_t			 lpos;	/* line is the line number of s[lpos] */
	unsigned		 line;
	size_t			 open[MUSTACHE_MAX_NESTING]; /* indexes of open sections */
	unsigned		 open_line[MUSTACHE_MAX_NESTING];
	int			 nopen;
	int			 pending_bol; /* a dropped tag started the line */
	struct result		*r;
};

/* Line number (from 1) of position pos; positions are asked in increasing order. */
static unsigned
line_at(struct compiler *c, size_t pos)
{
	for (; c->lpos < pos; c->lpos++)
		if (c->s[c->lpos] == '\n')
			c->line++;
	return c->line;
}

static int
at_line_start(const struct compiler *c, size_t pos)
{
	return pos == 0 || c->s[pos - 1] == '\n';
}

static struct node *
node_add(struct compiler *c, enum node_type type)
{
	struct mustache_tpl	*t = c->t;
	struct node		*n;

	if ((n = buf_array_room(t->nodes, t->nnodes, &t->cap, sizeof(*n), 16)) == NULL) {
		result_set(c->r, RESULT_IO, NULL, "out of memory compiling template");
		return NULL;
	}
	t->nodes = n;
	n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = (unsigned char)type;
	return n;
}

static int
text_add(struct compiler *c, size_t from, size_t to)
{
	struct node *n;

	if (from == to && !c->pending_bol)
		return 0;
	if ((n = node_add(c, NODE_TEXT)) == NULL)
		return -1;
	n->off = from;
	n->len = to - from;
	n->bol = at_line_start(c, from) || c->pending_bol;
	c->pending_bol = 0;
	return 0;
}

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

/* Store the name s[from, to) split at '.' in the arena; "." is the implicit iterator. */
static int
name_set(struct compiler *c, struct node *n, size_t from, size_t to)
{
	struct buf	*a = &c->t->names;
	size_t		 i, start;

	n->raw = from;
	n->rawlen = to - from;
	n->off = a->len;
	n->nparts = 0;
	if (to - from == 1 && c->s[from] == '.') {
		n->len = 0;
		return 0;
	}
	for (start = i = from; i <= to; i++) {
		if (i < to && c->s[i] != '.')
			continue;
		buf_append(a, c->s + start, i - start);
		buf_putc(a, '\0');
		n->nparts++;
		start = i + 1;
	}
	n->len = a->len - n->off;
	if (a->failed)
		return result_set(c->r, RESULT_IO, NULL, "out of memory compiling template");
	return 0;
}

/* Find needle in s[from, len); returns its position or len. */
static size_t
find(const char *s, size_t len, size_t from, const char *needle, size_t nlen)
{
	const char *p;

	if (from > len || nlen > len - from)
		return len;
	p = memmem(s + from, len - from, needle, nlen);
	return p == NULL ? len : (size_t)(p - s);
}

/*
 * {{=<% %>=}}: the two new delimiters, separated by blanks, neither empty
 * nor containing '=' or blanks (spec: delimiters.json).
 */
static int
delimiters_set(struct compiler *c, size_t from, size_t to, unsigned line,
    size_t *otag, size_t *otaglen, size_t *ctag, size_t *ctaglen)
{
	size_t a, b, d, e, i;

	for (a = from; a < to && is_blank(c->s[a]); a++)
		;
	for (b = a; b < to && !is_blank(c->s[b]); b++)
		;
	for (d = b; d < to && is_blank(c->s[d]); d++)
		;
	for (e = d; e < to && !is_blank(c->s[e]); e++)
		;
	for (i = e; i < to && is_blank(c->s[i]); i++)
		;
	if (a == b || d == e || i != to)
		goto bad;
	for (i = a; i < e; i++)
		if (c->s[i] == '=' && (i < b || i >= d))
			goto bad;
	*otag = a;
	*otaglen = b - a;
	*ctag = d;
	*ctaglen = e - d;
	return 0;
bad:
	return result_set(c->r, RESULT_INVALID, NULL,
	    "line %u: bad set-delimiter tag \"%.*s\": want two delimiters without '=' or blanks",
	    line, (int)(to - from > 40 ? 40 : to - from), c->s + from);
}

/* One tag as the compiler found it: offsets into the template. */
struct tag {
	size_t		 t, cs, ce, te;	/* open, name start, name end, after the close */
	size_t		 ls, after;	/* what the tag takes: its whole line if standalone */
	size_t		 nfrom, nto;	/* the name, trimmed */
	unsigned	 line;
	char		 type;		/* '\0' for a variable, else the sigil */
	int		 standalone, bol;
};

/* Find the close of the tag opened at tg->t: ctag, or "}" / "=" then ctag for {{{x}}} and {{=a b=}}. */
static int
tag_close(struct compiler *c, struct tag *tg, const char *ct, size_t ctaglen)
{
	const char	*s = c->s;
	size_t		 len = c->len, q;

	for (q = tg->cs;; q++) {
		q = find(s, len, q, ct, ctaglen);
		if (q == len)
			return result_set(c->r, RESULT_INVALID, NULL,
			    "line %u: unclosed tag \"%.*s\"", tg->line,
			    (int)(len - tg->t > 20 ? 20 : len - tg->t), s + tg->t);
		if (tg->type != '{' && tg->type != '=')
			break;
		if (q > tg->cs && s[q - 1] == (tg->type == '{' ? '}' : '='))
			break;
	}
	tg->ce = (tg->type == '{' || tg->type == '=') ? q - 1 : q;
	tg->te = q + ctaglen;
	return 0;
}

/*
 * Standalone: a block, partial, comment or delimiter tag alone on its line
 * but for blanks; the whole line goes (spec overview).  p is where the
 * text before the tag starts.
 */
static void
tag_standalone(struct compiler *c, struct tag *tg, size_t p)
{
	const char	*s = c->s;
	size_t		 len = c->len, ls = tg->t, after = tg->te;

	tg->standalone = 0;
	tg->ls = tg->t;
	tg->after = tg->te;
	if (tg->type == '\0' || tg->type == '{' || tg->type == '&')
		return;
	while (ls > p && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
		ls--;
	if (!at_line_start(c, ls))
		return;
	while (after < len && (s[after] == ' ' || s[after] == '\t'))
		after++;
	if (after == len)
		tg->standalone = 1;
	else if (s[after] == '\n')
		tg->standalone = 1, after++;
	else if (s[after] == '\r' && after + 1 < len && s[after + 1] == '\n')
		tg->standalone = 1, after += 2;
	if (tg->standalone) {
		tg->ls = ls;
		tg->after = after;
	}
}

/* {{#name}} or {{^name}}: a section opens. */
static int
tag_open_section(struct compiler *c, const struct tag *tg)
{
	struct node *n;

	if (c->nopen == MUSTACHE_MAX_NESTING)
		return result_set(c->r, RESULT_INVALID, NULL,
		    "line %u: sections nested deeper than %d", tg->line, MUSTACHE_MAX_NESTING);
	if ((n = node_add(c, tg->type == '#' ? NODE_SECTION : NODE_INVERTED)) == NULL ||
	    name_set(c, n, tg->nfrom, tg->nto) == -1)
		return -1;
	n->bol = (unsigned char)tg->bol;
	c->open[c->nopen] = c->t->nnodes - 1;
	c->open_line[c->nopen++] = tg->line;
	return 0;
}

/* {{/name}}: it must close the innermost open section. */
static int
tag_close_section(struct compiler *c, const struct tag *tg)
{
	const char	*s = c->s;
	struct node	*open;

	if (c->nopen == 0)
		return result_set(c->r, RESULT_INVALID, NULL,
		    "line %u: close tag \"%.*s\" without an open section",
		    tg->line, (int)(tg->nto - tg->nfrom), s + tg->nfrom);
	open = &c->t->nodes[c->open[c->nopen - 1]];
	if (open->rawlen != tg->nto - tg->nfrom ||
	    memcmp(s + open->raw, s + tg->nfrom, open->rawlen) != 0)
		return result_set(c->r, RESULT_INVALID, NULL,
		    "line %u: close tag \"%.*s\" does not match section \"%.*s\" opened at line %u",
		    tg->line, (int)(tg->nto - tg->nfrom), s + tg->nfrom,
		    (int)open->rawlen, s + open->raw, c->open_line[c->nopen - 1]);
	open->end = c->t->nnodes;
	open->close_bol = (unsigned char)tg->bol;
	c->nopen--;
	return 0;
}

/* {{>name}}: a partial; standalone ones carry their indentation. */
static int
tag_partial(struct compiler *c, const struct tag *tg)
{
	struct node *n;

	if ((n = node_add(c, NODE_PARTIAL)) == NULL)
		return -1;
	n->raw = tg->nfrom;
	n->rawlen = tg->nto - tg->nfrom;
	/* A partial's name is one string: no dotted lookup. */
	n->off = c->t->names.len;
	buf_append(&c->t->names, c->s + tg->nfrom, tg->nto - tg->nfrom);
	buf_putc(&c->t->names, '\0');
	if (c->t->names.failed)
		return result_set(c->r, RESULT_IO, NULL,
		    "out of memory compiling template");
	n->nparts = 1;
	n->len = tg->nto - tg->nfrom + 1;
	n->bol = (unsigned char)tg->bol;
	n->standalone = (unsigned char)tg->standalone;
	if (tg->standalone) {
		n->ind = tg->ls;
		n->indlen = tg->t - tg->ls;
	}
	return 0;
}

static int
compile(struct compiler *c)
{
	const char	*s = c->s;
	size_t		 len = c->len;
	size_t		 otag = 0, otaglen = 2, ctag = 0, ctaglen = 2;
	const char	*ot = "{{", *ct = "}}";
	size_t		 p = 0;
	struct tag	 tg;
	struct node	*n, *open;

	for (;;) {
		memset(&tg, 0, sizeof(tg));
		tg.t = find(s, len, p, ot, otaglen);
		if (tg.t == len)
			break;
		tg.line = line_at(c, tg.t);
		tg.cs = tg.t + otaglen;
		tg.type = tg.cs < len ? s[tg.cs] : '\0';
		if (tg.type != '\0' && strchr("{=!#^/>&", tg.type) != NULL)
			tg.cs++;
		else
			tg.type = '\0';
		if (tag_close(c, &tg, ct, ctaglen) == -1)
			return -1;
		tag_standalone(c, &tg, p);
		if (text_add(c, p, tg.ls) == -1)
			return -1;
		tg.bol = !tg.standalone && (at_line_start(c, tg.t) || c->pending_bol);
		c->pending_bol = 0;
		p = tg.after;

		/* The name, trimmed. */
		for (tg.nfrom = tg.cs; tg.nfrom < tg.ce && is_blank(s[tg.nfrom]); tg.nfrom++)
			;
		for (tg.nto = tg.ce; tg.nto > tg.nfrom && is_blank(s[tg.nto - 1]); tg.nto--)
			;
		if (tg.type != '!' && tg.type != '=' && tg.nfrom == tg.nto)
			return result_set(c->r, RESULT_INVALID, NULL,
			    "line %u: empty tag \"%.*s\"", tg.line, (int)(tg.te - tg.t), s + tg.t);

		switch (tg.type) {
		case '!':
			c->pending_bol = tg.bol;
			break;
		case '=':
			if (delimiters_set(c, tg.cs, tg.ce, tg.line, &otag, &otaglen, &ctag,
			    &ctaglen) == -1)
				return -1;
			ot = s + otag;
			ct = s + ctag;
			c->pending_bol = tg.bol;
			break;
		case '#': case '^':
			if (tag_open_section(c, &tg) == -1)
				return -1;
			break;
		case '/':
			if (tag_close_section(c, &tg) == -1)
				return -1;
			break;
		case '>':
			if (tag_partial(c, &tg) == -1)
				return -1;
			break;
		default:	/* '\0', '{', '&': a variable, escaped or raw */
			if ((n = node_add(c, tg.type == '\0' ? NODE_VAR : NODE_RAW)) == NULL ||
			    name_set(c, n, tg.nfrom, tg.nto) == -1)
				return -1;
			n->bol = (unsigned char)tg.bol;
			break;
		}
	}
	if (c->nopen > 0) {
		open = &c->t->nodes[c->open[c->nopen - 1]];
		return result_set(c->r, RESULT_INVALID, NULL,
		    "line %u: section \"%.*s\" is never closed", c->open_line[c->nopen - 1],
		    (int)open->rawlen, s + open->raw);
	}
	return text_add(c, p, len);
}

int
mustache_compile(const char *src, size_t len, struct mustache_tpl **tplp, struct result *r)
{
	struct mustache_tpl	*t;
	struct compiler		 c;

	*tplp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->src = malloc(len + 1)) == NULL) {
		free(t);
		return result_set(r, RESULT_IO, NULL, "out of memory compiling template (%zu bytes)", len);
	}
	if (len > 0)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.s = t->src;
	c.len = len;
	c.line = 1;
	c.r = r;
	if (compile(&c) == -1) {
		mustache_free(t);
		return -1;
	}
	*tplp = t;
	return 0;
}

void
mustache_free(struct mustache_tpl *t)
{
	if (t == NULL)
		return;
	free(t->src);
	free(t->nodes);
	buf_free(&t->names);
	free(t);
}

/* ----------------------------------------------------------------- render */

static int
render_nodes(struct render *, const struct mustache_tpl *, size_t, size_t);

static int
push(struct render *st, json_object *v)
{
	json_object	**ns;

	if ((ns = buf_array_room(st->stack, st->depth, &st->cap, sizeof(*ns), 32)) == NULL)
		return result_set(st->r, RESULT_IO, NULL, "out of memory rendering template");
	st->stack = ns;
	st->stack[st->depth++] = v;
	return 0;
}

/*
 * Spec name resolution: the first part is looked up from the top of the
 * context stack down, and the first context having that key wins even when
 * the rest of the chain then misses ("Dotted Names - Context Precedence").
 */
static json_object *
lookup(const struct render *st, const struct mustache_tpl *t, const struct node *n)
{
	const char	*part;
	json_object	*v = NULL;
	size_t		 k;
	unsigned	 i;

	if (n->nparts == 0)
		return st->depth > 0 ? st->stack[st->depth - 1] : NULL;
	/* Only now: "{{.}}" has no name, and names.data is NULL in a template without any. */
	part = t->names.data + n->off;
	for (k = st->depth; k > 0; k--)
		if (json_object_is_type(st->stack[k - 1], json_type_object) &&
		    json_object_object_get_ex(st->stack[k - 1], part, &v))
			break;
	if (k == 0)
		return NULL;
	for (i = 1; i < n->nparts; i++) {
		part += strlen(part) + 1;
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, part, &v))
			return NULL;
	}
	return v;
}

/* false, null, [] and "" are falsy; 0 and {} are truthy, as in Ruby's reference implementation. */
static int
truthy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	default:
		return 1;
	}
}

static void
emit_indent(struct render *st)
{
	int i;

	for (i = st->ind_first; i < st->ind_n; i++)
		buf_append(st->out, st->ind[i].s, st->ind[i].len);
}

/* Text from the template, indented after each inner newline inside an indented partial. */
static void
emit_text(struct render *st, const char *s, size_t len, int bol)
{
	const char *nl;

	if (st->ind_first == st->ind_n) {
		buf_append(st->out, s, len);
		return;
	}
	if (bol)
		emit_indent(st);
	while (len > 0 && (nl = memchr(s, '\n', len)) != NULL) {
		buf_append(st->out, s, (size_t)(nl - s) + 1);
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
		if (len > 0)
			emit_indent(st);
	}
	buf_append(st->out, s, len);
}

/* Append s escaped for HTML text and attribute values: & < > " ' (OWASP rule #1). */
static void
emit_escaped(struct buf *out, const char *s, size_t len)
{
	/* Index into rep by byte: 0 is "as is". */
	static const unsigned char which[256] = {
		['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
	};
	static const struct {
		const char	*s;
		size_t		 len;
	} rep[] = {
		{ "", 0 }, { "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 }, { "&quot;", 6 },
		{ "&#39;", 5 },
	};
	size_t		 i, run = 0;
	unsigned	 w;

	for (i = 0; i < len; i++) {
		if ((w = which[(unsigned char)s[i]]) == 0)
			continue;
		buf_append(out, s + run, i - run);
		buf_append(out, rep[w].s, rep[w].len);
		run = i + 1;
	}
	buf_append(out, s + run, len - run);
}

/* Decimal digits of v into the end of dst[40]; returns where they start. */
static char *
format_u64(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return end;
}

/*
 * The shortest decimal that reads back as the same double, so 1.21 prints
 * as "1.21" (spec: interpolation.json "Basic Decimal Interpolation").
 *
 * Fast path, for the scores and percentages pages show: the fewest k <= 4
 * decimals with m / 10^k == d.  Both m (< 2^53) and 10^k are exact, so the
 * IEEE division is correctly rounded just as strtod("m.e-k") is: the string
 * reads back as d, and no shorter one does since fewer decimals failed.
 * Otherwise "%.15g", then 16 and 17 digits: any decimal of at most DBL_DIG
 * (15) digits survives a round trip, so when "%.15g" reads back it already
 * is the shortest (subnormals excepted).  Assumes the "C" locale, which
 * our programs never change.
 */
static size_t
format_double(char dst[40], double d)
{
	static const double	 p10[] = { 1, 10, 100, 1000, 10000 };
	char			 tmp[40], *e = tmp + sizeof(tmp), *q;
	double			 a = d < 0 ? -d : d;
	uint64_t		 m, ip, fp;
	size_t			 n;
	int			 k, j, prec, len = 0;

	if (a < 1e9) {
		for (k = 0; k <= 4; k++) {
			m = (uint64_t)(a * p10[k] + 0.5);
			if ((double)m / p10[k] != a)
				continue;
			ip = m / (uint64_t)p10[k];
			fp = m % (uint64_t)p10[k];
			q = e;
			if (k > 0) {
				for (j = 0; j < k; j++, fp /= 10)
					*--q = (char)('0' + fp % 10);
				*--q = '.';
			}
			q = format_u64(q, ip);
			if (d < 0 && m != 0)
				*--q = '-';
			n = (size_t)(e - q);
			memcpy(dst, q, n);
			return n;
		}
	}
	/* Subnormals carry fewer digits than DBL_DIG: search them from 1. */
	for (prec = a < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
		len = snprintf(dst, 40, "%.*g", prec, d);
		if (len < 0)
			return 0;
		if (strtod(dst, NULL) == d || d != d)
			break;
	}
	return (size_t)len;
}

static void
emit_value(struct render *st, json_object *v, int escape)
{
	char		 num[40], *q;
	const char	*s;
	size_t		 len;
	int64_t		 i;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return;
	case json_type_string:
		s = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
		break;
	case json_type_boolean:
		s = json_object_get_boolean(v) ? "true" : "false";
		len = strlen(s);
		break;
	case json_type_int:
		/* json-c keeps integers above INT64_MAX as uint64 and clamps get_int64. */
		i = json_object_get_int64(v);
		if (i == INT64_MAX)
			q = format_u64(num + sizeof(num), json_object_get_uint64(v));
		else if (i < 0) {
			q = format_u64(num + sizeof(num), (uint64_t)0 - (uint64_t)i);
			*--q = '-';
		} else
			q = format_u64(num + sizeof(num), (uint64_t)i);
		s = q;
		len = (size_t)(num + sizeof(num) - q);
		break;
	case json_type_double:
		len = format_double(num, json_object_get_double(v));
		s = num;
		break;
	default:
		/* Objects and arrays print as JSON, which the spec leaves open. */
		s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		len = strlen(s);
		break;
	}
	if (escape)
		emit_escaped(st->out, s, len);
	else
		buf_append(st->out, s, len);
}

/* Partial `name`: from the set, or through the callback (then compiled once per render). */
static int
partial_get(struct render *st, const char *name, const struct mustache_tpl **tpl)
{
	struct local_partial	*lp;
	struct buf		 src;
	struct result		 sub;

	*tpl = NULL;
	if (st->set != NULL)
		return mustache_set_get(st->set, name, st->lang, tpl, st->r);
	for (lp = st->locals; lp != NULL; lp = lp->next)
		if (strcmp(lp->name, name) == 0) {
			*tpl = lp->tpl;
			return 0;
		}
	if ((lp = calloc(1, sizeof(*lp))) == NULL || (lp->name = strdup(name)) == NULL) {
		free(lp);
		return result_set(st->r, RESULT_IO, NULL, "out of memory loading partial \"%s\"", name);
	}
	lp->next = st->locals;
	st->locals = lp;
	if (st->fn == NULL)
		return 0;
	buf_init(&src);
	if (st->fn(st->arg, name, &src) == -1) {
		buf_free(&src);
		return 0;
	}
	if (src.failed) {
		buf_free(&src);
		return result_set(st->r, RESULT_IO, NULL, "out of memory loading partial \"%s\"", name);
	}
	result_clear(&sub);
	if (mustache_compile(buf_cstr(&src), src.len, &lp->tpl, &sub) == -1) {
		buf_free(&src);
		return result_set(st->r, sub.code, NULL, "partial \"%s\": %s", name, sub.message);
	}
	buf_free(&src);
	*tpl = lp->tpl;
	return 0;
}

static int
render_partial(struct render *st, const struct mustache_tpl *t, const struct node *n)
{
	const struct mustache_tpl	*p;
	const char			*name = t->names.data + n->off;
	int				 save_first = st->ind_first, save_n = st->ind_n;
	int				 rc;

	if (st->partial_depth >= MUSTACHE_MAX_PARTIAL_DEPTH)
		return result_set(st->r, RESULT_INVALID, NULL,
		    "partials nested deeper than %d at \"%s\": does a partial include itself?",
		    MUSTACHE_MAX_PARTIAL_DEPTH, name);
	if (partial_get(st, name, &p) == -1)
		return -1;
	if (p == NULL)
		return 0;
	/*
	 * A standalone partial is indented by its tag's indentation on top of
	 * the current one; an inline partial's lines are not indented at all.
	 */
	if (n->standalone) {
		if (n->indlen > 0) {
			/* ind_n <= partial_depth < MUSTACHE_MAX_PARTIAL_DEPTH */
			st->ind[st->ind_n].s = t->src + n->ind;
			st->ind[st->ind_n++].len = n->indlen;
		}
	} else
		st->ind_first = st->ind_n;
	st->partial_depth++;
	rc = render_nodes(st, p, 0, p->nnodes);
	st->partial_depth--;
	st->ind_first = save_first;
	st->ind_n = save_n;
	return rc;
}

static int
render_nodes(struct render *st, const struct mustache_tpl *t, size_t from, size_t to)
{
	const struct node	*n;
	json_object		*v;
	size_t			 i, k, cnt;
	int			 list;

	for (i = from; i < to;) {
		n = &t->nodes[i];
		if (++st->steps > MUSTACHE_MAX_STEPS)
			return result_set(st->r, RESULT_INVALID, NULL,
			    "template too expensive: over %ld tags rendered", MUSTACHE_MAX_STEPS);
		if (n->bol && n->type != NODE_TEXT)
			emit_indent(st);
		switch (n->type) {
		case NODE_TEXT:
			emit_text(st, t->src + n->off, n->len, n->bol);
			i++;
			break;
		case NODE_VAR:
		case NODE_RAW:
			emit_value(st, lookup(st, t, n), n->type == NODE_VAR);
			i++;
			break;
		case NODE_SECTION:
			v = lookup(st, t, n);
			if (!truthy(v)) {
				i = n->end;
				break;
			}
			list = json_object_is_type(v, json_type_array);
			cnt = list ? json_object_array_length(v) : 1;
			for (k = 0; k < cnt; k++) {
				if (push(st, list ? json_object_array_get_idx(v, k) : v) == -1)
					return -1;
				if (render_nodes(st, t, i + 1, n->end) == -1)
					return -1;
				if (n->close_bol)
					emit_indent(st);
				st->depth--;
			}
			i = n->end;
			break;
		case NODE_INVERTED:
			if (!truthy(lookup(st, t, n))) {
				if (render_nodes(st, t, i + 1, n->end) == -1)
					return -1;
				if (n->close_bol)
					emit_indent(st);
			}
			i = n->end;
			break;
		case NODE_PARTIAL:
			if (render_partial(st, t, n) == -1)
				return -1;
			i++;
			break;
		}
	}
	return 0;
}

static int
render_top(struct render *st, const struct mustache_tpl *tpl, json_object *view)
{
	struct local_partial	*lp;
	int			 rc;

	rc = push(st, view);
	if (rc == 0)
		rc = render_nodes(st, tpl, 0, tpl->nnodes);
	if (rc == 0 && st->out->failed)
		rc = result_set(st->r, RESULT_IO, NULL, "out of memory rendering template");
	while ((lp = st->locals) != NULL) {
		st->locals = lp->next;
		mustache_free(lp->tpl);
		free(lp->name);
		free(lp);
	}
	free(st->stack);
	return rc;
}

int
mustache_render(const struct mustache_tpl *tpl, json_object *view,
    mustache_partial_fn partial, void *arg, struct buf *out, struct result *r)
{
	struct render st;

	memset(&st, 0, sizeof(st));
	st.fn = partial;
	st.arg = arg;
	st.out = out;
	st.r = r;
	return render_top(&st, tpl, view);
}

int
mustache_render_in_set(const struct mustache_tpl *tpl, json_object *view,
    struct mustache_set *set, size_t lang, struct buf *out, struct result *r)
{
	struct render st;

	memset(&st, 0, sizeof(st));
	st.set = set;
	st.lang = lang;
	st.out = out;
	st.r = r;
	return render_top(&st, tpl, view);
}
