/* tplpot.c -- xgettext for templates: the {{#_}}text{{/_}} of each .mustache file as a POT catalog. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mustache.h"
#include "result.h"

struct pot {
	const char	*file;
	FILE		*out;
};

/* text as a PO string: one "..." line per source line, escaped as C strings are. */
static void
pot_string(FILE *out, const char *text, size_t len)
{
	size_t i;

	if (memchr(text, '\n', len) != NULL)
		fputs("\"\"\n", out);
	fputc('"', out);
	for (i = 0; i < len; i++) {
		switch (text[i]) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\t': fputs("\\t", out); break;
		case '\n':
			fputs(i + 1 < len ? "\\n\"\n\"" : "\\n", out);
			break;
		default: fputc(text[i], out); break;
		}
	}
	fputs("\"\n", out);
}

static int
pot_entry(void *arg, size_t start, size_t end, const char *msgid, size_t len, size_t line)
{
	struct pot *p = arg;

	(void)start;
	(void)end;
	fprintf(p->out, "\n#: %s:%zu\nmsgid ", p->file, line);
	pot_string(p->out, msgid, len);
	fputs("msgstr \"\"\n", p->out);
	return ferror(p->out) ? -1 : 0;
}

int
main(int argc, char *argv[])
{
	struct pot	 p = { .out = stdout };
	struct result	 r;
	struct buf	 src;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f;
	int		 i, rc = 0;

	if (argc < 2) {
		fputs("usage: tplpot TEMPLATE.mustache ... > templates.pot\n", stderr);
		return 2;
	}
	/* msgcat and msguniq need the charset of the non-ASCII msgids. */
	fputs("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n", stdout);
	for (i = 1; i < argc && rc == 0; i++) {
		if ((f = fopen(argv[i], "r")) == NULL) {
			fprintf(stderr, "tplpot: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		buf_init(&src);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&src, chunk, n);
		if (ferror(f) || src.failed) {
			fprintf(stderr, "tplpot: %s: cannot read\n", argv[i]);
			rc = 1;
		}
		fclose(f);
		p.file = argv[i];
		result_clear(&r);
		if (rc == 0 && mustache_i18n_scan(buf_cstr(&src), src.len, pot_entry, &p, &r) == -1) {
			fprintf(stderr, "tplpot: %s: %s\n", argv[i], r.message);
			rc = 1;
		}
		buf_free(&src);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tplpot: write: %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}
