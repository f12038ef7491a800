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

#include "bench.h"
#include "bench_store.h"
#include "buf.h"
#include "mustache.h"

/* Size of each append of the reference: about one text run or value of a page. */
#define RENDER_PIECE	32
/* Turns each side gets. */
#define RENDER_ROUNDS	10

static const char table_src[] =
    "<table>\n<tbody>\n{{#customers}}<tr class=\"row-{{state}}\"><th><a href=\"/customers/{{id}}\">"
    "{{name}}</a></th><td>{{tenant_domain}}</td><td>{{owner_fm}}</td><td>{{state}}</td>"
    "<td>{{last_checkin}}</td><td>{{open_blockers}}</td></tr>\n{{/customers}}</tbody>\n</table>\n";

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

/*
 * One thing timed: a template rendered (from the set by name, or compiled),
 * or the reference, the same bytes appended in RENDER_PIECE pieces to a
 * reused buffer.  Counts and time accumulate over the rounds.
 */
struct job {
	struct mustache_set	*set;
	const char		*name;	/* with set */
	struct mustache_tpl	*tpl;	/* else this */
	json_object		*view;
	const char		*data;	/* neither: append data */
	size_t			 len;
	struct buf		 out;
	long			 n;
	double			 secs;
};

static int
job_once(struct job *j, struct result *r)
{
	size_t	 off, k;

	buf_reset(&j->out);
	if (j->set != NULL)
		return mustache_set_render(j->set, j->name, j->view, &j->out, r);
	if (j->tpl != NULL)
		return mustache_render(j->tpl, j->view, NULL, NULL, &j->out, r);
	for (off = 0; off < j->len; off += k) {
		k = j->len - off < RENDER_PIECE ? j->len - off : RENDER_PIECE;
		buf_append(&j->out, j->data + off, k);
	}
	return j->out.len == j->len ? 0 : -1;
}

/* Run j for about seconds more. */
static int
job_run(struct job *j, double seconds, struct result *r)
{
	double	 t0 = bench_now_s(), t;

	do {
		if (job_once(j, r) == -1)
			return -1;
		j->n++;
		t = bench_now_s() - t0;
	} while (t < seconds);
	j->secs += t;
	return 0;
}

/*
 * The template and its reference take turns in short rounds, so a change in
 * the machine's load (other processes, CPU frequency) hits both alike.
 */
/* One figures line (bench/run reads it): a template's rate against the append reference. */
static void
report(const char *what, size_t rows, const struct job *tpl, const struct job *ref)
{
	printf("%s rows=%zu bytes=%zu render_ops=%.1f append_ops=%.1f ratio=%.4f\n",
	    what, rows, tpl->out.len, tpl->n / tpl->secs, ref->n / ref->secs,
	    (tpl->n / tpl->secs) / (ref->n / ref->secs));
}

static int
compare(struct job *tpl, struct job *ref, double seconds, struct result *r)
{
	int	 i;

	if (job_once(tpl, r) == -1)
		return -1;
	ref->data = tpl->out.data;
	ref->len = tpl->out.len;
	for (i = 0; i < RENDER_ROUNDS; i++)
		if (job_run(tpl, seconds / RENDER_ROUNDS, r) == -1 ||
		    job_run(ref, seconds / RENDER_ROUNDS, r) == -1)
			return -1;
	return 0;
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
	struct job			 page, tab, ref;
	json_object			*view = NULL, *m;
	double				 seconds, t0, t, model_rate;
	size_t				 rows;
	long				 n;

	if (argc != 4) {
		fprintf(stderr, "usage: render DBFILE TEMPLATES_DIR SECONDS\n");
		return 2;
	}
	if (bench_seconds("render", argv[3], &seconds) == -1)
		return 2;
	if (bench_open("render", argv[1], "bench", &st, &pb) == -1)
		return 1;
	result_clear(&r);
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.per_page = 200;

	/* The model: what GET /api/customers?per_page=200 computes before serializing. */
	t0 = bench_now_s();
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
		t = bench_now_s() - t0;
	} while (t < seconds);
	model_rate = (double)n / t;
	rows = json_object_array_length(json_object_object_get(view, "customers"));
	decorate(view);

	if (mustache_set_open(&set, argv[2], &r) == -1 || mustache_set_preload(set, &r) == -1) {
		fprintf(stderr, "render: templates %s: %s\n", argv[2], r.message);
		return 1;
	}
	memset(&page, 0, sizeof(page));
	page.set = set;
	page.name = "portfolio";
	page.view = view;
	memset(&ref, 0, sizeof(ref));
	if (compare(&page, &ref, seconds, &r) == -1) {
		fprintf(stderr, "render: portfolio template: %s\n", r.message);
		return 1;
	}
	report("page", rows, &page, &ref);

	if (mustache_compile(table_src, sizeof(table_src) - 1, &table, &r) == -1) {
		fprintf(stderr, "render: table template: %s\n", r.message);
		return 1;
	}
	memset(&tab, 0, sizeof(tab));
	tab.tpl = table;
	tab.view = view;
	buf_free(&ref.out);
	memset(&ref, 0, sizeof(ref));
	if (compare(&tab, &ref, seconds, &r) == -1) {
		fprintf(stderr, "render: table: %s\n", r.message);
		return 1;
	}
	report("table", rows, &tab, &ref);
	printf("model rows=%zu customers=%d model_ops=%.1f\n", rows,
	    json_object_get_int(json_object_object_get(view, "total")), model_rate);

	buf_free(&page.out);
	buf_free(&tab.out);
	buf_free(&ref.out);
	mustache_free(table);
	mustache_set_close(set);
	json_object_put(view);
	store_close(st);
	return 0;
}
