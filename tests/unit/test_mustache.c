/* test_mustache.c -- the official Mustache spec, HTML escaping, compile errors and template sets. */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mustache.h"
#include "tmpdir.h"
#include "unit.h"

/* Spec partials come from the test's "partials" object. */
static int
spec_partial(void *arg, const char *name, struct buf *src)
{
	json_object *partials = arg, *p;

	if (partials == NULL || !json_object_object_get_ex(partials, name, &p) ||
	    !json_object_is_type(p, json_type_string))
		return -1;
	return buf_append(src, json_object_get_string(p), (size_t)json_object_get_string_len(p));
}

/* Run every test of one spec file; print each failure with expected and actual output. */
static void
spec_file(void **state)
{
	const char		*file = *state, *top;
	char			 path[PATH_MAX];
	json_object		*doc, *tests, *t, *name, *tmpl, *data, *want, *partials;
	struct mustache_tpl	*tpl;
	struct result		 r;
	struct buf		 out;
	size_t			 i, n;
	int			 failed = 0;

	top = getenv("top_srcdir");
	if (top == NULL)
		top = ".";
	assert_true((size_t)snprintf(path, sizeof(path), "%s/tests/data/mustache-spec/%s",
	    top, file) < sizeof(path));
	doc = json_object_from_file(path);
	if (doc == NULL)
		fail_msg("cannot read spec file %s: %s", path, json_util_get_last_err());
	assert_true(json_object_object_get_ex(doc, "tests", &tests));
	n = json_object_array_length(tests);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(tests, i);
		assert_true(json_object_object_get_ex(t, "name", &name));
		assert_true(json_object_object_get_ex(t, "template", &tmpl));
		assert_true(json_object_object_get_ex(t, "data", &data));
		assert_true(json_object_object_get_ex(t, "expected", &want));
		if (!json_object_object_get_ex(t, "partials", &partials))
			partials = NULL;
		result_clear(&r);
		buf_init(&out);
		if (mustache_compile(json_object_get_string(tmpl),
		    (size_t)json_object_get_string_len(tmpl), &tpl, &r) == -1) {
			print_error("%s / %s: compile error: %s\n", file,
			    json_object_get_string(name), r.message);
			failed++;
			continue;
		}
		if (mustache_render(tpl, data, spec_partial, partials, &out, &r) == -1) {
			print_error("%s / %s: render error: %s\n", file,
			    json_object_get_string(name), r.message);
			failed++;
		} else if (strcmp(buf_cstr(&out), json_object_get_string(want)) != 0) {
			json_object *got = json_object_new_string(buf_cstr(&out));

			print_error("%s / %s:\n  template %s\n  expected %s\n  actual   %s\n",
			    file, json_object_get_string(name),
			    json_object_to_json_string(tmpl),
			    json_object_to_json_string(want),
			    json_object_to_json_string(got));
			json_object_put(got);
			failed++;
		}
		mustache_free(tpl);
		buf_free(&out);
	}
	json_object_put(doc);
	if (failed > 0)
		fail_msg("%s: %d of %zu spec tests failed", file, failed, n);
}

/* Render src against the JSON text view into out; returns mustache_render's value. */
static int
render_str(const char *src, const char *view, struct buf *out, struct result *r)
{
	struct mustache_tpl	*tpl;
	json_object		*v;
	int			 rc;

	buf_init(out);
	result_clear(r);
	if (mustache_compile(src, strlen(src), &tpl, r) == -1)
		return -1;
	v = json_tokener_parse(view);
	assert_non_null(v);
	rc = mustache_render(tpl, v, NULL, NULL, out, r);
	json_object_put(v);
	mustache_free(tpl);
	return rc;
}

static void
test_escaping(void **state)
{
	struct buf	out;
	struct result	r;

	(void)state;
	assert_int_equal(render_str("<p title=\"{{t}}\">{{t}}</p>|{{{t}}}|{{&t}}",
	    "{\"t\": \"a'b\\\"c<d>&e\"}", &out, &r), 0);
	assert_string_equal(buf_cstr(&out),
	    "<p title=\"a&#39;b&quot;c&lt;d&gt;&amp;e\">a&#39;b&quot;c&lt;d&gt;&amp;e</p>"
	    "|a'b\"c<d>&e|a'b\"c<d>&e");
	buf_free(&out);
}

static void
test_values(void **state)
{
	struct buf	out;
	struct result	r;

	(void)state;
	assert_int_equal(render_str(
	    "{{i}} {{big}} {{neg}} {{d}} {{third}} {{tiny}} {{t}} {{f}} {{n}}|"
	    "{{#zero}}0 is truthy{{/zero}}|{{^empty}}\"\" is falsy{{/empty}}|"
	    "{{#obj}}{} is truthy{{/obj}}|{{arr}}",
	    "{\"i\": 42, \"big\": 18446744073709551615, \"neg\": -9007199254740993,"
	    " \"d\": 1.21, \"third\": 0.1, \"tiny\": 1e-300, \"t\": true, \"f\": false,"
	    " \"n\": null, \"zero\": 0, \"empty\": \"\", \"obj\": {}, \"arr\": [1, \"x\"]}",
	    &out, &r), 0);
	assert_string_equal(buf_cstr(&out),
	    "42 18446744073709551615 -9007199254740993 1.21 0.1 1e-300 true false |"
	    "0 is truthy|\"\" is falsy|{} is truthy|[1,&quot;x&quot;]");
	buf_free(&out);
}

/* Compile errors are refused with the line of the offending tag. */
static void
test_compile_errors(void **state)
{
	static const struct {
		const char *src;
		const char *want;	/* substring of the message */
	} cases[] = {
		{ "a\nb {{x\nc", "line 2: unclosed tag" },
		{ "a\n\n{{{x}}\n", "line 3: unclosed tag" },
		{ "{{#a}}\n{{#b}}\nx\n{{/b}}\n", "line 1: section \"a\" is never closed" },
		{ "{{#a}}\nx\n{{/b}}", "line 3: close tag \"b\" does not match section \"a\" opened at line 1" },
		{ "x\n{{/a}}", "line 2: close tag \"a\" without an open section" },
		{ "x\n\n\n{{=<% %> x=}}", "line 4: bad set-delimiter tag" },
		{ "{{= %>=}}", "line 1: bad set-delimiter tag" },
		{ "a\n{{ }}", "line 2: empty tag" },
	};
	struct mustache_tpl	*tpl;
	struct result		 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		result_clear(&r);
		tpl = (struct mustache_tpl *)&r;
		assert_int_equal(mustache_compile(cases[i].src, strlen(cases[i].src), &tpl, &r), -1);
		assert_null(tpl);
		assert_int_equal(r.code, RESULT_INVALID);
		if (strstr(r.message, cases[i].want) == NULL)
			fail_msg("template %s: message \"%s\" lacks \"%s\"", cases[i].src,
			    r.message, cases[i].want);
	}

	/* Nesting is bounded so a hostile template cannot exhaust the stack. */
	{
		struct buf	src;
		int		k;

		buf_init(&src);
		for (k = 0; k < 1000; k++)
			buf_puts(&src, "{{#a}}");
		result_clear(&r);
		assert_int_equal(mustache_compile(src.data, src.len, &tpl, &r), -1);
		assert_non_null(strstr(r.message, "nested deeper"));
		buf_free(&src);
	}
}

/* A partial callback that knows one partial: arg is {name, source} (not const: it passes as void *). */
static int
one_partial(void *arg, const char *name, struct buf *src)
{
	const char *const *known = arg;

	if (strcmp(name, known[0]) != 0)
		return -1;
	return buf_puts(src, known[1]);
}

static const char *self_partial[] = { "loop", "x{{>loop}}" };
static const char *fork_partial[] = { "fork", "{{#l}}{{>fork}}{{/l}}" };

static void
test_recursion_limit(void **state)
{
	struct mustache_tpl	*tpl;
	struct result		 r;
	struct buf		 out;

	(void)state;
	result_clear(&r);
	buf_init(&out);
	assert_int_equal(mustache_compile("{{>loop}}", 9, &tpl, &r), 0);
	assert_int_equal(mustache_render(tpl, NULL, one_partial, self_partial, &out, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, "nested deeper than 32"));
	/* Up to the limit it did render. */
	assert_true(out.len >= 31);
	mustache_free(tpl);
	buf_free(&out);
}

static int
nest_partial(void *arg, const char *name, struct buf *src)
{
	(void)arg;
	if (strcmp(name, "outer") == 0)
		return buf_puts(src, "a\n\t{{>inner}}\n<{{>inner}}>\n{{#l}}\n{{>inner}}\n{{/l}}\nb\n");
	if (strcmp(name, "inner") == 0)
		return buf_puts(src, "x{{v}}\ny\n");
	return -1;
}

/*
 * Standalone partials nest their indentation (outer's then inner's); an
 * inline partial is not indented, even inside an indented one.
 */
static void
test_nested_indentation(void **state)
{
	struct mustache_tpl	*tpl;
	struct result		 r;
	struct buf		 out;
	json_object		*view;

	(void)state;
	result_clear(&r);
	buf_init(&out);
	view = json_tokener_parse("{\"v\": \"1\\n2\", \"l\": [1, 2]}");
	assert_int_equal(mustache_compile("  {{>outer}}\n", 14, &tpl, &r), 0);
	assert_int_equal(mustache_render(tpl, view, nest_partial, NULL, &out, &r), 0);
	assert_string_equal(buf_cstr(&out),
	    "  a\n"
	    "  \tx1\n2\n  \ty\n"
	    "  <x1\n2\ny\n>\n"
	    "  x1\n2\n  y\n  x1\n2\n  y\n"
	    "  b\n");
	mustache_free(tpl);
	json_object_put(view);
	buf_free(&out);
}

/* A tree 3 wide and 16 deep stays within the depth limit, but 3^16 expansions must stop. */
static void
test_expensive_limit(void **state)
{
	struct mustache_tpl	*tpl;
	struct result		 r;
	struct buf		 out;
	json_object		*view, *l;
	int			 i;

	(void)state;
	result_clear(&r);
	buf_init(&out);
	view = json_tokener_parse("{\"l\": []}");
	for (i = 0; i < 16; i++) {
		l = json_object_new_array();
		json_object_array_add(l, json_object_get(view));
		json_object_array_add(l, json_object_get(view));
		json_object_array_add(l, view);
		view = json_object_new_object();
		json_object_object_add(view, "l", l);
	}
	assert_int_equal(mustache_compile("{{>fork}}", 9, &tpl, &r), 0);
	assert_int_equal(mustache_render(tpl, view, one_partial, fork_partial, &out, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, "too expensive"));
	mustache_free(tpl);
	json_object_put(view);
	buf_free(&out);
}

/* A 200-row table renders correctly (its speed is reported, judged in bench/). */
static void
test_table_speed(void **state)
{
	const char *src =
	    "<table>\n{{#rows}}\n  <tr><td>{{id}}</td><td>{{name}}</td><td>{{score}}</td>"
	    "<td>{{#ok}}yes{{/ok}}{{^ok}}no{{/ok}}</td></tr>\n{{/rows}}\n</table>\n";
	struct mustache_tpl	*tpl;
	struct timespec		 a, b;
	struct result		 r;
	struct buf		 out;
	json_object		*view, *rows, *row;
	int			 i, k;
	double			 us;

	(void)state;
	view = json_object_new_object();
	rows = json_object_new_array();
	for (i = 0; i < 200; i++) {
		row = json_object_new_object();
		json_object_object_add(row, "id", json_object_new_int(i));
		json_object_object_add(row, "name", json_object_new_string("Contoso <Ltd> & 'Sons'"));
		json_object_object_add(row, "score", json_object_new_double(i / 8.0));
		json_object_object_add(row, "ok", json_object_new_boolean(i % 2));
		json_object_array_add(rows, row);
	}
	json_object_object_add(view, "rows", rows);
	result_clear(&r);
	assert_int_equal(mustache_compile(src, strlen(src), &tpl, &r), 0);
	buf_init(&out);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (k = 0; k < 100; k++) {
		buf_reset(&out);
		assert_int_equal(mustache_render(tpl, view, NULL, NULL, &out, &r), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3) / k;
	print_message("200-row table: %zu bytes in %.1f us per render\n", out.len, us);
	assert_non_null(strstr(out.data, "<tr><td>199</td><td>Contoso &lt;Ltd&gt; &amp; &#39;Sons&#39;"
	    "</td><td>24.875</td><td>yes</td></tr>\n</table>\n"));
	assert_non_null(strstr(out.data, "<table>\n  <tr><td>0</td>"));
	/* Speed is measured in bench/ as a ratio; a timed assertion here would flake. */
	mustache_free(tpl);
	buf_free(&out);
	json_object_put(view);
}

static void
write_file(const struct tmpdir *tmp, const char *name, const char *text)
{
	char	 path[PATH_MAX];
	FILE	*fp;

	assert_int_equal(tmpdir_path(tmp, name, path, sizeof(path)), 0);
	fp = fopen(path, "w");
	if (fp == NULL)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void
remove_file(const struct tmpdir *tmp, const char *name)
{
	char path[PATH_MAX];

	assert_int_equal(tmpdir_path(tmp, name, path, sizeof(path)), 0);
	assert_int_equal(unlink(path), 0);
}

/* What seen_view was told last, and how often. */
struct seen {
	char		 name[32];
	json_object	*view;
	int		 n;
};

static void
seen_view(void *arg, const char *name, json_object *view)
{
	struct seen *seen = arg;

	snprintf(seen->name, sizeof(seen->name), "%s", name);
	seen->view = view;
	seen->n++;
}

static void
test_set(void **state)
{
	struct tmpdir		 tmp;
	const char		*dir = tmp.dir;
	char			 sub[PATH_MAX];
	struct mustache_set	*set;
	struct result		 r;
	struct buf		 out;
	json_object		*view;
	static const char *const bad[] = {
		"../page", "/etc/passwd", "mail/../page", "mail//footer", "mail/", "a b",
		"page.mustache", "", "a\\b",
	};
	struct seen		 seen = { .n = 0 };
	size_t			 i;

	(void)state;
	assert_int_equal(tmpdir_make(&tmp, "mustache"), 0);
	assert_int_equal(tmpdir_path(&tmp, "mail", sub, sizeof(sub)), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(&tmp, "page.mustache", "<h1>{{title}}</h1>\n  {{> mail/footer}}\n");
	write_file(&tmp, "mail/footer.mustache", "<p>{{who}}</p>\n<p>{{>mail/sig}}</p>\n");
	write_file(&tmp, "mail/sig.mustache", "-- {{who}}");
	write_file(&tmp, "broken.mustache", "ok\n{{#a}}\n");
	write_file(&tmp, "loop.mustache", "{{>loop}}");
	write_file(&tmp, "missing.mustache", "[{{>nope}}]");

	view = json_tokener_parse("{\"title\": \"Q&A\", \"who\": \"O'Neil\"}");
	assert_non_null(view);
	result_clear(&r);
	buf_init(&out);
	/* Preloading compiles everything, so the broken template stops it. */
	assert_int_equal(mustache_set_open(&set, dir, &r), 0);
	assert_int_equal(mustache_set_preload(set, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, "broken.mustache: line 2: section \"a\" is never closed"));
	mustache_set_close(set);

	result_clear(&r);
	assert_int_equal(mustache_set_open(&set, dir, &r), 0);
	assert_int_equal(mustache_set_render(set, "page", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out),
	    "<h1>Q&amp;A</h1>\n  <p>O&#39;Neil</p>\n  <p>-- O&#39;Neil</p>\n");

	/* Compiled once and kept: editing the file does not change the output. */
	write_file(&tmp, "page.mustache", "changed");
	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "page", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out),
	    "<h1>Q&amp;A</h1>\n  <p>O&#39;Neil</p>\n  <p>-- O&#39;Neil</p>\n");
	/* An observer sees each template name and view rendered, until it is removed. */
	mustache_set_observe(set, seen_view, &seen);
	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "mail/sig", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "-- O&#39;Neil");
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.name, "mail/sig");
	assert_ptr_equal(seen.view, view);
	mustache_set_observe(set, NULL, NULL);
	assert_int_equal(mustache_set_render(set, "mail/sig", view, &out, &r), 0);
	assert_int_equal(seen.n, 1);

	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "nosuch", view, &out, &r), -1);
	assert_int_equal(r.code, RESULT_NOTFOUND);
	assert_non_null(strstr(r.message, "nosuch.mustache"));

	result_clear(&r);
	assert_int_equal(mustache_set_render(set, "broken", view, &out, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, "broken.mustache: line 2: section \"a\" is never closed"));

	result_clear(&r);
	assert_int_equal(mustache_set_render(set, "loop", view, &out, &r), -1);
	assert_non_null(strstr(r.message, "nested deeper than 32"));

	/* A missing partial in a set is an error, not a silent blank. */
	result_clear(&r);
	assert_int_equal(mustache_set_render(set, "missing", view, &out, &r), -1);
	assert_int_equal(r.code, RESULT_NOTFOUND);
	assert_non_null(strstr(r.message, "nope.mustache"));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		result_clear(&r);
		if (mustache_set_render(set, bad[i], view, &out, &r) != -1 ||
		    r.code != RESULT_INVALID)
			fail_msg("template name \"%s\" accepted (%s)", bad[i], r.message);
	}
	mustache_set_close(set);

	/* Once preloaded, subdirectories included, the files are no longer read. */
	remove_file(&tmp, "broken.mustache");
	result_clear(&r);
	assert_int_equal(mustache_set_open(&set, dir, &r), 0);
	assert_int_equal(mustache_set_preload(set, &r), 0);
	remove_file(&tmp, "mail/sig.mustache");
	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "page", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "changed");
	buf_reset(&out);
	assert_int_equal(mustache_set_render(set, "mail/footer", view, &out, &r), 0);
	assert_string_equal(buf_cstr(&out), "<p>O&#39;Neil</p>\n<p>-- O&#39;Neil</p>\n");
	mustache_set_close(set);

	result_clear(&r);
	assert_int_equal(mustache_set_open(&set, "/nonexistent/templates", &r), -1);
	assert_null(set);
	assert_int_equal(r.code, RESULT_IO);

	json_object_put(view);
	buf_free(&out);
	assert_int_equal(tmpdir_remove(&tmp), 0);
}

/* The mustache spec files spec_file reads, one test each (a test's state is not const). */
static char comments[] = "comments.json", delimiters[] = "delimiters.json",
    interpolation[] = "interpolation.json", inverted[] = "inverted.json",
    partials[] = "partials.json", sections[] = "sections.json";

UNIT_MAIN("mustache",
	{ "spec/comments", spec_file, NULL, NULL, comments },
	{ "spec/delimiters", spec_file, NULL, NULL, delimiters },
	{ "spec/interpolation", spec_file, NULL, NULL, interpolation },
	{ "spec/inverted", spec_file, NULL, NULL, inverted },
	{ "spec/partials", spec_file, NULL, NULL, partials },
	{ "spec/sections", spec_file, NULL, NULL, sections },
	cmocka_unit_test(test_escaping),
	cmocka_unit_test(test_values),
	cmocka_unit_test(test_compile_errors),
	cmocka_unit_test(test_recursion_limit),
	cmocka_unit_test(test_expensive_limit),
	cmocka_unit_test(test_nested_indentation),
	cmocka_unit_test(test_table_speed),
	cmocka_unit_test(test_set),
)
