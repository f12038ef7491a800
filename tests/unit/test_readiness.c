/* test_readiness.c -- every readiness rule (rule 7) at its boundary: exactly at the limit and one step past it. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "playbook.h"
#include "present.h"
#include "store.h"
#include "text.h"
#include "unit.h"
#include "verdict.h"

/*
 * playbook_readiness is pure, so the facts are built by hand: one customer
 * in execution with one FM-led service activated long ago, its AU met and a
 * check-in held today -- ready, no risk.  Each row of the table below moves
 * one fact of that base to the boundary of one rule or one step past it, so
 * a boundary moved by one day or one user in readiness.c fails here, naming
 * the row.  Checked by mutation: old blocker and slow adoption `>` to `>=`
 * or `> N + 1`, overdue `>` to `>=` or `+ 1`, the AU comparison made
 * strict, a required task or a blocker skipped, at_risk or ready counting
 * the other, the default cadence changed -- each fails a row.
 */
#define TODAY		20619		/* 2026-06-15 */
#define TODAY_TEXT	"2026-06-15"
#define YESTERDAY_TEXT	"2026-06-14"

struct facts {
	struct store_facts	 f;
	struct store_service	 svc[2];
	struct store_blocker_fact blk[1];
	int			 req[1];
};

/* Set a date member of the facts to `days` before TODAY. */
#define SET_AGO(member, days) text_date_format(TODAY - (days), (member), sizeof(member))

static void
facts_base(struct facts *x)
{
	memset(x, 0, sizeof(*x));
	x->f.customer.id = 1;
	snprintf(x->f.customer.name, sizeof(x->f.customer.name), "Contoso");
	snprintf(x->f.customer.phase, sizeof(x->f.customer.phase), "execution");
	x->f.customer.cadence_weeks = 2;
	snprintf(x->svc[0].service, sizeof(x->svc[0].service), "exchange");
	x->svc[0].intended = 1;
	SET_AGO(x->svc[0].activated_on, 10);
	x->svc[0].target_percent = 10.0;
	x->svc[0].licensed_users = -1;
	SET_AGO(x->svc[0].latest_on, 1);
	x->svc[0].latest_active = 50;
	x->svc[0].latest_eligible = 100;
	x->f.services = x->svc;
	x->f.n_services = 1;
	x->f.open_required = x->req;
	x->f.open_blockers = x->blk;
	SET_AGO(x->f.last_checkin, 0);
}

/* ---- the moves: each changes the base facts by the row's two numbers a and b */

/* Blocker #b about Exchange, opened a days ago. */
static void
blocker(struct facts *x, int a, int b)
{
	x->blk[0].id = b;
	snprintf(x->blk[0].service, sizeof(x->blk[0].service), "exchange");
	snprintf(x->blk[0].description, sizeof(x->blk[0].description), "no licences");
	SET_AGO(x->blk[0].opened_on, a);
	x->f.n_open_blockers = 1;
}

/* Exchange activated a days ago, b of its 100 users active (the target is 10 %). */
static void
activated(struct facts *x, int a, int b)
{
	SET_AGO(x->svc[0].activated_on, a);
	x->svc[0].latest_active = b;
}

/* Exchange activated a days ago, no usage sample at all. */
static void
no_sample(struct facts *x, int a, int b)
{
	(void)b;
	SET_AGO(x->svc[0].activated_on, a);
	x->svc[0].latest_on[0] = '\0';
}

/* The last check-in a days ago, a cadence of b weeks (0: none recorded). */
static void
checkin(struct facts *x, int a, int b)
{
	SET_AGO(x->f.last_checkin, a);
	x->f.customer.cadence_weeks = b;
}

/* The last check-in a days ago, a series every b weeks (the customer's cadence stays 2). */
static void
series(struct facts *x, int a, int b)
{
	SET_AGO(x->f.last_checkin, a);
	x->f.n_active_series = 1;
	x->f.series_every_weeks = b;
	snprintf(x->f.series_starts_at, sizeof(x->f.series_starts_at), "2026-01-05T10:00");
}

/*
 * A series every 2 weeks from Mon 5 Jan (next check-in Mon 22 Jun), contact
 * 1's answer a to the series ('a', 'd', 't') and, when b is not 0, their
 * answer b to the 22 Jun occurrence; contact 2 declined the 6 Jul one.
 */
static void
answered(struct facts *x, int a, int b)
{
	series(x, 0, 2);
	x->f.series_answers[0] = (struct store_answer_fact){ .contact_id = 1, .answer = (char)a };
	x->f.n_series_answers = 1;
	if (b != 0)
		x->f.series_answers[x->f.n_series_answers++] = (struct store_answer_fact){
		    .contact_id = 1, .occurs_on = "2026-06-22", .answer = (char)b };
	x->f.series_answers[x->f.n_series_answers++] = (struct store_answer_fact){
	    .contact_id = 2, .occurs_on = "2026-07-06", .answer = 'd' };
}

/* No check-in ever held, Exchange activated a days ago, the customer in phase b. */
static void
never_met(struct facts *x, int a, int b)
{
	x->f.last_checkin[0] = '\0';
	SET_AGO(x->svc[0].activated_on, a);
	snprintf(x->f.customer.phase, sizeof(x->f.customer.phase), "%s",
	    playbook_phase_key((enum playbook_phase)b));
}

/* a of b eligible users active, against the 10 % target. */
static void
au(struct facts *x, int a, int b)
{
	x->svc[0].latest_active = a;
	x->svc[0].latest_eligible = b;
}

/* a of b eligible users active, against a 12.5 % target (not exact in binary). */
static void
au_12_5(struct facts *x, int a, int b)
{
	au(x, a, b);
	x->svc[0].target_percent = 12.5;
}

/* A described metric, met when a is 1, with b users active. */
static void
metric(struct facts *x, int a, int b)
{
	snprintf(x->svc[0].custom_metric, sizeof(x->svc[0].custom_metric), "80%% of sites");
	x->svc[0].custom_metric_met = a;
	x->svc[0].latest_active = b;
}

/* Required task a open. */
static void
required(struct facts *x, int a, int b)
{
	(void)b;
	x->req[0] = a;
	x->f.n_open_required = 1;
}

/* A second service, Yammer, with no active user; intended when a is 1. */
static void
yammer(struct facts *x, int a, int b)
{
	(void)b;
	x->svc[1] = x->svc[0];
	snprintf(x->svc[1].service, sizeof(x->svc[1].service), "yammer");
	x->svc[1].intended = a;
	x->svc[1].latest_active = 0;
	x->f.n_services = 2;
}

static void
no_service(struct facts *x, int a, int b)
{
	(void)a;
	(void)b;
	x->f.n_services = 0;
}

/* ---- the table */

enum tri { ANY, NO, YES };	/* a flag of the verdict: not checked, 0 or 1 */

struct row {
	const char	*name;
	void		(*move)(struct facts *, int, int);
	int		 a, b;
	struct {
		const char	*code;
		int		 where;		/* 0 none, 1 a reason, 2 a risk */
	} codes[2];				/* unused ones have a NULL code */
	const char	*state;			/* each NULL or 0: not checked */
	enum tri	 ready, at_risk, overdue;
	const char	*due_by;
	const char	*reason, *reason_service;	/* the first reason */
	int		 reason_ftop;
	const char	*risk;				/* the first risk */
	int		 risk_blocker;
};

static const struct row rows[] = {
	/* Rule 7: open longer than PLAYBOOK_OLD_BLOCKER_DAYS (14) is old; exactly 14 days is not yet. */
	{ .name = "blocker open 14 days: open, not old", .move = blocker,
	  .a = PLAYBOOK_OLD_BLOCKER_DAYS, .b = 7,
	  .codes = { { "blocker_open", 1 }, { "old_blocker", 0 } },
	  .state = "in_progress", .ready = NO, .at_risk = NO },
	{ .name = "blocker open 15 days: old", .move = blocker,
	  .a = PLAYBOOK_OLD_BLOCKER_DAYS + 1, .b = 7,
	  .codes = { { "old_blocker", 2 } }, .state = "at_risk", .at_risk = YES,
	  .risk = "blocker #7 has been open for 15 days", .risk_blocker = 7 },
	{ .name = "blocker opened today: open, not old", .move = blocker, .a = 0, .b = 7,
	  .codes = { { "blocker_open", 1 }, { "old_blocker", 0 } } },
	{ .name = "blocker opened yesterday: a reason", .move = blocker, .a = 1, .b = 3,
	  .codes = { { "blocker_open", 1 } }, .ready = NO,
	  .reason = "blocker #3 is open: no licences", .reason_service = "exchange" },

	/* Under target more than PLAYBOOK_SLOW_ADOPTION_DAYS (30) after activation is slow; exactly 30 is not yet. */
	{ .name = "under target 30 days on: not slow yet", .move = activated,
	  .a = PLAYBOOK_SLOW_ADOPTION_DAYS, .b = 5,
	  .codes = { { "under_target", 1 }, { "slow_adoption", 0 } }, .state = "in_progress" },
	{ .name = "under target 31 days on: slow", .move = activated,
	  .a = PLAYBOOK_SLOW_ADOPTION_DAYS + 1, .b = 5,
	  .codes = { { "slow_adoption", 2 } }, .state = "at_risk",
	  .risk = "Exchange Online: under target 31 days after activation" },
	{ .name = "met 31 days on: never slow", .move = activated,
	  .a = PLAYBOOK_SLOW_ADOPTION_DAYS + 1, .b = 10,
	  .codes = { { "slow_adoption", 0 } }, .state = "ready" },
	{ .name = "no sample 31 days on: slow, no usage", .move = no_sample,
	  .a = PLAYBOOK_SLOW_ADOPTION_DAYS + 1,
	  .codes = { { "no_au", 1 }, { "slow_adoption", 2 } },
	  .risk = "Exchange Online: no active usage recorded 31 days after activation" },

	/* Issue 12: a risk when the customer answered and nobody accepted the next check-in. */
	{ .name = "a series, no answer at all: no risk", .move = series, .a = 0, .b = 2,
	  .codes = { { "nobody_accepted", 0 } }, .state = "ready" },
	{ .name = "series accepted", .move = answered, .a = 'a',
	  .codes = { { "nobody_accepted", 0 } }, .state = "ready" },
	{ .name = "series declined: nobody accepted, a risk (still ready)", .move = answered,
	  .a = 'd', .codes = { { "nobody_accepted", 2 } }, .state = "ready", .ready = YES,
	  .risk = "nobody from the customer accepted the next check-in (2026-06-22)" },
	{ .name = "series tentative: nobody accepted", .move = answered, .a = 't',
	  .codes = { { "nobody_accepted", 2 } } },
	{ .name = "series accepted, the next one declined", .move = answered, .a = 'a', .b = 'd',
	  .codes = { { "nobody_accepted", 2 } } },
	{ .name = "series declined, the next one accepted", .move = answered, .a = 'd', .b = 'a',
	  .codes = { { "nobody_accepted", 0 } } },

	/* Due on last check-in + cadence: that day is on time, the day after is overdue. */
	{ .name = "check-in 14 days ago, every 2 weeks: due today", .move = checkin, .a = 14, .b = 2,
	  .codes = { { "overdue", 0 } }, .state = "ready", .overdue = NO, .due_by = TODAY_TEXT },
	/* Overdue is a risk, not a reason: the customer stays ready. */
	{ .name = "check-in 15 days ago, every 2 weeks: overdue, still ready", .move = checkin,
	  .a = 15, .b = 2, .codes = { { "overdue", 2 } }, .state = "ready",
	  .ready = YES, .at_risk = NO, .overdue = YES },
	{ .name = "every week, check-in 7 days ago", .move = checkin, .a = 7, .b = 1, .overdue = NO },
	{ .name = "every week, check-in 8 days ago", .move = checkin, .a = 8, .b = 1, .overdue = YES },
	{ .name = "no cadence (two weeks), check-in 14 days ago", .move = checkin, .a = 14, .b = 0,
	  .overdue = NO },
	{ .name = "no cadence (two weeks), check-in 15 days ago", .move = checkin, .a = 15, .b = 0,
	  .overdue = YES },
	/* A series sets the cadence: every week, a check-in 7 days ago is due today. */
	{ .name = "weekly series, check-in 7 days ago", .move = series, .a = 7, .b = 1, .overdue = NO },
	{ .name = "weekly series, check-in 8 days ago", .move = series, .a = 8, .b = 1, .overdue = YES },
	/* None held: due cadence after the first activation. */
	{ .name = "no check-in, activated 14 days ago", .move = never_met, .a = 14,
	  .b = PLAYBOOK_PHASE_EXECUTION, .overdue = NO },
	{ .name = "no check-in, activated 15 days ago", .move = never_met, .a = 15,
	  .b = PLAYBOOK_PHASE_EXECUTION, .overdue = YES, .due_by = YESTERDAY_TEXT },
	/* Not in execution: no check-in is expected. */
	{ .name = "in success review: no check-in expected", .move = never_met, .a = 15,
	  .b = PLAYBOOK_PHASE_SUCCESS_REVIEW, .overdue = NO, .state = "success_review" },
	{ .name = "closed", .move = never_met, .a = 15, .b = PLAYBOOK_PHASE_CLOSED, .state = "closed" },

	/* AU exactly at the target meets it; one user under does not. */
	{ .name = "10 of 100 at 10 %: met", .move = au, .a = 10, .b = 100,
	  .codes = { { "under_target", 0 } }, .ready = YES },
	{ .name = "9 of 100 at 10 %: under", .move = au, .a = 9, .b = 100,
	  .codes = { { "under_target", 1 } }, .ready = NO },
	/* A custom target whose share is not exact in binary: 125 of 1000 is 12.5 %. */
	{ .name = "125 of 1000 at 12.5 %: met", .move = au_12_5, .a = 125, .b = 1000, .ready = YES },
	{ .name = "124 of 1000 at 12.5 %: under", .move = au_12_5, .a = 124, .b = 1000,
	  .codes = { { "under_target", 1 } } },
	/* 7 of 70 is 10 % exactly, though 7/70*100 is 10.000000000000002 or 9.99... in floats. */
	{ .name = "7 of 70 at 10 %: met", .move = au, .a = 7, .b = 70, .ready = YES },
	/* A described metric decides alone, whatever the AU. */
	{ .name = "metric unmet, AU met", .move = metric, .a = 0, .b = 50,
	  .codes = { { "metric_unmet", 1 } } },
	{ .name = "metric met, no AU", .move = metric, .a = 1, .b = 0, .ready = YES },

	{ .name = "required task open", .move = required, .a = 3740,
	  .codes = { { "task_open", 1 } }, .ready = NO, .state = "in_progress", .reason_ftop = 3740 },

	/* Services: none intended is a reason; a service not intended counts for nothing. */
	{ .name = "second service not intended, 0 %", .move = yammer, .a = 0, .ready = YES },
	{ .name = "second service intended, 0 %", .move = yammer, .a = 1, .ready = NO,
	  .reason_service = "yammer" },
	{ .name = "no service", .move = no_service, .codes = { { "no_service", 1 } }, .ready = NO },
};

/* A flag of rd against the row's want: a failure names the row. */
static void
check_flag(const struct row *w, const char *what, int got, enum tri want)
{
	if (want != ANY && got != (want == YES))
		fail_msg("%s: %s is %d, want %d", w->name, what, got, want == YES);
}

/* A text of rd against the row's want (NULL: not checked). */
static void
check_text(const struct row *w, const char *what, const char *got, const char *want)
{
	if (want != NULL && strcmp(got, want) != 0)
		fail_msg("%s: %s is \"%s\", want \"%s\"", w->name, what, got, want);
}

static void
check_row(const struct row *w)
{
	struct facts			 x;
	struct playbook_readiness	 rd;
	size_t				 i;
	int				 where;

	facts_base(&x);
	w->move(&x, w->a, w->b);
	playbook_readiness(&x.f, TODAY, &rd);
	for (i = 0; i < sizeof(w->codes) / sizeof(w->codes[0]) && w->codes[i].code; i++) {
		where = verdict_code_in(&rd, w->codes[i].code);
		if (where != w->codes[i].where)
			fail_msg("%s: %s stands at %d, want %d (0 none, 1 reason, 2 risk)", w->name,
			    w->codes[i].code, where, w->codes[i].where);
	}
	check_text(w, "state", playbook_state_key(rd.state), w->state);
	check_flag(w, "ready", rd.ready, w->ready);
	check_flag(w, "at_risk", rd.at_risk, w->at_risk);
	check_flag(w, "overdue", rd.overdue, w->overdue);
	check_text(w, "due_by", rd.due_by, w->due_by);
	if (w->reason != NULL || w->reason_service != NULL || w->reason_ftop != 0) {
		if (rd.n_reasons == 0)
			fail_msg("%s: no reason", w->name);
		check_text(w, "the first reason", rd.reasons[0].text, w->reason);
		check_text(w, "the first reason's service", rd.reasons[0].service, w->reason_service);
		if (w->reason_ftop != 0 && rd.reasons[0].ftop_id != w->reason_ftop)
			fail_msg("%s: the first reason's task is %d, want %d", w->name,
			    rd.reasons[0].ftop_id, w->reason_ftop);
	}
	if (w->risk != NULL || w->risk_blocker != 0) {
		if (rd.n_risks == 0)
			fail_msg("%s: no risk", w->name);
		check_text(w, "the first risk", rd.risks[0].text, w->risk);
		if (w->risk_blocker != 0 && rd.risks[0].blocker_id != w->risk_blocker)
			fail_msg("%s: the first risk's blocker is %lld, want %d", w->name,
			    (long long)rd.risks[0].blocker_id, w->risk_blocker);
	}
}

static void
test_base_is_ready(void **state)
{
	struct facts			 x;
	struct playbook_readiness	 rd;

	(void)state;
	facts_base(&x);
	playbook_readiness(&x.f, TODAY, &rd);
	assert_true(rd.ready);
	assert_false(rd.at_risk);
	assert_false(rd.overdue);
	assert_int_equal(rd.n_reasons, 0);
	assert_int_equal(rd.n_risks, 0);
	assert_string_equal(playbook_state_key(rd.state), "ready");
}

static void
test_boundaries(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
}

/* The keys of the enums are the JSON API's words. */
static void
test_state_phase_keys(void **state)
{
	static const struct {
		enum playbook_state	 state;
		const char		*key;
	} states[] = {
		{ PLAYBOOK_STATE_READY, "ready" }, { PLAYBOOK_STATE_AT_RISK, "at_risk" },
		{ PLAYBOOK_STATE_IN_PROGRESS, "in_progress" },
		{ PLAYBOOK_STATE_SUCCESS_REVIEW, "success_review" }, { PLAYBOOK_STATE_CLOSED, "closed" },
	};
	static const struct {
		enum playbook_phase	 phase;
		const char		*key;
	} phases[] = {
		{ PLAYBOOK_PHASE_EXECUTION, "execution" },
		{ PLAYBOOK_PHASE_SUCCESS_REVIEW, "success_review" }, { PLAYBOOK_PHASE_CLOSED, "closed" },
	};
	enum playbook_phase p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(playbook_state_key(states[i].state), states[i].key) != 0)
			fail_msg("state %d: key \"%s\", want \"%s\"", (int)states[i].state,
			    playbook_state_key(states[i].state), states[i].key);
	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		if (strcmp(playbook_phase_key(phases[i].phase), phases[i].key) != 0)
			fail_msg("phase %d: key \"%s\", want \"%s\"", (int)phases[i].phase,
			    playbook_phase_key(phases[i].phase), phases[i].key);
		if (playbook_phase_parse(phases[i].key, &p) != 0 || p != phases[i].phase)
			fail_msg("phase \"%s\" does not parse back to %d", phases[i].key,
			    (int)phases[i].phase);
	}
	assert_int_equal(playbook_phase_parse("Closed", &p), -1);
	assert_int_equal(playbook_phase_parse("", &p), -1);
}

/* Add a reason (risk 0) or a risk to rd as readiness.c would. */
static void
put(struct playbook_readiness *rd, int risk, const char *code, const char *service,
    int64_t blocker, int days, const char *text)
{
	struct playbook_reason	*x = risk ? &rd->risks[rd->n_risks++] : &rd->reasons[rd->n_reasons++];

	memset(x, 0, sizeof(*x));
	snprintf(x->code, sizeof(x->code), "%s", code);
	snprintf(x->service, sizeof(x->service), "%s", service ? service : "");
	x->blocker_id = blocker;
	x->days = days;
	snprintf(x->text, sizeof(x->text), "%s", text);
}

/*
 * Issue 13 item 14: a service under target and stalling, and an old open
 * blocker, were two bullets each; one line per cause, the risk's figure in
 * brackets, the overdue check-in first and the open task last.
 */
static void
test_causes_one_line_each(void **state)
{
	static struct playbook_readiness	 rd;
	struct present_cause			 c[8];
	size_t					 n;

	(void)state;
	memset(&rd, 0, sizeof(rd));
	put(&rd, 0, "under_target", "exchange", 0, 0,
	    "Exchange Online: AU 4.3% on 2026-11-20 is under the 10.0% target");
	put(&rd, 0, "task_open", NULL, 0, 0, "required task 3740 (OneDrive) is open");
	rd.reasons[rd.n_reasons - 1].ftop_id = 3740;
	put(&rd, 0, "blocker_open", "teams", 4, 0, "blocker #4 is open: Proxy drops Teams media");
	put(&rd, 0, "no_au", "teams", 0, 0, "Microsoft Teams: no active usage recorded yet");
	put(&rd, 1, "slow_adoption", "exchange", 0, 86, "Exchange Online: under target 86 days");
	put(&rd, 1, "old_blocker", "teams", 4, 40, "blocker #4 has been open for 40 days");
	put(&rd, 1, "overdue", NULL, 0, 3, "check-in overdue: last held 2026-11-10");

	n = present_causes(&rd, c, 8);
	assert_int_equal(n, 5);
	assert_string_equal(c[0].text, "check-in overdue: last held 2026-11-10");
	assert_true(c[0].risk);
	assert_string_equal(c[1].text, "blocker #4 is open: Proxy drops Teams media (open for 40 days)");
	assert_true(c[1].risk);
	assert_string_equal(c[2].text, "Exchange Online: AU 4.3% on 2026-11-20 is under the 10.0% "
	    "target (86 days after activation)");
	assert_true(c[2].risk);
	/* Teams' usage is its own cause: the blocker on Teams is not about usage. */
	assert_string_equal(c[3].text, "Microsoft Teams: no active usage recorded yet");
	assert_false(c[3].risk);
	assert_string_equal(c[4].text, "required task 3740 (OneDrive) is open");
	/* A short out keeps the most actionable. */
	assert_int_equal(present_causes(&rd, c, 2), 2);
	assert_string_equal(c[0].text, "check-in overdue: last held 2026-11-10");
}

/* Issue 13 item 15: dates and series in words, not "2026-12-09T10:00" and "week(s)". */
static void
test_words_for_dates(void **state)
{
	char	 s[128];

	(void)state;
	assert_int_equal(present_date("2026-12-09", s, sizeof(s)), 0);
	assert_string_equal(s, "Wed 9 Dec 2026");
	assert_int_equal(present_date("2028-02-29", s, sizeof(s)), 0);
	assert_string_equal(s, "Tue 29 Feb 2028");
	assert_int_equal(present_date("1970-01-01", s, sizeof(s)), 0);
	assert_string_equal(s, "Thu 1 Jan 1970");
	assert_int_equal(present_date("2026-02-30", s, sizeof(s)), -1);
	assert_string_equal(s, "");
	assert_int_equal(present_series("2026-12-09T10:00", 2, s, sizeof(s)), 0);
	assert_string_equal(s, "every 2 weeks on Wednesdays at 10:00, from Wed 9 Dec 2026");
	assert_int_equal(present_series("2027-01-03T09:05", 1, s, sizeof(s)), 0);
	assert_string_equal(s, "every week on Sundays at 09:05, from Sun 3 Jan 2027");
	assert_int_equal(present_series("2027-01-03 09:05", 1, s, sizeof(s)), -1);
	assert_int_equal(present_series("2027-01-03T09:05", 0, s, sizeof(s)), -1);
	present_every_weeks(3, s, sizeof(s));
	assert_string_equal(s, "every 3 weeks");
}

/* Days and instants in words beside the ISO members, at any depth; other members untouched. */
static void
test_humanize(void **state)
{
	json_object	*o = json_tokener_parse("{\"held_on\":\"2026-12-09\",\"next_checkin\":"
			    "\"2026-12-16\",\"list\":[{\"created_at\":\"2026-11-25T23:44:09Z\","
			    "\"on\":\"2026-12-01\",\"starts_at\":\"2026-12-09T10:00\"}],"
			    "\"due_by\":\"not a day\",\"name\":\"2026-12-09\"}");

	(void)state;
	assert_non_null(o);
	present_humanize(o);
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"held_on\":\"2026-12-09\",\"next_checkin\":\"2026-12-16\",\"list\":[{\"created_at\":"
	    "\"2026-11-25T23:44:09Z\",\"on\":\"2026-12-01\",\"starts_at\":\"2026-12-09T10:00\","
	    "\"created_at_text\":\"Wed 25 Nov 2026, 23:44 UTC\"}],\"due_by\":\"not a day\","
	    "\"name\":\"2026-12-09\",\"held_on_text\":\"Wed 9 Dec 2026\","
	    "\"next_checkin_text\":\"Wed 16 Dec 2026\"}");
	json_object_put(o);
}

UNIT_MAIN("readiness",
	cmocka_unit_test(test_base_is_ready),
	cmocka_unit_test(test_boundaries),
	cmocka_unit_test(test_state_phase_keys),
	cmocka_unit_test(test_causes_one_line_each),
	cmocka_unit_test(test_words_for_dates),
	cmocka_unit_test(test_humanize),
)
