/* mustache_i18n.c -- the translatable text of templates: {{#_}}text{{/_}}, found and replaced per language. */
#include "autoconfig.h"

#include <string.h>

#include "buf.h"
#include "mustache.h"
#include "result.h"

#define OPEN	"{{#_}}"
#define CLOSE	"{{/_}}"
#define OPENLEN	(sizeof(OPEN) - 1)
#define CLOSELEN (sizeof(CLOSE) - 1)

/* Line (from 1) of offset off in src. */
static size_t
line_of(const char *src, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++)
		if (src[i] == '\n')
			line++;
	return line;
}

/* The next occurrence of needle in src[from, len), or len. */
static size_t
find(const char *src, size_t len, size_t from, const char *needle, size_t n)
{
	size_t i;

	for (i = from; i + n <= len; i++)
		if (src[i] == needle[0] && memcmp(src + i, needle, n) == 0)
			return i;
	return len;
}

int
mustache_i18n_scan(const char *src, size_t len, mustache_msgid_fn fn, void *arg,
    struct result *r)
{
	size_t	 at = 0, open, text, close, bad;

	while ((open = find(src, len, at, OPEN, OPENLEN)) < len) {
		text = open + OPENLEN;
		close = find(src, len, text, CLOSE, CLOSELEN);
		if (close == len)
			return result_set(r, RESULT_INVALID, NULL,
			    "line %zu: " OPEN " is not closed by " CLOSE, line_of(src, open));
		/* The text is a msgid: a section inside it would be translated twice, or not at all. */
		if ((bad = find(src, close, text, "{{#", 3)) < close ||
		    (bad = find(src, close, text, "{{^", 3)) < close ||
		    (bad = find(src, close, text, "{{/", 3)) < close ||
		    (bad = find(src, close, text, "{{>", 3)) < close ||
		    (bad = find(src, close, text, "{{=", 3)) < close)
			return result_set(r, RESULT_INVALID, NULL,
			    "line %zu: only text and {{name}} tags may stand inside " OPEN "..." CLOSE,
			    line_of(src, bad));
		if (close == text)
			return result_set(r, RESULT_INVALID, NULL, "line %zu: empty " OPEN CLOSE,
			    line_of(src, open));
		if (fn(arg, open, close + CLOSELEN, src + text, close - text,
		    line_of(src, open)) == -1)
			return result_set(r, RESULT_IO, NULL, "line %zu: out of memory",
			    line_of(src, open));
		at = close + CLOSELEN;
	}
	/* A stray CLOSE stays in the source: compiling it fails as an unopened section. */
	return 0;
}

struct apply {
	const char		*src;
	size_t			 copied;	/* src bytes already in out */
	const char		*lang;
	mustache_translate_fn	 tr;
	void			*arg;
	struct buf		*out;
	struct buf		 msgid;
};

static int
apply_one(void *arg, size_t start, size_t end, const char *text, size_t len, size_t line)
{
	struct apply	*a = arg;
	const char	*t;

	(void)line;
	buf_append(a->out, a->src + a->copied, start - a->copied);
	buf_reset(&a->msgid);
	buf_append(&a->msgid, text, len);
	if (a->msgid.failed)
		return -1;
	t = a->tr != NULL ? a->tr(a->arg, a->lang, buf_cstr(&a->msgid)) : NULL;
	if (t != NULL)
		buf_puts(a->out, t);
	else
		buf_append(a->out, text, len);
	a->copied = end;
	return a->out->failed ? -1 : 0;
}

int
mustache_i18n_apply(const char *src, size_t len, const char *lang, mustache_translate_fn tr,
    void *arg, struct buf *out, struct result *r)
{
	struct apply	 a = { .src = src, .lang = lang, .tr = tr, .arg = arg, .out = out };
	int		 rc;

	buf_init(&a.msgid);
	rc = mustache_i18n_scan(src, len, apply_one, &a, r);
	buf_free(&a.msgid);
	if (rc == -1)
		return -1;
	buf_append(out, src + a.copied, len - a.copied);
	if (out->failed)
		return result_set(r, RESULT_IO, NULL, "out of memory translating a template");
	return 0;
}
