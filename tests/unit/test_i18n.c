/* test_i18n.c -- language negotiation, the template text markers, and pages rendered from the real pt_BR catalog. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "buf.h"
#include "i18n.h"
#include "mustache.h"
#include "result.h"
#include "tmpdir.h"
#include "unit.h"

static void
test_negotiate(void **state)
{
	static const struct {
		const char *profile, *accept, *fallback, *want;
	} rows[] = {
		/* The profile wins; an unset or unknown one does not count. */
		{ "pt-BR", "en", "en", "pt-BR" },
		{ "en", "pt-BR", "pt-BR", "en" },
		{ "", "pt-BR", "en", "pt-BR" },
		{ "fr", NULL, "en", "en" },
		/* Accept-Language: order by q, ranges by their primary tag, case-insensitive. */
		{ NULL, "pt-BR,pt;q=0.9,en;q=0.8", "en", "pt-BR" },
		{ NULL, "en-US,en;q=0.9,pt;q=0.8", "pt-BR", "en" },
		{ NULL, "de, pt;q=0.5, en;q=0.4", "en", "pt-BR" },
		{ NULL, "de, en;q=0.9, pt;q=0.95", "en", "pt-BR" },
		{ NULL, "PT-br", "en", "pt-BR" },
		{ NULL, "pt-PT", "en", "pt-BR" },
		{ NULL, "pt_BR", "en", "pt-BR" },
		/* "ptx" is not Portuguese; q=0 means "not this". */
		{ NULL, "ptx", "en", "en" },
		{ NULL, "pt;q=0, en;q=0.1", "pt-BR", "en" },
		{ NULL, "pt;q=0", "en", "en" },
		/* "*" is the fallback; nothing usable is the fallback too. */
		{ NULL, "de, *;q=0.5", "pt-BR", "pt-BR" },
		{ NULL, "", "pt-BR", "pt-BR" },
		{ NULL, NULL, "pt-BR", "pt-BR" },
		{ NULL, ";;;,,, q=,", "en", "en" },
		{ NULL, "de", "xx", "en" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *got = i18n_negotiate(rows[i].profile, rows[i].accept, rows[i].fallback);

		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu (profile %s, Accept-Language \"%s\"): got %s, want %s", i,
			    rows[i].profile ? rows[i].profile : "NULL",
			    rows[i].accept ? rows[i].accept : "NULL", got, rows[i].want);
	}
	assert_string_equal(i18n_tag("pt_br"), "pt-BR");
	assert_string_equal(i18n_tag("EN"), "en");
	assert_null(i18n_tag("pt"));
	assert_null(i18n_tag("en-US"));
	assert_null(i18n_tag(""));
	assert_int_equal(i18n_index("pt-BR"), 1);
	assert_int_equal(i18n_index("pt_BR"), -1);
}

/* A translator that shouts, so a test sees what was translated and in which language. */
static const char *
shout(void *arg, const char *lang, const char *msgid)
{
	struct buf *b = arg;

	buf_reset(b);
	buf_printf(b, "[%s:%s]", lang, msgid);
	return buf_cstr(b);
}

static void
test_markers(void **state)
{
	static const struct {
		const char *src, *want, *error;
	} rows[] = {
		{ "a {{#_}}Hello {{name}}{{/_}} b", "a [pt-BR:Hello {{name}}] b", NULL },
		{ "{{#_}}x{{/_}}{{#_}}y\nz{{/_}}", "[pt-BR:x][pt-BR:y\nz]", NULL },
		{ "no markers {{name}}", "no markers {{name}}", NULL },
		{ "\n\n{{#_}}open", NULL, "line 3: {{#_}} is not closed" },
		{ "{{#_}}{{/_}}", NULL, "line 1: empty" },
		{ "\n{{#_}}a {{#list}}b{{/list}}{{/_}}", NULL, "line 2: only text and {{name}} tags" },
		{ "{{#_}}a {{> part}}{{/_}}", NULL, "only text and {{name}} tags" },
	};
	struct buf	 out, scratch;
	struct result	 r;
	size_t		 i;
	int		 rc;

	(void)state;
	buf_init(&scratch);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_init(&out);
		result_clear(&r);
		rc = mustache_i18n_apply(rows[i].src, strlen(rows[i].src), "pt-BR", shout, &scratch,
		    &out, &r);
		if (rows[i].want != NULL) {
			assert_int_equal(rc, 0);
			assert_string_equal(buf_cstr(&out), rows[i].want);
		} else {
			assert_int_equal(rc, -1);
			if (strstr(r.message, rows[i].error) == NULL)
				fail_msg("row %zu: \"%s\" does not say \"%s\"", i, r.message, rows[i].error);
		}
		buf_free(&out);
	}
	/* Without a translator the marked text stands as written. */
	buf_init(&out);
	assert_int_equal(mustache_i18n_apply("<{{#_}}Hi{{/_}}>", 16, "en", NULL, NULL, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "<Hi>");
	buf_free(&out);
	buf_free(&scratch);
}

static void
write_file(const struct tmpdir *t, const char *name, const char *text)
{
	char	 path[1024];
	FILE	*f;

	assert_int_equal(tmpdir_path(t, name, path, sizeof(path)), 0);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A set renders the language its view names, partials included, and the source language otherwise. */
static void
test_set_languages(void **state)
{
	static const char *const langs[] = { "en", "pt-BR" };
	struct tmpdir		 t;
	struct mustache_set	*set;
	struct buf		 out, scratch;
	struct result		 r;
	json_object		*view;
	char			 dir[1024];

	(void)state;
	assert_int_equal(tmpdir_make(&t, "i18n"), 0);
	write_file(&t, "page.mustache", "{{#_}}Hello {{name}}{{/_}} {{> part}}");
	write_file(&t, "part.mustache", "{{#_}}Bye{{/_}}");
	assert_int_equal(tmpdir_path(&t, "", dir, sizeof(dir)), 0);
	buf_init(&scratch);
	result_clear(&r);
	assert_int_equal(mustache_set_open(&set, dir, &r), 0);
	assert_int_equal(mustache_set_languages(set, langs, 2, shout, &scratch, &r), 0);
	assert_int_equal(mustache_set_preload(set, &r), 0);
	/* Languages are fixed before anything is compiled. */
	assert_int_equal(mustache_set_languages(set, langs, 2, shout, &scratch, &r), -1);

	view = json_tokener_parse("{\"name\":\"Ana\",\"lang\":\"pt-BR\"}");
	buf_init(&out);
	assert_int_equal(mustache_set_render(set, "page", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "[pt-BR:Hello Ana] [pt-BR:Bye]");
	json_object_object_add(view, "lang", json_object_new_string("en"));
	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "page", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "Hello Ana Bye");
	json_object_object_add(view, "lang", json_object_new_string("fr"));
	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "page", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "Hello Ana Bye");
	buf_free(&out);
	json_object_put(view);
	mustache_set_close(set);
	buf_free(&scratch);
	assert_int_equal(tmpdir_remove(&t), 0);
}

/* The built catalog (po/locale under the build tree) answers through gettext, switching per call. */
static void
test_catalog(void **state)
{
	const char	*top = getenv("top_builddir");
	char		 dir[1024];
	struct result	 r;

	(void)state;
	if (top == NULL)
		skip();
	snprintf(dir, sizeof(dir), "%s/po/locale", top);
	result_clear(&r);
	assert_int_equal(i18n_init(dir, &r), 0);
	assert_string_equal(i18n_text("pt-BR", "New customer"), "Novo cliente");
	assert_string_equal(i18n_text("en", "New customer"), "New customer");
	assert_string_equal(i18n_text("pt-BR", "New customer"), "Novo cliente");
	/* Not in the catalog: the source text. */
	assert_string_equal(i18n_text("pt-BR", "no such message 42"), "no such message 42");
	/* Words and numbers the language's way; English is the source. */
	{
		char num[32];

		i18n_use("pt-BR");
		assert_string_equal(i18n_weekday(2), "qua.");
		assert_string_equal(i18n_month(5), "mai.");
		assert_string_equal(i18n_month(12), "dez.");
		i18n_percent(10.5, num, sizeof(num));
		assert_string_equal(num, "10,5 %");
		i18n_percent(10.0, num, sizeof(num));
		assert_string_equal(num, "10 %");
		i18n_use("en");
		assert_string_equal(i18n_weekday(2), "Wed");
		assert_string_equal(i18n_month(5), "May");
		i18n_percent(10.5, num, sizeof(num));
		assert_string_equal(num, "10.5%");
		i18n_percent(7.25, num, sizeof(num));
		assert_string_equal(num, "7.3%");
	}
	/* A missing catalog is named, and the rest still works in English. */
	assert_int_equal(i18n_init("/nonexistent/locale", &r), -1);
	assert_int_equal(r.code, RESULT_NOTFOUND);
	assert_non_null(strstr(r.message, "/nonexistent/locale/pt_BR/LC_MESSAGES/ftsuccess.mo"));
	assert_string_equal(i18n_text("pt-BR", "New customer"), "New customer");
}

UNIT_MAIN("i18n",
	cmocka_unit_test(test_negotiate),
	cmocka_unit_test(test_markers),
	cmocka_unit_test(test_set_languages),
	cmocka_unit_test(test_catalog),
)
