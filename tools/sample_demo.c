/* sample_demo.c -- the dozen demo customers of ftsuccess-sample-data (tools/sample_demo.txt): each a story of events played through the playbook on its own day. */
#include "autoconfig.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "playbook.h"
#include "result.h"
#include "store.h"
#include "text.h"
#include "usagecsv.h"
#include "sample_data.h"

/* ---------------------------------------------------------------- demo customers */

/* The demo data; tools/tools.am names the file in the source tree. */
#ifndef SAMPLE_DEMO_DATA
#error "SAMPLE_DEMO_DATA must name tools/sample_demo.txt (see tools/tools.am)"
#endif

/* The members are the fields of tools/sample_demo.txt, described at its top. */
struct demo_contact {
	const char	*name;
	const char	*email;
};

struct demo_service {
	const char	*key;
	int		 activated_ago;	/* days before today it went live; -1 = intended only */
	long long	 eligible;
	double		 start_pct;	/* AU at the first weekly sample */
	double		 end_pct;	/* AU at the latest sample */
	double		 target;	/* agreed AU target, 0 = the default 10 % */
	const char	*metric;	/* agreed success metric instead of AU, NULL = none */
	int		 metric_met;
	int		 target_ago;	/* when the target/metric was agreed */
};

struct demo_blocker {
	int		 opened_ago;
	int		 resolved_ago;	/* -1 = still open */
	const char	*service;	/* NULL = whole customer */
	const char	*l2;
	const char	*description;
	const char	*owner;
	const char	*resolution;
};

struct demo_task {
	int		 ftop_id;	/* 0 = end of list */
	int		 done_ago;
	const char	*note;
};

struct demo_customer {
	const char	*name;
	const char	*domain;
	const char	*tz;
	const char	*owner_fm;
	int		 pt;		/* notes in Portuguese */
	int		 cadence;	/* weeks */
	int		 created_ago;
	struct demo_contact contacts[3];	/* all receive invites */
	const char	*csm_name;
	const char	*csm_email;
	int		 csm_ago;	/* -1 = no CSM */
	struct demo_service services[5];
	int		 series_ago;	/* -1 = no check-in series */
	int		 first_checkin_ago;	/* -1 = none held */
	int		 last_checkin_ago;
	int		 sample_lag;	/* days from the latest sample to today */
	int		 adoption_ago;	/* OneDrive Adoption Program joined, -1 = no */
	int		 accelerator_ago;	/* Office ProPlus accelerator, -1 = no */
	struct demo_task tasks[4];
	struct demo_blocker blockers[3];
	int		 review_ago;	/* Success Review started, -1 = no */
	const char	*outcome;
	int		 outcome_ago;
	const char	*expect;	/* the readiness state the story ends in */
};

/* How a field's text becomes its member. */
enum demo_type { DEMO_TEXT, DEMO_INT, DEMO_COUNT, DEMO_PERCENT };

/* One name=value field of a record and the member it fills. */
struct demo_field {
	const char	*name;
	enum demo_type	 type;
	size_t		 off;
};

#define DEMO_FIELD(st, member, t) { .name = #member, .type = (t), .off = offsetof(struct st, member) }

static const struct demo_field customer_fields[] = {
	DEMO_FIELD(demo_customer, name, DEMO_TEXT), DEMO_FIELD(demo_customer, domain, DEMO_TEXT),
	DEMO_FIELD(demo_customer, tz, DEMO_TEXT), DEMO_FIELD(demo_customer, owner_fm, DEMO_TEXT),
	DEMO_FIELD(demo_customer, pt, DEMO_INT), DEMO_FIELD(demo_customer, cadence, DEMO_INT),
	DEMO_FIELD(demo_customer, created_ago, DEMO_INT),
	DEMO_FIELD(demo_customer, csm_name, DEMO_TEXT), DEMO_FIELD(demo_customer, csm_email, DEMO_TEXT),
	DEMO_FIELD(demo_customer, csm_ago, DEMO_INT), DEMO_FIELD(demo_customer, series_ago, DEMO_INT),
	DEMO_FIELD(demo_customer, first_checkin_ago, DEMO_INT),
	DEMO_FIELD(demo_customer, last_checkin_ago, DEMO_INT),
	DEMO_FIELD(demo_customer, sample_lag, DEMO_INT),
	DEMO_FIELD(demo_customer, adoption_ago, DEMO_INT),
	DEMO_FIELD(demo_customer, accelerator_ago, DEMO_INT),
	DEMO_FIELD(demo_customer, review_ago, DEMO_INT), DEMO_FIELD(demo_customer, outcome, DEMO_TEXT),
	DEMO_FIELD(demo_customer, outcome_ago, DEMO_INT), DEMO_FIELD(demo_customer, expect, DEMO_TEXT),
};
static const struct demo_field contact_fields[] = {
	DEMO_FIELD(demo_contact, name, DEMO_TEXT), DEMO_FIELD(demo_contact, email, DEMO_TEXT),
};
static const struct demo_field service_fields[] = {
	DEMO_FIELD(demo_service, key, DEMO_TEXT), DEMO_FIELD(demo_service, activated_ago, DEMO_INT),
	DEMO_FIELD(demo_service, eligible, DEMO_COUNT),
	DEMO_FIELD(demo_service, start_pct, DEMO_PERCENT), DEMO_FIELD(demo_service, end_pct, DEMO_PERCENT),
	DEMO_FIELD(demo_service, target, DEMO_PERCENT), DEMO_FIELD(demo_service, metric, DEMO_TEXT),
	DEMO_FIELD(demo_service, metric_met, DEMO_INT), DEMO_FIELD(demo_service, target_ago, DEMO_INT),
};
static const struct demo_field task_fields[] = {
	DEMO_FIELD(demo_task, ftop_id, DEMO_INT), DEMO_FIELD(demo_task, done_ago, DEMO_INT),
	DEMO_FIELD(demo_task, note, DEMO_TEXT),
};
static const struct demo_field blocker_fields[] = {
	DEMO_FIELD(demo_blocker, opened_ago, DEMO_INT), DEMO_FIELD(demo_blocker, resolved_ago, DEMO_INT),
	DEMO_FIELD(demo_blocker, service, DEMO_TEXT), DEMO_FIELD(demo_blocker, l2, DEMO_TEXT),
	DEMO_FIELD(demo_blocker, description, DEMO_TEXT), DEMO_FIELD(demo_blocker, owner, DEMO_TEXT),
	DEMO_FIELD(demo_blocker, resolution, DEMO_TEXT),
};

/*
 * The kinds of record: a customer, or one of its rows (slots of size bytes
 * at offset off of the customer, max of them).
 */
enum { REC_CUSTOMER, REC_CONTACT, REC_SERVICE, REC_TASK, REC_BLOCKER, REC__MAX };
static const struct demo_record {
	const char		*kind;
	const struct demo_field	*fields;
	size_t			 nfields;
	size_t			 off, size, max;
} demo_records[REC__MAX] = {
#define DEMO_ROWS(k, flds, member) { .kind = (k), .fields = (flds), .nfields = NELEM(flds),	\
	.off = offsetof(struct demo_customer, member),						\
	.size = sizeof(((struct demo_customer *)NULL)->member[0]),				\
	.max = NELEM(((struct demo_customer *)NULL)->member) }
	[REC_CUSTOMER] = { .kind = "customer", .fields = customer_fields,
	    .nfields = NELEM(customer_fields), .size = sizeof(struct demo_customer), .max = 1 },
	[REC_CONTACT] = DEMO_ROWS("contact", contact_fields, contacts),
	[REC_SERVICE] = DEMO_ROWS("service", service_fields, services),
	[REC_TASK] = DEMO_ROWS("task", task_fields, tasks),
	[REC_BLOCKER] = DEMO_ROWS("blocker", blocker_fields, blockers),
#undef DEMO_ROWS
};

/* The demo customers as read: their texts point into text. */
struct demo_data {
	char			*text;
	struct demo_customer	*v;
	size_t			 n, cap;
	size_t			 used[REC__MAX];	/* rows of each kind given to v[n - 1] */
};

/* Store the text value in member f of the record at base: 0, or -1 (said on stderr). */
static int
demo_set(char *base, const struct demo_field *f, const char *value, const char *where)
{
	char		*end;
	long long	 num;
	double		 dec;
	int		 i;

	errno = 0;
	switch (f->type) {
	case DEMO_TEXT:
		memcpy(base + f->off, &value, sizeof(value));
		return 0;
	case DEMO_INT:
	case DEMO_COUNT:
		num = strtoll(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' ||
		    (f->type == DEMO_INT && (num < -1000000 || num > 1000000)))
			break;
		if (f->type == DEMO_COUNT) {
			memcpy(base + f->off, &num, sizeof(num));
			return 0;
		}
		i = (int)num;
		memcpy(base + f->off, &i, sizeof(i));
		return 0;
	case DEMO_PERCENT:
		dec = strtod(value, &end);
		if (errno != 0 || end == value || *end != '\0' || !isfinite(dec) || dec < 0 || dec > 100)
			break;
		memcpy(base + f->off, &dec, sizeof(dec));
		return 0;
	}
	fprintf(stderr, "%s: %s: %s=\"%s\" is not a %s\n", PROG, where, f->name, value,
	    f->type == DEMO_PERCENT ? "percentage" : "whole number");
	return -1;
}

/*
 * One record line, its TABs and '=' overwritten: a new customer, or a row
 * of the last one.  0, or -1 (said on stderr naming where).
 */
static int
demo_record(struct demo_data *dd, char *line, const char *where)
{
	const struct demo_record	*rec = NULL;
	struct demo_customer		*c;
	char				*p, *next, *eq, *base;
	size_t				 k, i;

	if ((next = strchr(line, '\t')) != NULL)
		*next++ = '\0';
	for (k = 0; k < REC__MAX && rec == NULL; k++)
		if (strcmp(demo_records[k].kind, line) == 0)
			rec = &demo_records[k];
	if (rec == NULL) {
		fprintf(stderr, "%s: %s: unknown record \"%s\"\n", PROG, where, line);
		return -1;
	}
	if (rec == &demo_records[REC_CUSTOMER]) {
		if ((c = buf_array_room(dd->v, dd->n, &dd->cap, sizeof(*c), 16)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", PROG);
			return -1;
		}
		dd->v = c;
		memset(&dd->v[dd->n++], 0, sizeof(*c));
		memset(dd->used, 0, sizeof(dd->used));
	} else if (dd->n == 0) {
		fprintf(stderr, "%s: %s: a %s before the first customer\n", PROG, where, rec->kind);
		return -1;
	}
	k = (size_t)(rec - demo_records);
	if (rec != &demo_records[REC_CUSTOMER] && dd->used[k] >= rec->max) {
		fprintf(stderr, "%s: %s: more than %zu %s records for one customer\n", PROG, where,
		    rec->max, rec->kind);
		return -1;
	}
	base = (char *)&dd->v[dd->n - 1] + rec->off + dd->used[k]++ * rec->size;
	for (p = next; p != NULL; p = next) {
		if ((next = strchr(p, '\t')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(p, '=')) == NULL) {
			fprintf(stderr, "%s: %s: \"%s\" is not name=value\n", PROG, where, p);
			return -1;
		}
		*eq = '\0';
		for (i = 0; i < rec->nfields && strcmp(rec->fields[i].name, p) != 0; i++)
			;
		if (i == rec->nfields) {
			fprintf(stderr, "%s: %s: a %s has no field \"%s\"\n", PROG, where, rec->kind, p);
			return -1;
		}
		if (demo_set(base, &rec->fields[i], eq + 1, where) == -1)
			return -1;
	}
	return 0;
}

/* Read path (see the top of tools/sample_demo.txt) into dd: 0, or -1 (said on stderr). */
static int
demo_read(const char *path, struct demo_data *dd)
{
	FILE	*fp;
	char	*line, *nl, where[300];
	long	 size;
	size_t	 lineno = 0;

	memset(dd, 0, sizeof(*dd));
	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(errno));
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) == -1 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) == -1 ||
	    (dd->text = malloc((size_t)size + 1)) == NULL ||
	    fread(dd->text, 1, (size_t)size, fp) != (size_t)size) {
		fprintf(stderr, "%s: %s: cannot read: %s\n", PROG, path, strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	dd->text[size] = '\0';
	for (line = dd->text; *line != '\0'; line = nl) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		else
			nl = line + strlen(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		if (demo_record(dd, line, where) == -1)
			return -1;
	}
	if (dd->n == 0) {
		fprintf(stderr, "%s: %s: no customer\n", PROG, path);
		return -1;
	}
	return 0;
}

const char *const sample_summary_en[SAMPLE_POOL] = {
	"Reviewed the AU trend per service; usage is growing since the pilot groups went live.",
	"Walked the IT lead through the usage dashboards of the adoption content pack.",
	"Agreed the training plan for the next wave of users.",
	"Went through the open blockers and confirmed an owner for each.",
	"Champions programme kicked off; the first lunch-and-learn sessions are booked.",
};
static const char *const summary_pt[] = {
	"Revisamos a evolução do uso ativo por serviço; a adoção cresce desde a ativação dos grupos piloto.",
	"Apresentamos ao líder de TI os painéis de uso do pacote de conteúdo de adoção.",
	"Combinamos o plano de treinamento da próxima onda de usuários.",
	"Revisamos os bloqueios em aberto e confirmamos um responsável para cada um.",
	"Programa de campeões iniciado; as primeiras sessões de almoço e aprendizado estão agendadas.",
};
const char *const sample_action_en[SAMPLE_POOL] = {
	"Send the usage dashboard link to the department heads",
	"Schedule training for the finance team",
	"Confirm licence assignment for the second wave",
	"Share the adoption kit with the champions",
	"Review the SharePoint site templates with the intranet team",
};
static const char *const action_pt[] = {
	"Enviar o link do painel de uso aos gerentes de área",
	"Agendar o treinamento da equipe financeira",
	"Confirmar a atribuição de licenças da segunda onda",
	"Compartilhar o kit de adoção com os campeões",
	"Revisar os modelos de site do SharePoint com a equipe da intranet",
};

/* One thing that happens to a demo customer on a day. */
enum ev_kind {
	EV_CREATE, EV_CONTACTS, EV_INTEND, EV_ACTIVATE, EV_CSM, EV_TARGET, EV_ADOPTION,
	EV_ACCELERATOR, EV_SAMPLE, EV_SERIES, EV_CHECKIN, EV_TASK, EV_BLOCKER_OPEN,
	EV_BLOCKER_RESOLVE, EV_REVIEW, EV_OUTCOME, EV__MAX
};

static const char *const ev_names[EV__MAX] = {
	[EV_CREATE] = "create customer", [EV_CONTACTS] = "add contacts",
	[EV_INTEND] = "add intended service", [EV_ACTIVATE] = "activate service",
	[EV_CSM] = "assign CSM", [EV_TARGET] = "agree target",
	[EV_ADOPTION] = "join adoption program", [EV_ACCELERATOR] = "request accelerator",
	[EV_SAMPLE] = "record AU sample", [EV_SERIES] = "schedule check-ins",
	[EV_CHECKIN] = "log check-in", [EV_TASK] = "complete task",
	[EV_BLOCKER_OPEN] = "open blocker", [EV_BLOCKER_RESOLVE] = "resolve blocker",
	[EV_REVIEW] = "start Success Review", [EV_OUTCOME] = "record review outcome",
};

struct event {
	int32_t		 day;
	enum ev_kind	 kind;	/* also the order of events within a day */
	int		 idx;	/* service, task or blocker index */
	int		 n;	/* ordinal (check-in number, sample day) */
};

struct events {
	struct event	*v;
	size_t		 n, cap;
};

static int
ev_add(struct events *e, int32_t day, enum ev_kind kind, int idx, int n)
{
	struct event *nv;

	if ((nv = buf_array_room(e->v, e->n, &e->cap, sizeof(*nv), 64)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -1;
	}
	e->v = nv;
	e->v[e->n].day = day;
	e->v[e->n].kind = kind;
	e->v[e->n].idx = idx;
	e->v[e->n].n = n;
	e->n++;
	return 0;
}

static int
ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

static size_t
n_services(const struct demo_customer *d)
{
	size_t n = 0;

	while (n < NELEM(d->services) && d->services[n].key != NULL)
		n++;
	return n;
}

/* Every event of a demo customer, in the order they happened. */
static int
demo_events(const struct gen *g, const struct demo_customer *d, struct events *e)
{
	int32_t	 t = g->today, day;
	size_t	 i, ns = n_services(d);
	int	 k, step = d->cadence * 7;

	if (ev_add(e, t - d->created_ago, EV_CREATE, 0, 0) == -1 ||
	    ev_add(e, t - d->created_ago, EV_CONTACTS, 0, 0) == -1)
		return -1;
	for (i = 0; i < ns; i++) {
		const struct demo_service *s = &d->services[i];

		if (ev_add(e, t - d->created_ago, EV_INTEND, (int)i, 0) == -1)
			return -1;
		if (s->target != 0 || s->metric != NULL)
			if (ev_add(e, t - s->target_ago, EV_TARGET, (int)i, 0) == -1)
				return -1;
		if (s->activated_ago < 0)
			continue;
		if (ev_add(e, t - s->activated_ago, EV_ACTIVATE, (int)i, 0) == -1)
			return -1;
		/* Weekly samples counted back from the latest, the first a week after go-live. */
		for (day = t - d->sample_lag; day >= t - s->activated_ago + 7; day -= 7)
			if (ev_add(e, day, EV_SAMPLE, (int)i, 0) == -1)
				return -1;
	}
	if (d->csm_ago >= 0 && ev_add(e, t - d->csm_ago, EV_CSM, 0, 0) == -1)
		return -1;
	if (d->series_ago >= 0 && ev_add(e, t - d->series_ago, EV_SERIES, 0, 0) == -1)
		return -1;
	if (d->first_checkin_ago >= 0)
		for (k = 0, day = t - d->last_checkin_ago; day >= t - d->first_checkin_ago;
		    day -= step, k++)
			if (ev_add(e, day, EV_CHECKIN, 0, k) == -1)
				return -1;
	if (d->adoption_ago >= 0 && ev_add(e, t - d->adoption_ago, EV_ADOPTION, 0, 0) == -1)
		return -1;
	if (d->accelerator_ago >= 0 &&
	    ev_add(e, t - d->accelerator_ago, EV_ACCELERATOR, 0, 0) == -1)
		return -1;
	for (i = 0; i < NELEM(d->tasks) && d->tasks[i].ftop_id; i++)
		if (ev_add(e, t - d->tasks[i].done_ago, EV_TASK, (int)i, 0) == -1)
			return -1;
	for (i = 0; i < NELEM(d->blockers) && d->blockers[i].description; i++) {
		if (ev_add(e, t - d->blockers[i].opened_ago, EV_BLOCKER_OPEN, (int)i, 0) == -1)
			return -1;
		if (d->blockers[i].resolved_ago >= 0 &&
		    ev_add(e, t - d->blockers[i].resolved_ago, EV_BLOCKER_RESOLVE, (int)i, 0) == -1)
			return -1;
	}
	if (d->review_ago >= 0 && ev_add(e, t - d->review_ago, EV_REVIEW, 0, 0) == -1)
		return -1;
	if (d->outcome != NULL && ev_add(e, t - d->outcome_ago, EV_OUTCOME, 0, 0) == -1)
		return -1;
	qsort(e->v, e->n, sizeof(*e->v), ev_cmp);
	return 0;
}

/* The services the FM covers right now (activated, not CSM-led): rule 2, read from the store. */
static int
covered_services(struct gen *g, int64_t id, char keys[][32], size_t max, size_t *n,
    struct result *r)
{
	struct store_service	*list;
	size_t			 nl, i;

	*n = 0;
	if (store_service_list(g->st, id, &list, &nl, r) == -1)
		return -1;
	for (i = 0; i < nl && *n < max; i++)
		if (list[i].intended && list[i].activated_on[0] && !list[i].csm_led)
			text_copy(keys[(*n)++], 32, list[i].service);
	free(list);
	return 0;
}

static int
demo_checkin(struct gen *g, const struct demo_customer *d, int64_t id, int32_t day, int k,
    struct result *r)
{
	struct playbook_checkin_input	 in;
	char				 keys[8][32], held[11], next[11];
	const char			*svc[8];
	size_t				 n, i;

	if (covered_services(g, id, keys, NELEM(keys), &n, r) == -1)
		return -1;
	for (i = 0; i < n; i++)
		svc[i] = keys[i];
	sample_date_of(day, held, sizeof(held));
	sample_date_of(day + (int32_t)sample_rnd_range(g, 5, 14), next, sizeof(next));
	memset(&in, 0, sizeof(in));
	in.held_on = held;
	in.summary = d->pt ? summary_pt[(size_t)k % NELEM(summary_pt)] :
	    sample_summary_en[(size_t)k % NELEM(sample_summary_en)];
	in.next_action = d->pt ? PICK(g, action_pt) : PICK(g, sample_action_en);
	in.next_action_on = next;
	in.next_action_owner = d->contacts[(size_t)k % 2].name;
	in.services = svc;
	in.n_services = n;
	g->calls++;
	return playbook_checkin_log(&g->pb, id, &in, NULL, r);
}

/* One AU sample on `day` on the service's curve, with a little week-to-week noise. */
static int
demo_sample(struct gen *g, const struct demo_customer *d, int64_t id, const struct demo_service *s,
    int32_t day, struct result *r)
{
	int32_t		 first = g->today - s->activated_ago + 7, last = g->today - d->sample_lag;
	double		 x = last > first ? (double)(day - first) / (double)(last - first) : 1.0;
	double		 pct = sample_au_curve(s->start_pct, s->end_pct, x);
	long long	 eligible;
	char		 on[11];

	/* The latest sample is exactly on target for the story; earlier ones wobble. */
	if (day != last)
		pct += (sample_rnd_unit(g) - 0.5) * 0.6;
	/* Licences are assigned in waves: eligible users grow towards the final count. */
	eligible = s->eligible - (long long)((1.0 - x) * (double)s->eligible * 0.08);
	sample_date_of(day, on, sizeof(on));
	g->calls++;
	return playbook_usage_record(&g->pb, id, s->key, on, sample_active_of(pct, eligible), eligible,
	    "manual", r);
}

/*
 * The story must end where the table says: judge the customer as the
 * dashboard will (at the present time) and refuse data that says otherwise.
 */
static int
demo_check(struct gen *g, const struct demo_customer *d, int64_t id)
{
	struct store_facts		 f;
	struct playbook_readiness	*rd;
	struct result			 r;
	size_t				 i;
	int				 rc = 0;

	result_clear(&r);
	if (store_facts_get(g->st, id, &f, &r) == -1)
		return sample_failed(d->name, "read back", &r);
	if ((rd = malloc(sizeof(*rd))) == NULL) {
		store_facts_clear(&f);
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -1;
	}
	playbook_readiness(&f, text_date_today(f.customer.timezone, (time_t)g->end_now), rd);
	if (strcmp(playbook_state_key(rd->state), d->expect) != 0) {
		fprintf(stderr, "%s: %s: state is %s, the story wants %s\n", PROG, d->name,
		    playbook_state_key(rd->state), d->expect);
		for (i = 0; i < rd->n_reasons; i++)
			fprintf(stderr, "%s:   reason: %s\n", PROG, rd->reasons[i].text);
		for (i = 0; i < rd->n_risks; i++)
			fprintf(stderr, "%s:   risk: %s\n", PROG, rd->risks[i].text);
		rc = -1;
	} else if (!g->quiet)
		printf("%s: %s (%s): %s\n", PROG, d->name, d->tz, playbook_state_key(rd->state));
	free(rd);
	store_facts_clear(&f);
	return rc;
}

/*
 * One event of a demo story: the playbook call it stands for (one per
 * contact, sample or check-in where there are several).  *id is set by
 * EV_CREATE; blocker_ids[] keeps what EV_BLOCKER_OPEN opened for its resolve.
 * Over 100 lines on purpose: one flat case per event kind, each a single
 * call, reads as the table of what each event does; split, it would not.
 */
static int
demo_step(struct gen *g, const struct demo_customer *d, const struct event *ev, int64_t *id,
    int64_t blocker_ids[3], struct result *r)
{
	const struct demo_service		*s = &d->services[ev->idx];
	struct playbook_customer_input		 ci;
	struct playbook_service_input		 si;
	struct playbook_blocker_input		 bi;
	size_t					 j;
	char					 on[11], starts[17];

	switch (ev->kind) {
	case EV_CREATE:
		memset(&ci, 0, sizeof(ci));
		ci.name = d->name;
		ci.tenant_domain = d->domain;
		ci.timezone = d->tz;
		ci.owner_fm = d->owner_fm;
		ci.cadence_weeks = d->cadence;
		g->calls++;
		if (playbook_customer_create(&g->pb, &ci, id, r) == -1)
			return -1;
		break;
	case EV_CONTACTS:
		for (j = 0; j < NELEM(d->contacts) && d->contacts[j].name; j++) {
			g->calls++;
			if (playbook_contact_add(&g->pb, *id, d->contacts[j].name,
			    d->contacts[j].email, 1, NULL, r) == -1)
				return -1;
		}
		break;
	case EV_INTEND:
	case EV_ACTIVATE:
		memset(&si, 0, sizeof(si));
		si.service = s->key;
		si.licensed_users = s->eligible;
		if (ev->kind == EV_ACTIVATE) {
			sample_date_of(ev->day, on, sizeof(on));
			si.activated_on = on;
		}
		g->calls++;
		if (playbook_service_activate(&g->pb, *id, &si, r) == -1)
			return -1;
		break;
	case EV_CSM:
		g->calls++;
		if (playbook_csm_assign(&g->pb, *id, d->csm_name, d->csm_email, NULL, r) == -1)
			return -1;
		break;
	case EV_TARGET:
		g->calls++;
		if (playbook_service_target(&g->pb, *id, s->key, s->target, s->metric,
		    s->metric_met, r) == -1)
			return -1;
		break;
	case EV_ADOPTION:
		g->calls++;
		if (playbook_adoption_join(&g->pb, *id, "onedrive", r) == -1)
			return -1;
		break;
	case EV_ACCELERATOR:
		g->calls++;
		if (playbook_accelerator_request(&g->pb, *id, "office_proplus", r) == -1)
			return -1;
		break;
	case EV_SAMPLE:
		if (demo_sample(g, d, *id, s, ev->day, r) == -1)
			return -1;
		break;
	case EV_SERIES:
		/* Two days later at 10:00 in the customer's zone, every cadence. */
		sample_date_of(ev->day + 2, on, sizeof(on));
		snprintf(starts, sizeof(starts), "%sT10:00", on);
		g->calls++;
		if (playbook_meeting_schedule(&g->pb, *id, starts, 45, d->cadence, NULL, r) == -1)
			return -1;
		break;
	case EV_CHECKIN:
		if (demo_checkin(g, d, *id, ev->day, ev->n, r) == -1)
			return -1;
		break;
	case EV_TASK:
		g->calls++;
		if (playbook_task_complete(&g->pb, *id, d->tasks[ev->idx].ftop_id,
		    d->tasks[ev->idx].note, r) == -1)
			return -1;
		break;
	case EV_BLOCKER_OPEN:
		memset(&bi, 0, sizeof(bi));
		bi.description = d->blockers[ev->idx].description;
		bi.owner = d->blockers[ev->idx].owner;
		bi.l2_reason = d->blockers[ev->idx].l2;
		bi.service = d->blockers[ev->idx].service;
		g->calls++;
		if (playbook_blocker_open(&g->pb, *id, &bi, &blocker_ids[ev->idx], r) == -1)
			return -1;
		break;
	case EV_BLOCKER_RESOLVE:
		g->calls++;
		if (playbook_blocker_resolve(&g->pb, blocker_ids[ev->idx],
		    d->blockers[ev->idx].resolution, r) == -1)
			return -1;
		break;
	case EV_REVIEW:
		g->calls++;
		if (playbook_review_start(&g->pb, *id, r) == -1)
			return -1;
		break;
	case EV_OUTCOME:
		g->calls++;
		if (playbook_review_outcome(&g->pb, *id, d->outcome, r) == -1)
			return -1;
		break;
	case EV__MAX:
		break;
	}
	return 0;
}

static int
demo_customer(struct gen *g, const struct demo_customer *d)
{
	struct events				 e = { NULL, 0, 0 };
	struct result				 r;
	int64_t					 id = 0, blocker_ids[3] = { 0, 0, 0 };
	size_t					 i;
	int					 rc = -1;
	char					 on[11];

	result_clear(&r);
	g->pb.actor = d->owner_fm;
	if (demo_events(g, d, &e) == -1)
		goto out;
	for (i = 0; i < e.n; i++) {
		/* Walk the clock forward: the rules judge each step by its own day. */
		sample_clock_at(g, e.v[i].day, (int)i);
		if (demo_step(g, d, &e.v[i], &id, blocker_ids, &r) == -1)
			goto fail;
	}
	rc = demo_check(g, d, id);
	goto out;
fail:
	{
		char what[96];

		sample_date_of(e.v[i].day, on, sizeof(on));
		snprintf(what, sizeof(what), "%s on %s", ev_names[e.v[i].kind], on);
		sample_failed(d->name, what, &r);
	}
out:
	free(e.v);
	return rc;
}

/* Every demo customer in turn: 0, or -1 at the first refused call (said on stderr). */
int
sample_demo_customers(struct gen *g)
{
	struct demo_data	 dd;
	size_t			 k;
	int			 rc = 0;
	const char		*path = getenv("FTS_SAMPLE_DEMO_DATA");

	/* The tests point FTS_SAMPLE_DEMO_DATA at broken copies. */
	if (path == NULL || path[0] == '\0')
		path = SAMPLE_DEMO_DATA;
	if (demo_read(path, &dd) == -1)
		rc = -1;
	for (k = 0; rc == 0 && k < dd.n; k++)
		rc = demo_customer(g, &dd.v[k]);
	free(dd.v);
	free(dd.text);
	return rc;
}
