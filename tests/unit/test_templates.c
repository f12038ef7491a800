/* test_templates.c -- every page template compiles and renders its view fixture (tests/data/views, held against the real views by test_views) into sound, escaped HTML. */
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
#include "unit.h"

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

/*
 * Render page `name` with the view in tests/data/views/<fixture>.json, or
 * with the JSON text json when fixture is NULL; the caller frees the text.
 */
static char *
render_view(const char *name, const char *fixture, const char *json)
{
	struct mustache_set	*set = open_set();
	struct result		 r;
	struct buf		 out;
	json_object		*view;
	char			 path[PATH_MAX];

	if (fixture != NULL) {
		assert_true((size_t)snprintf(path, sizeof(path), "%s/tests/data/views/%s.json",
		    top_srcdir(), fixture) < sizeof(path));
		if ((view = json_object_from_file(path)) == NULL)
			fail_msg("cannot read %s: %s", path, json_util_get_last_err());
	} else if ((view = json_tokener_parse(json)) == NULL)
		fail_msg("%s: the test's view is not JSON", name);
	buf_init(&out);
	result_clear(&r);
	if (mustache_set_render(set, name, view, &out, &r) == -1)
		fail_msg("rendering %s with %s: %s", name, fixture != NULL ? fixture : "its view", r.message);
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
	/* One script, from static/ (CSP: script-src 'self'): the pages work without it. */
	if (count(html, "<script") != count(html, "<script src=\"" BASE "/static/forms.js\" defer></script>") ||
	    count(html, "<script") > 1)
		fail_msg("%s: a script other than the one static/forms.js", page);
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
	struct result	 r;
	size_t		 i, n, len, seen = 0;

	(void)state;
	assert_true((size_t)snprintf(path, sizeof(path), "%s/www/www.am", top_srcdir()) < sizeof(path));
	result_clear(&r);
	if ((am = unit_file_read(path, &len, &r)) == NULL)
		fail_msg("%s", r.message);
	assert_true(len > 0);
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

/* One page as a template renders it: from which view, and what it must and must not show. */
struct page_case {
	const char		*label;
	const char		*page;
	const char		*fixture;	/* tests/data/views/<fixture>.json, or NULL: view */
	const char		*view;		/* JSON text, when no fixture */
	int			 whole;		/* 1: check_page too (a full page with the XSS name) */
	const char *const	*has;		/* NULL-terminated */
	const char *const	*lacks;
	const char *const	*after;		/* pairs: the second comes after the first */
	const char		*counted;	/* occurs exactly count times */
	size_t			 count;
};

#define LIST(...)	((const char *const []){ __VA_ARGS__, NULL })

static const struct page_case page_cases[] = {
	{
		.label = "portfolio", .page = "portfolio", .fixture = "portfolio", .whole = 1,
		.has = LIST("<title>Portfolio — ftsuccess</title>",
		    "<form class=\"filters\" method=\"get\" action=\"" BASE "/\"",
		    "value=\"con&quot;to\"",
		    "<option value=\"at_risk\" selected>At risk",
		    "<option value=\"au\" selected>Lowest AU</option>",
		    "<a href=\"" BASE "/customers/1\">Contoso " XSS_ESCAPED "</a>",
		    "<svg class=\"bar", "<rect class=\"fill\" width=\"", "13.1% / 10%", "CSM-led",
		    "Three team sites in daily use: not met",
		    "badge state state-at_risk\">At risk</span>",
		    "href=\"" BASE "/?state=at_risk&amp;sort=au&amp;page=1\"",
		    "href=\"" BASE "/?state=at_risk&amp;sort=au&amp;page=3\"",
		    "href=\"" BASE "/customers/new\"", "href=\"" BASE "/outbox\"",
		    "<caption>", "<th scope=\"col\" role=\"columnheader\">", "data-label=\"State\"",
		    "check-in overdue: last held 2026-11-10, cadence every 2 weeks",
		    "<li>blocker #1 is open: Proxy blocks OneDrive sync &lt;script&gt;</li>",
		    /* Issue 13, item 17: the 12-week chart, its words and its table. */
		    "<svg class=\"history\" viewBox=\"0 0 20 100\"",
		    "<rect class=\"s-at_risk\" x=\"11\" y=\"0\" width=\"8\" height=\"25\"><title>Week of Mon 30 Nov 2026: 1 At risk &lt;script&gt;</title>",
		    "<p id=\"state-chart-summary\">Week of Mon 30 Nov 2026: 2 In progress,",
		    "<td colspan=\"5\" class=\"empty\">not recorded</td>"),
	},
	{
		.label = "customer", .page = "customer", .fixture = "customer", .whole = 1,
		.has = LIST("<h1>Contoso " XSS_ESCAPED "</h1>",
		    /* The failed check-in form is open, shows what was typed and each error at its field. */
		    "<details class=\"form-box\" id=\"form-checkin\" open>",
		    ">Talked about " XSS_ESCAPED "</textarea>",
		    "id=\"f-checkin-next_action_on\" name=\"next_action_on\" value=\"2026-13-01\" "
		    "aria-invalid=\"true\" aria-describedby=\"e-checkin-next_action_on\"",
		    "<p class=\"field-error\" id=\"e-checkin-next_action\">Next action is required.</p>",
		    "<li><a href=\"#f-checkin-next_action\">Next action is required.</a></li>",
		    "role=\"alert\" tabindex=\"-1\" id=\"error-summary\"",
		    "<strong>There are 2 problems:</strong>",
		    /* A refused check-in keeps the services ticked (the handler marks them "checked"). */
		    "name=\"services\" value=\"exchange\" checked>",
		    "name=\"services\" value=\"onedrive\">",
		    /* Every form posts where the routes are. */
		    "action=\"" BASE "/customers/1/checkins\"", "action=\"" BASE "/customers/1/contacts\"",
		    "action=\"" BASE "/customers/1/services\"", "action=\"" BASE "/customers/1/targets\"",
		    "action=\"" BASE "/customers/1/csm\"", "action=\"" BASE "/customers/1/usage\"",
		    "action=\"" BASE "/customers/1/usage/import\" enctype=\"multipart/form-data\"",
		    "action=\"" BASE "/customers/1/blockers\"", "action=\"" BASE "/customers/1/meetings\"",
		    /* Not ready: no review form, the reasons link to where each is dealt with. */
		    "once every reason above is cleared",
		    "<a href=\"#services\">OneDrive for Business: AU 6.8%",
		    "<a href=\"#tasks\">required task 3740",
		    "<span class=\"phase phase-execution\">Success Execution</span>",
		    "action=\"" BASE "/customers/1/tasks/3731/complete\"",
		    "action=\"" BASE "/meetings/1\"",
		    /* Cancelling asks first (issue 13, item 9): a link to the confirmation page. */
		    "<a class=\"button danger small\" href=\"" BASE "/meetings/1/cancel\" data-confirm>Cancel this series…",
		    "href=\"" BASE "/meetings/1/invite.ics\"", "action=\"" BASE "/blockers/1/resolve\"",
		    "href=\"" BASE "/customers/1/edit\"", "href=\"" BASE "/outbox/1\"",
		    /* Programs: ProPlus can still ask for the accelerator. */
		    "action=\"" BASE "/customers/1/accelerator\"", "name=\"service\" value=\"office_proplus\"",
		    /* Trend as inline SVG with the target line; AU as an SVG bar. */
		    "<svg class=\"trend\" viewBox=\"0 0 160 40\"", "aria-label=\"AU trend for Exchange Online",
		    "<path class=\"line\" d=\"M2.0,", "<marker id=\"au-dot\"", "<line class=\"target\"",
		    "id=\"form-review\"",
		    /* The contact form did not fail: its checkbox keeps the default. */
		    "id=\"f-contact-receives_invites\" name=\"receives_invites\" value=\"1\" checked",
		    "Proxy blocks OneDrive sync &lt;script&gt;",
		    /* Who is coming (issue 12): the answers in one sentence, then each, and a proposal. */
		    "<p>Ana " XSS_ESCAPED " accepted, João Araújo declined the Thu 10 Dec 2026 occurrence.</p>",
		    "<span class=\"badge answer-declined\">declined</span> João Araújo &lt;joao@contoso.com&gt;,"
		    " the Thu 10 Dec 2026 occurrence",
		    "proposes <time datetime=\"2026-11-26T15:00:00Z\">Thu 26 Nov 2026, 15:00 UTC</time>"
		    " (2026-11-26T12:00 America/Sao_Paulo) instead of the Thu 26 Nov 2026 occurrence",
		    /* Accepting a proposal for one check-in is the move form, filled in. */
		    "<form method=\"post\" action=\"" BASE "/meetings/2/move\" class=\"mini\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"",
		    "<input type=\"hidden\" name=\"starts_at\" value=\"2026-11-26T12:00\">"),
		.lacks = LIST("id=\"form-blocker\" open",
		    "action=\"" BASE "/customers/1/success-review\"",
		    /* Only the services the FM still covers can be ticked. */
		    "name=\"services\" value=\"teams\"",
		    /* The outcome form belongs to the Success Review phase only. */
		    "action=\"" BASE "/customers/1/success-review/outcome\"",
		    "href=\"" BASE "/meetings/2/cancel\"",	/* cancelled already */
		    "action=\"" BASE "/meetings/1/cancel\"",	/* no form posts it from this page */
		    "action=\"" BASE "/blockers/2/resolve\"",	/* resolved */
		    /* OneDrive joined the program already. */
		    "name=\"service\" value=\"onedrive\">\n<button type=\"submit\" class=\"small\">Join"),
		/* Contact toggles ask first, saying the opposite of the current setting. */
		.after = LIST("href=\"" BASE "/contacts/1/invites\" data-confirm>Stop invites…",
		    "href=\"" BASE "/contacts/2/invites\" data-confirm>Send invites…"),
	},
	{
		.label = "customer_form", .page = "customer_form", .fixture = "customer_form", .whole = 1,
		.has = LIST("<form method=\"post\" action=\"" BASE "/customers/1\"",
		    "name=\"tenant_domain\" value=\"fabrikam.onmicrosoft.com\" aria-invalid=\"true\"",
		    "Tenant domain is already used by Fabrikam.</p>",
		    "<li><a href=\"#f-customer-tenant_domain\">Tenant domain is already used by Fabrikam.</a></li>",
		    "name=\"timezone\" value=\"America/Sao_Paulo\"", "<option value=\"Europe/Berlin\">",
		    "name=\"cadence_weeks\" value=\"2\"", "Save changes"),
		/* Said once at the field and once in the summary: no banner, no API key. */
		.lacks = LIST("action=\"" BASE "/customers\"", "class=\"alert\"", "tenant_domain is"),
	},
	{
		/* The "new" form: the same template without a customer posts to /customers. */
		.label = "new customer", .page = "customer_form",
		.view = "{\"mode\": \"new\", \"title\": \"New customer\", \"user\": \"fm\","
		    " \"base\": \"" BASE "\", \"csrf_token\": \"" TOKEN "\", \"errors\": [],"
		    " \"forms\": {\"customer\": {}}, \"timezones\": [{\"name\": \"UTC\", \"selected\": false}]}",
		.has = LIST("<form method=\"post\" action=\"" BASE "/customers\"", "Create customer",
		    "name=\"name\" value=\"\""),
		.lacks = LIST("aria-invalid", "class=\"error-summary\" role=\"alert\"><p>"),
	},
	{
		.label = "usage_import", .page = "usage_import", .fixture = "usage_import", .whole = 1,
		.has = LIST("action=\"" BASE "/customers/1/usage/import\"",
		    "<input type=\"hidden\" name=\"confirm\" value=\"1\">", "<textarea name=\"csv\" hidden",
		    "2026-11-20,131,869\n" XSS_ESCAPED "\n</textarea>", "Import 2 sample(s)",
		    "skipped: the customer does not intend Yammer", "<td class=\"num\">13.1%</td>"),
	},
	{
		/* Issue 13, item 9: the question before a mail to the customer names who gets it. */
		.label = "confirm", .page = "confirm", .fixture = "confirm", .whole = 1,
		.has = LIST("<h1>Stop a contact&#39;s check-in invites</h1>",
		    "Who will be mailed a cancellation of each active series:",
		    "<li>Ana " XSS_ESCAPED " &lt;ana@contoso.com&gt;</li>",
		    "<form method=\"post\" action=\"" BASE "/contacts/1/invites\">",
		    "<input type=\"hidden\" name=\"receives_invites\" value=\"0\">",
		    ">Stop invites and mail the cancellation</button>",
		    "href=\"" BASE "/customers/1#contacts\">Keep the invites</a>"),
		.lacks = LIST("there is no active series"),
	},
	{
		.label = "outbox", .page = "outbox", .fixture = "outbox", .whole = 1,
		.has = LIST("<form class=\"filters compact\" method=\"get\" action=\"" BASE "/outbox\"",
		    "<option value=\"dead\">Failed for good</option>", "<span class=\"badge mail-dead\">Failed for good</span>",
		    "550 5.1.1 User unknown", "href=\"" BASE "/customers/1\">Contoso " XSS_ESCAPED "</a>",
		    /* Each recipient's outcome, once the notifier has tried them. */
		    "<span class=\"badge mail-dead\">carla@microsoft.example: Failed for good</span>",
		    "<span class=\"badge mail-sent\">ana@contoso.com: Sent</span>"),
		.counted = "/retry\"", .count = 1,	/* only the dead message */
	},
	{
		.label = "outbox_item", .page = "outbox_item", .fixture = "outbox_item", .whole = 1,
		.has = LIST("<h1>Invitation <span class=\"sub\">message 2</span></h1>", "action=\"" BASE "/outbox/2/retry\"",
		    "2026-12-01T10:00 (America/Sao_Paulo)", "<dd>REQUEST (CONFIRMED)</dd>",
		    "every 2 week(s), 30 minutes", "Next action: Send adoption kit",
		    "aria-label=\"Text\">BEGIN:VCALENDAR",
		    "<li>ana@contoso.com: <span class=\"badge mail-dead\">Failed for good</span> after 7 attempt(s)"),
	},
	{
		.label = "outbox_item (handshake)", .page = "outbox_item", .fixture = "outbox_item_handshake",
		.whole = 1,
		.has = LIST("<dt>CSM</dt><dd>Carla Mendes &lt;carla@microsoft.example&gt;</dd>",
		    "Microsoft Teams, live since 2026-10-01 (FTOP 3731)",
		    "<span class=\"badge mail-sent\">Sent</span> after 1 attempt(s)"),
		.lacks = LIST("/retry\"", "Copy of the mail"),
	},
	{
		.label = "week", .page = "week", .fixture = "week", .whole = 1,
		.has = LIST("<title>My week — ftsuccess</title>", "<h1>My week</h1>",
		    "<a href=\"" BASE "/customers/1\">Contoso " XSS_ESCAPED "</a>",
		    "<time datetime=\"2026-11-27\">Fri 27 Nov 2026</time> <span class=\"tag risk\">overdue</span>",
		    "Proxy blocks OneDrive sync &lt;script&gt;", "No check-in this week.",
		    "<a href=\"" BASE "/week\">My week</a>"),
		.lacks = LIST("<script>", "href=\"" BASE "/team\""),
	},
	{
		.label = "profile", .page = "profile", .fixture = "profile",
		.has = LIST("<h1>Profile</h1>", "You have no feed address.",
		    "<input type=\"hidden\" name=\"action\" value=\"regenerate\">",
		    "Make a feed address"),
		.lacks = LIST("Revoke the feed", "Feed address"),
	},
	{
		/* Issue 12: calendar replies kept but not applied, each with its reason in words. */
		.label = "replies_unmatched", .page = "replies_unmatched", .fixture = "replies_unmatched",
		.whole = 1,
		.has = LIST("<h1>Unmatched replies</h1>", "Re: Check-in " XSS_ESCAPED,
		    "The reply answers an older version of the invitation; it was not applied.",
		    "<code>METHOD:REQUEST</code>",
		    "href=\"" BASE "/customers/1\">Contoso " XSS_ESCAPED "</a>",
		    "href=\"" BASE "/replies/unmatched\">Unmatched replies</a>"),
		.lacks = LIST(XSS_RAW, "<form method=\"post\""),
	},
	{
		/* The cgi helper's error page shares the stylesheet; what http_error passes renders escaped. */
		.label = "error", .page = "error",
		.view = "{\"status\": 404, \"title\": \"Not Found\", \"base\": \"" BASE "\","
		    " \"user\": \"fm\", \"message\": \"no customer " XSS_RAW "\"}",
		.has = LIST("no customer " XSS_ESCAPED, "href=\"" BASE "/static/style.css\""),
		.lacks = LIST(XSS_RAW),
	},
};

/* Each page of page_cases renders and shows what its case says. */
static void
test_pages(void **state)
{
	const struct page_case	*c;
	const char *const	*s;
	const char		*p;
	char			*html;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(page_cases) / sizeof(page_cases[0]); i++) {
		c = &page_cases[i];
		html = render_view(c->page, c->fixture, c->view);
		if (c->whole)
			check_page(html, c->label, 1);
		for (s = c->has; s != NULL && *s != NULL; s++)
			expect_has(html, *s, c->label);
		for (s = c->lacks; s != NULL && *s != NULL; s++)
			expect_not(html, *s, c->label);
		for (s = c->after; s != NULL && *s != NULL; s += 2) {
			if ((p = strstr(html, s[0])) == NULL || strstr(p, s[1]) == NULL)
				fail_msg("%s: no \"%s\" after \"%s\"", c->label, s[1], s[0]);
		}
		if (c->counted != NULL && count(html, c->counted) != c->count)
			fail_msg("%s: \"%s\" %zu times, want %zu", c->label, c->counted,
			    count(html, c->counted), c->count);
		free(html);
	}
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

UNIT_MAIN("templates",
	cmocka_unit_test(test_checks_fail),
	cmocka_unit_test(test_all_compile),
	cmocka_unit_test(test_all_installed),
	cmocka_unit_test(test_pages),
)
