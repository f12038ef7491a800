/* readiness.c -- rule 7 as a pure function: the facts of one customer and today in, the verdict and its reasons out. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "playbook.h"
#include "present.h"
#include "rules_impl.h"
#include "i18n.h"
#include "text.h"


/* ---------------------------------------------------------------- readiness (rule 7) */

static void readiness(const struct store_facts *, int32_t, struct playbook_readiness *);

static void
add_reason(struct playbook_readiness *out, int risk, const char *code, const char *service,
    int ftop, int64_t blocker, int days, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Record a reason (risk = 0) or a risk; the text only when asked for (a portfolio sorts 10,000). */
static void
add_reason(struct playbook_readiness *out, int risk, const char *code, const char *service,
    int ftop, int64_t blocker, int days, const char *fmt, ...)
{
	struct playbook_reason	*x;
	size_t			*n = risk ? &out->n_risks : &out->n_reasons;
	va_list			 ap;

	if (*n >= PLAYBOOK_REASONS_MAX)
		return;
	x = &(risk ? out->risks : out->reasons)[(*n)++];
	text_copy(x->code, sizeof(x->code), code);
	text_copy(x->service, sizeof(x->service), service ? service : "");
	x->ftop_id = ftop;
	x->blocker_id = blocker;
	x->days = days;
	x->text[0] = '\0';
	if (out->quiet)
		return;
	/* Words for the reader: the page's language (the code is for machines). */
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof(x->text), _(fmt), ap);
	va_end(ap);
}

int
playbook_next_occurrence(const char *starts_at, int every_weeks, int32_t today, char *out,
    size_t size)
{
	int32_t	 d0, k, period;
	int	 minute;

	if (size > 0)
		out[0] = '\0';
	if (every_weeks < 1 || text_local_datetime_parse(starts_at, &d0, &minute) == -1)
		return -1;
	period = every_weeks * 7;
	if (today > d0) {
		k = (today - d0 + period - 1) / period;
		d0 += k * period;
	}
	text_date_format(d0, out, size);
	return 0;
}

void
playbook_readiness(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	out->quiet = 0;
	readiness(f, today, out);
}

/* The verdict alone: reasons and risks counted and coded, their texts left empty. */
void
rules_readiness_quiet(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	out->quiet = 1;
	readiness(f, today, out);
}

/*
 * Rule 6 per intended service: a reason while it is under target, a risk
 * when it still is a month after going live.  Returns how many services are
 * intended; *covers and *first_live say whether the FM covers a live one and
 * since when (-1 if none).
 */
static int
readiness_services(const struct store_facts *f, int32_t today, struct playbook_readiness *out,
    int *covers, int32_t *first_live)
{
	size_t		 i;
	int32_t		 act;
	int		 n_intended = 0;

	*covers = 0;
	*first_live = -1;
	for (i = 0; i < f->n_services; i++) {
		const struct store_service *s = &f->services[i];
		const char *title = rules_service_title(s->service);
		char target[32] = "", au[32] = "", on[48] = "";

		if (!s->intended)
			continue;
		n_intended++;
		if (rules_fm_covers(s)) {
			*covers = 1;
			if (text_date_parse(s->activated_on, &act) == 0 &&
			    (*first_live < 0 || act < *first_live))
				*first_live = act;
		}
		if (rules_service_met(s))
			continue;
		/* Numbers and days for people, the reader's way ("7,5 %", "qua., 9 de dez. de 2026"). */
		if (!out->quiet) {
			i18n_percent(s->target_percent, target, sizeof(target));
			i18n_percent(playbook_au_percent(s->latest_active, s->latest_eligible), au,
			    sizeof(au));
			if (present_date(s->latest_on, on, sizeof(on)) == -1)
				text_copy(on, sizeof(on), s->latest_on);
		}
		if (s->custom_metric[0] != '\0')
			add_reason(out, 0, "metric_unmet", s->service, 0, 0, 0,
			    "%s: the agreed metric \"%s\" is not met yet", title, s->custom_metric);
		else if (s->latest_on[0] == '\0')
			add_reason(out, 0, "no_au", s->service, 0, 0, 0,
			    "%s: no active usage recorded yet (target %s)", title, target);
		else
			add_reason(out, 0, "under_target", s->service, 0, 0, 0,
			    "%s: AU %s on %s is under the %s target", title, au, on, target);
		/* Still under target a month after going live: adoption is stalling. */
		if (s->activated_on[0] != '\0' && text_date_parse(s->activated_on, &act) == 0 &&
		    today - act > PLAYBOOK_SLOW_ADOPTION_DAYS)
			add_reason(out, 1, "slow_adoption", s->service, 0, 0, (int)(today - act),
			    s->latest_on[0] == '\0' && s->custom_metric[0] == '\0' ?
			    N_("%s: no active usage recorded %d days after activation") :
			    N_("%s: under target %d days after activation"), title, (int)(today - act));
	}
	return n_intended;
}

/* Rules 4 and 5: every open required task and open blocker; an old blocker is a risk. */
static void
readiness_open_work(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	const struct catalog_task *ct;
	size_t		 i;
	int32_t		 d;

	for (i = 0; i < f->n_open_required; i++) {
		ct = catalog_task_find(f->open_required[i]);
		add_reason(out, 0, "task_open", NULL, f->open_required[i], 0, 0,
		    "required task %d (%s) is open", f->open_required[i],
		    ct ? ct->title[catalog_lang_now()] : "FTOP");
	}
	for (i = 0; i < f->n_open_blockers; i++) {
		const struct store_blocker_fact *b = &f->open_blockers[i];

		add_reason(out, 0, "blocker_open", b->service, 0, b->id, 0,
		    "blocker #%" PRId64 " is open: %s", b->id, b->description);
		if (text_date_parse(b->opened_on, &d) == 0 && today - d > PLAYBOOK_OLD_BLOCKER_DAYS)
			add_reason(out, 1, "old_blocker", b->service, 0, b->id, (int)(today - d),
			    "blocker #%" PRId64 " has been open for %d days", b->id, (int)(today - d));
	}
}

/* Whether day d is a skipped occurrence of the customer's series. */
static int
readiness_skipped(const struct store_facts *f, int32_t d)
{
	size_t	 i;
	int32_t	 s;

	for (i = 0; i < f->n_series_skipped; i++)
		if (text_date_parse(f->series_skipped[i], &s) == 0 && s == d)
			return 1;
	return 0;
}

/*
 * Whether a contact accepted the check-in of day on: their answer for that
 * occurrence, else their answer for the whole series (RFC 5546: a reply with
 * RECURRENCE-ID overrides the series' for that instance).
 */
static int
readiness_accepted(const struct store_facts *f, const char *on)
{
	size_t	 i, j;
	char	 answer;

	for (i = 0; i < f->n_series_answers; i++) {
		const struct store_answer_fact *a = &f->series_answers[i];

		answer = 0;
		if (strcmp(a->occurs_on, on) == 0)
			answer = a->answer;
		else if (a->occurs_on[0] == '\0') {
			answer = a->answer;
			for (j = 0; j < f->n_series_answers; j++)
				if (f->series_answers[j].contact_id == a->contact_id &&
				    strcmp(f->series_answers[j].occurs_on, on) == 0)
					answer = 0;	/* the occurrence's own answer decides */
		}
		if (answer == 'a')
			return 1;
	}
	return 0;
}

/*
 * Check-ins are expected only while the FM covers a live service (rule 2):
 * within the cadence of the last check-in, or of the first activation
 * (first_live) when none was held yet.
 */
static void
readiness_cadence(const struct store_facts *f, int32_t today, int32_t first_live,
    struct playbook_readiness *out)
{
	const struct store_customer *c = &f->customer;
	int32_t		 ref = first_live, d, due;
	size_t		 i;
	int		 cadence;
	char		 day[48];

	cadence = f->series_every_weeks > 0 ? f->series_every_weeks :
	    (c->cadence_weeks > 0 ? c->cadence_weeks : 2);
	if (f->last_checkin[0] != '\0' && text_date_parse(f->last_checkin, &d) == 0)
		ref = d;
	if (ref < 0)
		return;
	/*
	 * A skipped occurrence is not due: each one the FM skipped between the
	 * reference and the due day pushes the due day one interval on (in
	 * order, so a push that reaches the next skipped one pushes again).
	 */
	due = ref + cadence * 7;
	for (i = 0; i < f->n_series_skipped; i++)
		if (text_date_parse(f->series_skipped[i], &d) == 0 && d > ref && d <= due)
			due += cadence * 7;
	text_date_format(due, out->due_by, sizeof(out->due_by));
	if (today <= due)
		return;
	out->overdue = 1;
	if (out->quiet)
		day[0] = '\0';
	else if (present_date(f->last_checkin[0] ? f->last_checkin : out->due_by, day,
	    sizeof(day)) == -1)
		text_copy(day, sizeof(day), f->last_checkin[0] ? f->last_checkin : out->due_by);
	if (f->last_checkin[0])
		add_reason(out, 1, "overdue", NULL, 0, 0, (int)(today - due),
		    "check-in overdue: last held %s, cadence every %d week%s",
		    day, cadence, cadence == 1 ? "" : "s");
	else
		add_reason(out, 1, "overdue", NULL, 0, 0, (int)(today - due),
		    "check-in overdue: none held since activation, due by %s", day);
}

static void
readiness(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	enum playbook_phase phase = rules_customer_phase(&f->customer);
	int32_t		 first_live, day;
	int		 covers;

	/* Only the scalars: the reason arrays are large and filled by count. */
	out->state = PLAYBOOK_STATE_IN_PROGRESS;
	out->ready = out->at_risk = out->overdue = 0;
	out->last_checkin[0] = out->next_checkin[0] = out->due_by[0] = '\0';
	out->n_reasons = out->n_risks = 0;
	text_copy(out->last_checkin, sizeof(out->last_checkin), f->last_checkin);
	/* The next check-in is the next occurrence not skipped. */
	if (f->n_active_series > 0 && f->series_every_weeks > 0)
		for (day = today; playbook_next_occurrence(f->series_starts_at,
		    f->series_every_weeks, day, out->next_checkin, sizeof(out->next_checkin)) == 0 &&
		    text_date_parse(out->next_checkin, &day) == 0 && readiness_skipped(f, day) &&
		    day - today <= 7 * 8 * STORE_MEETING_EXCEPTIONS_MAX; day++)
			continue;

	if (readiness_services(f, today, out, &covers, &first_live) == 0)
		add_reason(out, 0, "no_service", NULL, 0, 0, 0, "no intended service recorded yet");
	readiness_open_work(f, today, out);
	if (phase == PLAYBOOK_PHASE_EXECUTION && covers)
		readiness_cadence(f, today, first_live, out);
	/*
	 * A risk once the customer answered the series (replies are read) and
	 * nobody accepted the next check-in: without any answer the mailbox may
	 * simply not be read, which says nothing about the customer.
	 */
	if (phase == PLAYBOOK_PHASE_EXECUTION && f->n_series_answers > 0 &&
	    out->next_checkin[0] != '\0' && !readiness_accepted(f, out->next_checkin))
		add_reason(out, 1, "nobody_accepted", NULL, 0, 0, 0,
		    "nobody from the customer accepted the next check-in (%s)", out->next_checkin);

	out->ready = out->n_reasons == 0;
	out->at_risk = !out->ready && out->n_risks > 0;
	if (phase != PLAYBOOK_PHASE_EXECUTION)
		out->state = phase == PLAYBOOK_PHASE_CLOSED ? PLAYBOOK_STATE_CLOSED :
		    PLAYBOOK_STATE_SUCCESS_REVIEW;
	else if (out->ready)
		out->state = PLAYBOOK_STATE_READY;
	else if (out->at_risk)
		out->state = PLAYBOOK_STATE_AT_RISK;
	else
		out->state = PLAYBOOK_STATE_IN_PROGRESS;
}
