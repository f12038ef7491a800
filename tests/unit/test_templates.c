/* test_templates.c -- every page template compiles and renders its view fixture (tests/data/views) into sound, escaped HTML. */
#include "autoconfig.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include <cmocka.h>

#include "mustache.h"

/* What every fixture puts into the view, as http_render would. */
#define BASE		"/app"
#define TOKEN		"c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeeabcd"
#define XSS_RAW		"<img src=x onerror=alert(1)>"
#define XSS_ESCAPED	"&lt;img src=x onerror=alert(1)&gt;"

static const char *
top_srcdir(void)
{
	const char *top = getenv("top_srcdir");

	return top != NULL ? top : ".";
}

static struct mustache_set *
open_set(void)
{
	struct mustache_set	*set;
	struct result		 r;
	char			 dir[PATH_MAX];

	assert_true((size_t)snprintf(dir, sizeof(dir), "%s/www/templates", top_srcdir()) < sizeof(dir));
	result_clear(&r);
	if (mustache_set_open(&set, dir, &r) == -1)
		fail_msg("cannot open template set %s: %s", dir, r.message);
	return set;
}

/* Render page `name` with tests/data/views/<fixture>.json; the caller frees the text. */
static char *
render_fixture(const char *name, const char *fixture)
{
	struct mustache_set	*set = open_set();
	struct result		 r;
	struct buf		 out;
	json_object		*view;
	char			 path[PATH_MAX];

	assert_true((size_t)snprintf(path, sizeof(path), "%s/tests/data/views/%s.json",
	    top_srcdir(), fixture) < sizeof(path));
	if ((view = json_object_from_file(path)) == NULL)
		fail_msg("cannot read %s: %s", path, json_util_get_last_err());
	buf_init(&out);
	result_clear(&r);
	if (mustache_set_render(set, name, view, &out, &r) == -1)
		fail_msg("rendering %s with %s: %s", name, fixture, r.message);
	assert_false(out.failed);
	json_object_put(view);
	mustache_set_close(set);
	return buf_detach(&out);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t		 n = 0, len = strlen(needle);
	const char	*p;

	for (p = hay; (p = strstr(p, needle)) != NULL; p += len)
		n++;
	return n;
}

static void
expect_has(const char *html, const char *what, const char *page)
{
	if (strstr(html, what) == NULL)
		fail_msg("%s: no \"%s\" in the page", page, what);
}

static void
expect_not(const char *html, const char *what, const char *page)
{
	const char *p = strstr(html, what);

	if (p != NULL)
		fail_msg("%s: unexpected \"%s\" at: %.80s", page, what, p);
}

/* Value of attribute attr in the tag starting at tag (up to its '>'), copied into out. */
static int
attr(const char *tag, const char *attr_name, char *out, size_t size)
{
	const char	*end = strchr(tag, '>'), *p = tag;
	char		 pat[40];
	size_t		 n;

	snprintf(pat, sizeof(pat), " %s=\"", attr_name);
	if (end == NULL)
		return -1;
	while ((p = strstr(p, pat)) != NULL && p < end) {
		p += strlen(pat);
		n = strcspn(p, "\"");
		if (n >= size)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* 1 when the tag (up to its '>') has the bare attribute word, e.g. hidden. */
static int
has_word(const char *tag, const char *word)
{
	const char	*end = strchr(tag, '>'), *p = tag;
	size_t		 n = strlen(word);

	while ((p = strstr(p, word)) != NULL && end != NULL && p < end) {
		if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '>' || p[n] == '='))
			return 1;
		p += n;
	}
	return 0;
}

/*
 * What every page must be: a complete document in English with the layout,
 * links and actions under the base path, no inline style or script (CSP),
 * a CSRF token in every POST form, unique ids, a label for every control,
 * balanced containers, and the injected markup escaped.
 */
static void
check_page(const char *html, const char *page, int has_xss)
{
	static const char *const pairs[][2] = {
		{ "<form", "</form>" }, { "<table", "</table>" }, { "<section", "</section>" },
		{ "<details", "</details>" }, { "<ul", "</ul>" }, { "<dl", "</dl>" },
		{ "<select", "</select>" }, { "<textarea", "</textarea>" }, { "<main", "</main>" },
		{ "<svg", "</svg>" }, { "<tbody", "</tbody>" }, { "<fieldset", "</fieldset>" },
	};
	static const char *const controls[] = { "<input", "<select", "<textarea" };
	const char	*p;
	char		 id[128], type[32], pat[160], ids[256][128];
	size_t		 i, k, nids = 0;

	expect_has(html, "<!DOCTYPE html>", page);
	expect_has(html, "<html lang=\"en\">", page);
	expect_has(html, "<meta name=\"viewport\"", page);
	expect_has(html, " — ftsuccess</title>", page);
	expect_has(html, "<link rel=\"stylesheet\" href=\"" BASE "/static/style.css\">", page);
	expect_has(html, "<main id=\"main\"", page);
	expect_has(html, "href=\"#main\"", page);
	expect_has(html, "<nav aria-label=\"Main\">", page);
	expect_has(html, "fm@example.com", page);
	expect_not(html, "style=", page);
	expect_not(html, "<script", page);
	expect_not(html, "{{", page);
	if (has_xss) {
		expect_not(html, XSS_RAW, page);
		expect_has(html, XSS_ESCAPED, page);
	}

	/* Every site-relative link, action or source goes through {{base}}. */
	for (i = 0; i < 3; i++) {
		static const char *const a[] = { "href=\"/", "action=\"/", "src=\"/" };

		for (p = html; (p = strstr(p, a[i])) != NULL; p++)
			if (strncmp(p + strlen(a[i]), BASE + 1, strlen(BASE) - 1) != 0)
				fail_msg("%s: a path without the base: %.60s", page, p);
	}

	/* Each POST form carries the CSRF token before it closes. */
	for (p = html; (p = strstr(p, "<form method=\"post\"")) != NULL; p++) {
		const char *end = strstr(p, "</form>"), *tok;

		assert_non_null(end);
		tok = strstr(p, "<input type=\"hidden\" name=\"csrf\" value=\"" TOKEN "\">");
		if (tok == NULL || tok > end)
			fail_msg("%s: a POST form without the CSRF token: %.80s", page, p);
	}
	expect_not(html, "method=\"POST\"", page);	/* one spelling, so the check above sees all */

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		size_t open = 0;

		/* "<ul" must not count "<ul>"-like prefixes of other tags ("<summary" is not "<s..."). */
		for (p = html; (p = strstr(p, pairs[i][0])) != NULL; p++) {
			char c = p[strlen(pairs[i][0])];

			if (c == ' ' || c == '>')
				open++;
		}
		if (open != count(html, pairs[i][1]))
			fail_msg("%s: %zu %s but %zu %s", page, open, pairs[i][0],
			    count(html, pairs[i][1]), pairs[i][1]);
	}

	/* ids are unique. */
	for (p = html; (p = strstr(p, " id=\"")) != NULL; p++) {
		size_t n = strcspn(p + 5, "\"");

		assert_true(n > 0 && n < sizeof(id));
		memcpy(id, p + 5, n);
		id[n] = '\0';
		for (k = 0; k < nids; k++)
			if (strcmp(ids[k], id) == 0)
				fail_msg("%s: id \"%s\" used twice", page, id);
		assert_true(nids < sizeof(ids) / sizeof(ids[0]));
		memcpy(ids[nids++], id, n + 1);
	}

	/* Every visible control has an id and a <label for> naming it. */
	for (i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
		for (p = html; (p = strstr(p, controls[i])) != NULL; p++) {
			if (attr(p, "type", type, sizeof(type)) == 0 && strcmp(type, "hidden") == 0)
				continue;
			if (has_word(p, "hidden"))
				continue;
			if (attr(p, "id", id, sizeof(id)) == -1)
				fail_msg("%s: a control without id: %.80s", page, p);
			snprintf(pat, sizeof(pat), "<label for=\"%s\"", id);
			if (strstr(html, pat) == NULL)
				fail_msg("%s: no label for #%s", page, id);
		}

	/* Error-summary links lead to an element on the page. */
	for (p = html; (p = strstr(p, "href=\"#")) != NULL; p++) {
		size_t n = strcspn(p + 7, "\"");

		assert_true(n < sizeof(id));
		memcpy(id, p + 7, n);
		id[n] = '\0';
		snprintf(pat, sizeof(pat), " id=\"%s\"", id);
		if (strstr(html, pat) == NULL)
			fail_msg("%s: link to #%s, which is not on the page", page, id);
	}
}

/* The whole directory compiles (a syntax error or missing partial shows here first). */
static void
test_all_compile(void **state)
{
	struct mustache_set	*set = open_set();
	struct result		 r;

	(void)state;
	result_clear(&r);
	if (mustache_set_preload(set, &r) == -1)
		fail_msg("templates do not compile: %s", r.message);
	mustache_set_close(set);
}

/* Every page template and partial is installed: www/www.am names each file. */
static void
test_all_installed(void **state)
{
	static const char *const dirs[] = { "www/templates", "www/templates/parts" };
	char		 path[PATH_MAX], want[PATH_MAX], *am;
	struct dirent	*de;
	DIR		*d;
	FILE		*fp;
	long		 len;
	size_t		 i, n, seen = 0;

	(void)state;
	assert_true((size_t)snprintf(path, sizeof(path), "%s/www/www.am", top_srcdir()) < sizeof(path));
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	am = calloc(1, (size_t)len + 1);
	assert_non_null(am);
	assert_int_equal(fread(am, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", top_srcdir(), dirs[i]) < sizeof(path));
		d = opendir(path);
		if (d == NULL)
			fail_msg("cannot open %s", path);
		while ((de = readdir(d)) != NULL) {
			n = strlen(de->d_name);
			if (n <= 9 || strcmp(de->d_name + n - 9, ".mustache") != 0)
				continue;
			assert_true((size_t)snprintf(want, sizeof(want), "%s/%s \\", dirs[i], de->d_name) < sizeof(want));
			if (strstr(am, want) == NULL) {
				/* The last file of a list ends its line without " \\". */
				n = strlen(want);
				want[n - 2] = '\n';
				want[n - 1] = '\0';
				if (strstr(am, want) == NULL)
					fail_msg("%s/%s is not installed by www/www.am", dirs[i], de->d_name);
			}
			seen++;
		}
		closedir(d);
	}
	assert_true(seen >= 13);
	free(am);
}

static void
test_portfolio(void **state)
{
	char *html = render_fixture("portfolio", "portfolio");

	(void)state;
	check_page(html, "portfolio", 1);
	expect_has(html, "<title>Portfolio — ftsuccess</title>", "portfolio");
	expect_has(html, "<form class=\"filters\" method=\"get\" action=\"" BASE "/\"", "portfolio");
	expect_has(html, "value=\"con&quot;to\"", "portfolio");
	expect_has(html, "<option value=\"at_risk\" selected>At risk", "portfolio");
	expect_has(html, "<option value=\"au\" selected>Lowest AU</option>", "portfolio");
	expect_has(html, "<a href=\"" BASE "/customers/1\">Contoso " XSS_ESCAPED "</a>", "portfolio");
	expect_has(html, "<svg class=\"bar", "portfolio");
	expect_has(html, "<rect class=\"fill\" width=\"", "portfolio");
	expect_has(html, "13.1% / 10%", "portfolio");
	expect_has(html, "CSM-led", "portfolio");
	expect_has(html, "Three team sites in daily use: not met", "portfolio");
	expect_has(html, "badge state state-at_risk\">At risk</span>", "portfolio");
	expect_has(html, "href=\"" BASE "/?state=at_risk&amp;sort=au&amp;page=1\"", "portfolio");
	expect_has(html, "href=\"" BASE "/?state=at_risk&amp;sort=au&amp;page=3\"", "portfolio");
	expect_has(html, "href=\"" BASE "/customers/new\"", "portfolio");
	expect_has(html, "href=\"" BASE "/outbox\"", "portfolio");
	expect_has(html, "<caption>", "portfolio");
	expect_has(html, "<th scope=\"col\">", "portfolio");
	expect_has(html, "check-in overdue: last held 2026-11-10, cadence every 2 weeks", "portfolio");
	expect_has(html, "<li>blocker #1 is open: Proxy blocks OneDrive sync &lt;script&gt;</li>", "portfolio");
	free(html);
}

static void
test_customer(void **state)
{
	char		*html = render_fixture("customer", "customer");
	const char	*p;

	(void)state;
	check_page(html, "customer", 1);
	expect_has(html, "<h1>Contoso " XSS_ESCAPED "</h1>", "customer");
	/* The failed check-in form is open, shows what was typed and each error at its field. */
	expect_has(html, "<details class=\"form-box\" id=\"form-checkin\" open>", "customer");
	expect_not(html, "id=\"form-blocker\" open", "customer");
	expect_has(html, ">Talked about " XSS_ESCAPED "</textarea>", "customer");
	expect_has(html, "id=\"f-checkin-next_action_on\" name=\"next_action_on\" value=\"2026-13-01\" "
	    "aria-invalid=\"true\" aria-describedby=\"e-checkin-next_action_on\"", "customer");
	expect_has(html, "<p class=\"field-error\" id=\"e-checkin-next_action\">next_action is required.</p>",
	    "customer");
	expect_has(html, "<a href=\"#f-checkin-next_action\">next_action: next_action is required.</a>", "customer");
	expect_has(html, "role=\"alert\">Some fields are not valid", "customer");
	/* Only the services the FM still covers can be ticked. */
	/* A refused check-in keeps the services ticked (the handler marks them "checked"). */
	expect_has(html, "name=\"services\" value=\"exchange\" checked>", "customer");
	expect_has(html, "name=\"services\" value=\"onedrive\">", "customer");
	expect_not(html, "name=\"services\" value=\"teams\"", "customer");
	/* Every form posts where the routes are. */
	expect_has(html, "action=\"" BASE "/customers/1/checkins\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/contacts\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/services\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/targets\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/csm\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/usage\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/usage/import\" enctype=\"multipart/form-data\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/blockers\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/meetings\"", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/success-review\"", "customer");
	/* The outcome form belongs to the Success Review phase only. */
	expect_not(html, "action=\"" BASE "/customers/1/success-review/outcome\"", "customer");
	expect_has(html, "<span class=\"phase phase-execution\">Success Execution</span>", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/tasks/3731/complete\"", "customer");
	expect_has(html, "action=\"" BASE "/meetings/1\"", "customer");
	expect_has(html, "action=\"" BASE "/meetings/1/cancel\"", "customer");
	expect_has(html, "href=\"" BASE "/meetings/1/invite.ics\"", "customer");
	expect_not(html, "action=\"" BASE "/meetings/2/cancel\"", "customer");	/* cancelled already */
	expect_has(html, "action=\"" BASE "/blockers/1/resolve\"", "customer");
	expect_not(html, "action=\"" BASE "/blockers/2/resolve\"", "customer");	/* resolved */
	expect_has(html, "href=\"" BASE "/customers/1/edit\"", "customer");
	expect_has(html, "href=\"" BASE "/outbox/1\"", "customer");
	/* Contact toggles send the opposite of the current setting. */
	p = strstr(html, "action=\"" BASE "/contacts/1/invites\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "name=\"receives_invites\" value=\"0\""));
	p = strstr(html, "action=\"" BASE "/contacts/2/invites\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "name=\"receives_invites\" value=\"1\""));
	/* Programs: OneDrive joined already, ProPlus can still ask for the accelerator. */
	expect_not(html, "name=\"service\" value=\"onedrive\">\n<button type=\"submit\" class=\"small\">Join", "customer");
	expect_has(html, "action=\"" BASE "/customers/1/accelerator\"", "customer");
	expect_has(html, "name=\"service\" value=\"office_proplus\"", "customer");
	/* Trend as inline SVG with the target line; AU as an SVG bar. */
	expect_has(html, "<svg class=\"trend\" viewBox=\"0 0 160 40\"", "customer");
	expect_has(html, "aria-label=\"AU trend for Exchange Online", "customer");
	expect_has(html, "<path class=\"line\" d=\"M2.0,", "customer");
	expect_has(html, "<marker id=\"au-dot\"", "customer");
	expect_has(html, "<line class=\"target\"", "customer");
	expect_has(html, "id=\"form-review\"", "customer");
	/* Contact checkbox is not pre-ticked here: the contact form did not fail, default applies. */
	expect_has(html, "id=\"f-contact-receives_invites\" name=\"receives_invites\" value=\"1\" checked", "customer");
	expect_has(html, "Proxy blocks OneDrive sync &lt;script&gt;", "customer");
	free(html);
}

static void
test_customer_form(void **state)
{
	char *html = render_fixture("customer_form", "customer_form");

	(void)state;
	check_page(html, "customer_form", 1);
	expect_has(html, "<form method=\"post\" action=\"" BASE "/customers/1\"", "customer_form");
	expect_not(html, "action=\"" BASE "/customers\"", "customer_form");
	expect_has(html, "name=\"tenant_domain\" value=\"fabrikam.onmicrosoft.com\" aria-invalid=\"true\"",
	    "customer_form");
	expect_has(html, "tenant_domain is already used by Fabrikam</p>", "customer_form");
	expect_has(html, "name=\"timezone\" value=\"America/Sao_Paulo\"", "customer_form");
	expect_has(html, "<option value=\"Europe/Berlin\">", "customer_form");
	expect_has(html, "name=\"cadence_weeks\" value=\"2\"", "customer_form");
	expect_has(html, "Save changes", "customer_form");
	free(html);
}

/* The "new" form: the same template without a customer posts to /customers. */
static void
test_customer_form_new(void **state)
{
	struct mustache_set	*set = open_set();
	struct result		 r;
	struct buf		 out;
	json_object		*view;

	(void)state;
	view = json_tokener_parse("{\"mode\": \"new\", \"title\": \"New customer\", \"user\": \"fm\","
	    " \"base\": \"" BASE "\", \"csrf_token\": \"" TOKEN "\", \"errors\": [],"
	    " \"forms\": {\"customer\": {}}, \"timezones\": [{\"name\": \"UTC\", \"selected\": false}]}");
	assert_non_null(view);
	buf_init(&out);
	result_clear(&r);
	assert_int_equal(mustache_set_render(set, "customer_form", view, &out, &r), 0);
	expect_has(buf_cstr(&out), "<form method=\"post\" action=\"" BASE "/customers\"", "new customer");
	expect_has(buf_cstr(&out), "Create customer", "new customer");
	expect_has(buf_cstr(&out), "name=\"name\" value=\"\"", "new customer");
	expect_not(buf_cstr(&out), "aria-invalid", "new customer");
	expect_not(buf_cstr(&out), "class=\"error-summary\" role=\"alert\"><p>", "new customer");
	buf_free(&out);
	json_object_put(view);
	mustache_set_close(set);
}

static void
test_usage_import(void **state)
{
	char *html = render_fixture("usage_import", "usage_import");

	(void)state;
	check_page(html, "usage_import", 1);
	expect_has(html, "action=\"" BASE "/customers/1/usage/import\"", "usage_import");
	expect_has(html, "<input type=\"hidden\" name=\"confirm\" value=\"1\">", "usage_import");
	expect_has(html, "<textarea name=\"csv\" hidden", "usage_import");
	expect_has(html, "2026-11-20,131,869\n" XSS_ESCAPED "\n</textarea>", "usage_import");
	expect_has(html, "Import 2 sample(s)", "usage_import");
	expect_has(html, "skipped: the customer does not intend Yammer", "usage_import");
	expect_has(html, "<td class=\"num\">13.1%</td>", "usage_import");
	free(html);
}

static void
test_outbox(void **state)
{
	char *html = render_fixture("outbox", "outbox");

	(void)state;
	check_page(html, "outbox", 1);
	expect_has(html, "<form class=\"filters compact\" method=\"get\" action=\"" BASE "/outbox\"", "outbox");
	expect_has(html, "<option value=\"dead\">dead</option>", "outbox");
	assert_int_equal(count(html, "/retry\""), 1);	/* only the dead message */
	expect_has(html, "<span class=\"badge mail-dead\">dead</span>", "outbox");
	expect_has(html, "550 5.1.1 User unknown", "outbox");
	expect_has(html, "href=\"" BASE "/customers/1\">Contoso " XSS_ESCAPED "</a>", "outbox");
	free(html);
}

static void
test_outbox_item(void **state)
{
	char *html = render_fixture("outbox_item", "outbox_item");

	(void)state;
	check_page(html, "outbox_item", 1);
	expect_has(html, "<h1>Message #2: invite</h1>", "outbox_item");
	expect_has(html, "action=\"" BASE "/outbox/2/retry\"", "outbox_item");
	expect_has(html, "2026-12-01T10:00 (America/Sao_Paulo)", "outbox_item");
	expect_has(html, "<dd>REQUEST (CONFIRMED)</dd>", "outbox_item");
	expect_has(html, "every 2 week(s), 30 minutes", "outbox_item");
	expect_has(html, "Next action: Send adoption kit", "outbox_item");
	expect_has(html, "aria-label=\"Text\">BEGIN:VCALENDAR", "outbox_item");
	free(html);

	html = render_fixture("outbox_item", "outbox_item_handshake");
	check_page(html, "outbox_item (handshake)", 1);
	expect_not(html, "/retry\"", "outbox_item (handshake)");
	expect_has(html, "<dt>CSM</dt><dd>Carla Mendes &lt;carla@microsoft.example&gt;</dd>", "outbox_item (handshake)");
	expect_has(html, "Microsoft Teams, live since 2026-10-01 (FTOP 3731)", "outbox_item (handshake)");
	expect_not(html, "Copy of the mail", "outbox_item (handshake)");
	free(html);
}

/* The cgi helper's error page shares the stylesheet; what http_error passes renders escaped. */
static void
test_error(void **state)
{
	struct mustache_set	*set = open_set();
	struct result		 r;
	struct buf		 out;
	json_object		*view;

	(void)state;
	view = json_tokener_parse("{\"status\": 404, \"title\": \"Not Found\", \"base\": \"" BASE "\","
	    " \"user\": \"fm\", \"message\": \"no customer " XSS_RAW "\"}");
	assert_non_null(view);
	buf_init(&out);
	result_clear(&r);
	assert_int_equal(mustache_set_render(set, "error", view, &out, &r), 0);
	expect_has(buf_cstr(&out), "no customer " XSS_ESCAPED, "error");
	expect_not(buf_cstr(&out), XSS_RAW, "error");
	expect_has(buf_cstr(&out), "href=\"" BASE "/static/style.css\"", "error");
	buf_free(&out);
	json_object_put(view);
	mustache_set_close(set);
}

/* The checks themselves catch what they claim to (a raw name, a form without token). */
static void
test_checks_fail(void **state)
{
	const char *bad = "<!DOCTYPE html>\n<html lang=\"en\"><a href=\"/customers/1\">x</a>";

	(void)state;
	assert_int_equal(count("a<form a<form", "<form"), 2);
	assert_null(strstr(bad, "href=\"" BASE));
	{
		char v[16];

		assert_int_equal(attr("<input type=\"text\" id=\"f-x\">", "id", v, sizeof(v)), 0);
		assert_string_equal(v, "f-x");
		assert_int_equal(attr("<input type=\"text\">", "id", v, sizeof(v)), -1);
		assert_true(has_word("<textarea name=\"csv\" hidden aria-hidden=\"true\">", "hidden"));
		assert_false(has_word("<input type=\"hidden\" name=\"csrf\">", "hidden"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks_fail),
		cmocka_unit_test(test_all_compile),
		cmocka_unit_test(test_all_installed),
		cmocka_unit_test(test_portfolio),
		cmocka_unit_test(test_customer),
		cmocka_unit_test(test_customer_form),
		cmocka_unit_test(test_customer_form_new),
		cmocka_unit_test(test_usage_import),
		cmocka_unit_test(test_outbox),
		cmocka_unit_test(test_outbox_item),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
