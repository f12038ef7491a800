/*
 * render.c -- the renderer benchmark: the portfolio page model and its
 * Mustache rendering, against a plain buffer append of the same bytes, in
 * one process so the ratio does not depend on the machine's speed.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"
#include "mustache.h"
#include "playbook.h"
#include "result.h"
#include "store.h"

/* Size of each append of the reference: about one text run or value of a page. */
#define RENDER_PIECE	32

static const char table_src[] =
    "<table>\n<tbody>\n{{#customers}}<tr class=\"row-{{state}}\"><th><a href=\"/customers/{{id}}\">"
    "{{name}}</a></th><td>{{tenant_domain}}</td><td>{{owner_fm}}</td><td>{{state}}</td>"
    "<td>{{last_checkin}}</td><td>{{open_blockers}}</td></tr>\n{{/customers}}</tbody>\n</table>\n";

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The decorations handlers_portfolio adds around the playbook's model (title, filters, pager). */
static void
decorate(json_object *view)
{
	static const char *const states[] = { "ready", "at_risk", "overdue", "in_progress" };
	static const char *const sorts[] = { "name", "state", "next_checkin", "au" };
	json_object	*filters = json_object_new_object(), *arr, *c, *pager;
	size_t		 i;

	json_object_object_add(view, "title", json_object_new_string("Portfolio"));
	json_object_object_add(view, "demo", json_object_new_boolean(1));
	json_object_object_add(view, "base", json_object_new_string(""));
	json_object_object_add(view, "user", json_object_new_string("bench"));
	json_object_object_add(view, "query", json_object_new_object());
	arr = json_object_new_array();
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "key", json_object_new_string(states[i]));
		json_object_object_add(c, "title", json_object_new_string(states[i]));
		json_object_array_add(arr, c);
	}
	json_object_object_add(filters, "states", arr);
	arr = json_object_new_array();
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "key", json_object_new_string(sorts[i]));
		json_object_object_add(c, "title", json_object_new_string(sorts[i]));
		json_object_object_add(c, "selected", json_object_new_boolean(i == 0));
		json_object_array_add(arr, c);
	}
	json_object_object_add(filters, "sorts", arr);
	json_object_object_add(view, "filters", filters);
	pager = json_object_new_object();
	json_object_object_add(pager, "page", json_object_new_int(1));
	json_object_object_add(pager, "pages", json_object_new_int(1));
	json_object_object_add(view, "pager", pager);
}

/* The reference: the same bytes appended in RENDER_PIECE pieces to a reused buffer. */
static double
bench_append(const char *data, size_t len, double seconds)
{
	struct buf	 b;
	double		 t0 = now_s(), t;
	long		 n = 0;
	size_t		 off, k;

	buf_init(&b);
	do {
		buf_reset(&b);
		for (off = 0; off < len; off += k) {
			k = len - off < RENDER_PIECE ? len - off : RENDER_PIECE;
			buf_append(&b, data + off, k);
		}
		if (b.len != len)
			return -1;
		n++;
		t = now_s() - t0;
	} while (t < seconds);
	buf_free(&b);
	return (double)n / t;
}

int
main(int argc, char *argv[])
{
	struct store			*st = NULL;
	struct mustache_set		*set = NULL;
	struct mustache_tpl		*table = NULL;
	struct playbook			 pb;
	struct playbook_portfolio_query	 q;
	struct result			 r;
	struct buf			 out;
	json_object			*view = NULL, *m;
	double				 seconds, t0, t, render_rate, table_rate, model_rate, ref;
	char				*end;
	size_t				 page_len, table_len, rows;
	long				 n;

	if (argc != 4) {
		fprintf(stderr, "usage: render DBFILE TEMPLATES_DIR SECONDS\n");
		return 2;
	}
	errno = 0;
	seconds = strtod(argv[3], &end);
	if (errno != 0 || *end != '\0' || seconds <= 0) {
		fprintf(stderr, "render: bad seconds '%s'\n", argv[3]);
		return 2;
	}
	result_clear(&r);
	if (store_open(&st, argv[1], &r) == -1) {
		fprintf(stderr, "render: open %s: %s\n", argv[1], r.message);
		return 1;
	}
	memset(&pb, 0, sizeof(pb));
	pb.st = st;
	pb.actor = "bench";
	pb.now = (int64_t)time(NULL);
	pb.default_cadence_weeks = 2;
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.per_page = 200;

	/* The model: what GET /api/customers?per_page=200 computes before serializing. */
	t0 = now_s();
	n = 0;
	do {
		if (playbook_portfolio(&pb, &q, &m, &r) == -1) {
			fprintf(stderr, "render: portfolio: %s\n", r.message);
			return 1;
		}
		if (view == NULL)
			view = m;
		else
			json_object_put(m);
		n++;
		t = now_s() - t0;
	} while (t < seconds);
	model_rate = (double)n / t;
	rows = json_object_array_length(json_object_object_get(view, "customers"));
	decorate(view);

	if (mustache_set_open(&set, argv[2], &r) == -1 || mustache_set_preload(set, &r) == -1) {
		fprintf(stderr, "render: templates %s: %s\n", argv[2], r.message);
		return 1;
	}
	buf_init(&out);
	t0 = now_s();
	n = 0;
	do {
		buf_reset(&out);
		if (mustache_set_render(set, "portfolio", view, &out, &r) == -1) {
			fprintf(stderr, "render: portfolio template: %s\n", r.message);
			return 1;
		}
		n++;
		t = now_s() - t0;
	} while (t < seconds);
	render_rate = (double)n / t;
	page_len = out.len;
	ref = bench_append(out.data, out.len, seconds);
	printf("page rows=%zu bytes=%zu render_ops=%.1f append_ops=%.1f ratio=%.4f\n",
	    rows, page_len, render_rate, ref, render_rate / ref);

	if (mustache_compile(table_src, sizeof(table_src) - 1, &table, &r) == -1) {
		fprintf(stderr, "render: table template: %s\n", r.message);
		return 1;
	}
	t0 = now_s();
	n = 0;
	do {
		buf_reset(&out);
		if (mustache_render(table, view, NULL, NULL, &out, &r) == -1) {
			fprintf(stderr, "render: table: %s\n", r.message);
			return 1;
		}
		n++;
		t = now_s() - t0;
	} while (t < seconds);
	table_rate = (double)n / t;
	table_len = out.len;
	ref = bench_append(out.data, out.len, seconds);
	printf("table rows=%zu bytes=%zu render_ops=%.1f append_ops=%.1f ratio=%.4f\n",
	    rows, table_len, table_rate, ref, table_rate / ref);
	printf("model rows=%zu customers=%d model_ops=%.1f\n", rows,
	    json_object_get_int(json_object_object_get(view, "total")), model_rate);

	buf_free(&out);
	mustache_free(table);
	mustache_set_close(set);
	json_object_put(view);
	store_close(st);
	return 0;
}
