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
#include "store.h"
#include "text.h"
#include "verdict.h"

/*
 * playbook_readiness is pure, so the facts are built by hand: one customer
 * in execution with one FM-led service activated long ago, its AU met and a
 * check-in held today -- ready, no risk.  Each test moves one fact to the
 * boundary of one rule and one step past it, so a boundary moved by one day
 * or one user in playbook.c fails here.  Checked by mutation: old blocker and
 * slow adoption `>` to `>=` or `> N + 1`, overdue `>` to `>=` or `+ 1`, the AU
 * comparison made strict, a required task or a blocker skipped, at_risk or
 * ready counting the other, the default cadence changed -- each fails a test.
 */
#define TODAY	20619	/* 2026-06-15 */

struct facts {
	struct store_facts	 f;
	struct store_service	 svc[2];
	struct store_blocker_fact blk[1];
	int			 req[1];
};

static void
day_text(int32_t day, char *out, size_t size)
{
	text_date_format(day, out, size);
}

/* Set a date member of the facts to `days` before TODAY. */
#define SET_AGO(member, days) day_text(TODAY - (days), (member), sizeof(member))

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

static const struct playbook_readiness *
judge(struct facts *x)
{
	static struct playbook_readiness rd;

	playbook_readiness(&x->f, TODAY, &rd);
	return &rd;
}

static void
assert_state(const struct playbook_readiness *rd, const char *want)
{
	assert_string_equal(playbook_state_key(rd->state), want);
}

/*
 * Judge x and check where code stands (0 none, 1 a reason, 2 a risk) and,
 * unless want_state is NULL, the state; the verdict for further checks.
 * Through EXPECT, so a failure names the test's line.
 */
static const struct playbook_readiness *
expect_at(struct facts *x, const char *code, int where, const char *want_state,
    const char *file, int line)
{
	const struct playbook_readiness *rd = judge(x);

	_assert_int_equal((LargestIntegralType)verdict_code_in(rd, code), (LargestIntegralType)where,
	    file, line);
	if (want_state != NULL)
		_assert_string_equal(playbook_state_key(rd->state), want_state, file, line);
	return rd;
}
#define EXPECT(x, code, where, want_state) \
	expect_at((x), (code), (where), (want_state), __FILE__, __LINE__)

static void
test_base_is_ready(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	rd = judge(&x);
	assert_true(rd->ready);
	assert_false(rd->at_risk);
	assert_false(rd->overdue);
	assert_int_equal(rd->n_reasons, 0);
	assert_int_equal(rd->n_risks, 0);
	assert_state(rd, "ready");
}

/* Rule 7: open longer than PLAYBOOK_OLD_BLOCKER_DAYS (14) is old; exactly 14 days is not yet. */
static void
test_old_blocker_boundary(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	x.blk[0].id = 7;
	snprintf(x.blk[0].description, sizeof(x.blk[0].description), "proxy");
	SET_AGO(x.blk[0].opened_on, PLAYBOOK_OLD_BLOCKER_DAYS);
	x.f.n_open_blockers = 1;
	rd = EXPECT(&x, "blocker_open", 1, "in_progress");
	assert_int_equal(verdict_code_in(rd, "old_blocker"), 0);
	assert_false(rd->ready);
	assert_false(rd->at_risk);

	SET_AGO(x.blk[0].opened_on, PLAYBOOK_OLD_BLOCKER_DAYS + 1);
	rd = EXPECT(&x, "old_blocker", 2, "at_risk");
	assert_int_equal(rd->risks[0].blocker_id, 7);
	assert_string_equal(rd->risks[0].text, "blocker #7 has been open for 15 days");
	assert_true(rd->at_risk);

	/* Opened today: open, not old. */
	SET_AGO(x.blk[0].opened_on, 0);
	rd = EXPECT(&x, "blocker_open", 1, NULL);
	assert_int_equal(verdict_code_in(rd, "old_blocker"), 0);
}

/* Under target more than PLAYBOOK_SLOW_ADOPTION_DAYS (30) after activation is slow; exactly 30 is not yet. */
static void
test_slow_adoption_boundary(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	x.svc[0].latest_active = 5;
	SET_AGO(x.svc[0].activated_on, PLAYBOOK_SLOW_ADOPTION_DAYS);
	rd = EXPECT(&x, "under_target", 1, "in_progress");
	assert_int_equal(verdict_code_in(rd, "slow_adoption"), 0);

	SET_AGO(x.svc[0].activated_on, PLAYBOOK_SLOW_ADOPTION_DAYS + 1);
	rd = EXPECT(&x, "slow_adoption", 2, "at_risk");
	assert_string_equal(rd->risks[0].text, "Exchange Online: under target 31 days after activation");

	/* Met, however long ago: never slow. */
	x.svc[0].latest_active = 10;
	rd = EXPECT(&x, "slow_adoption", 0, "ready");

	/* No sample at all, 31 days on: slow, and the text says no usage. */
	x.svc[0].latest_on[0] = '\0';
	rd = EXPECT(&x, "no_au", 1, NULL);
	assert_int_equal(verdict_code_in(rd, "slow_adoption"), 2);
	assert_string_equal(rd->risks[0].text,
	    "Exchange Online: no active usage recorded 31 days after activation");
}

/* Due on last check-in + cadence: that day is on time, the day after is overdue. */
static void
test_overdue_boundary(void **state)
{
	static const struct {
		int	 weeks, ago, overdue;
	} cadences[] = {
		{ .weeks = 1, .ago = 7, .overdue = 0 }, { .weeks = 1, .ago = 8, .overdue = 1 },
		{ .weeks = 0, .ago = 14, .overdue = 0 }, { .weeks = 0, .ago = 15, .overdue = 1 },
	};
	struct facts x;
	const struct playbook_readiness *rd;
	char due[11];
	size_t i;

	(void)state;
	facts_base(&x);
	SET_AGO(x.f.last_checkin, 14);
	rd = judge(&x);
	SET_AGO(due, 0);
	assert_string_equal(rd->due_by, due);
	assert_false(rd->overdue);
	assert_int_equal(verdict_code_in(rd, "overdue"), 0);
	assert_state(rd, "ready");

	SET_AGO(x.f.last_checkin, 15);
	rd = judge(&x);
	assert_true(rd->overdue);
	assert_int_equal(verdict_code_in(rd, "overdue"), 2);
	/* Overdue is a risk, not a reason: the customer stays ready. */
	assert_true(rd->ready);
	assert_false(rd->at_risk);
	assert_state(rd, "ready");

	/* The customer's cadence, and two weeks when none is recorded. */
	for (i = 0; i < sizeof(cadences) / sizeof(cadences[0]); i++) {
		x.f.customer.cadence_weeks = cadences[i].weeks;
		SET_AGO(x.f.last_checkin, cadences[i].ago);
		if (judge(&x)->overdue != cadences[i].overdue)
			fail_msg("cadence %d, last check-in %d days ago: overdue should be %d",
			    cadences[i].weeks, cadences[i].ago, cadences[i].overdue);
	}
	x.f.customer.cadence_weeks = 2;

	/* A series sets the cadence: every week, a check-in 7 days ago is due today. */
	x.f.n_active_series = 1;
	x.f.series_every_weeks = 1;
	snprintf(x.f.series_starts_at, sizeof(x.f.series_starts_at), "2026-01-05T10:00");
	SET_AGO(x.f.last_checkin, 7);
	rd = judge(&x);
	assert_false(rd->overdue);
	SET_AGO(x.f.last_checkin, 8);
	rd = judge(&x);
	assert_true(rd->overdue);

	/* None held: due cadence after the first activation. */
	x.f.n_active_series = 0;
	x.f.series_every_weeks = 0;
	x.f.last_checkin[0] = '\0';
	SET_AGO(x.svc[0].activated_on, 14);
	rd = judge(&x);
	assert_false(rd->overdue);
	SET_AGO(x.svc[0].activated_on, 15);
	rd = judge(&x);
	assert_true(rd->overdue);
	SET_AGO(due, 1);
	assert_string_equal(rd->due_by, due);

	/* Not in execution: no check-in is expected. */
	snprintf(x.f.customer.phase, sizeof(x.f.customer.phase), "success_review");
	rd = judge(&x);
	assert_false(rd->overdue);
	assert_state(rd, "success_review");
	snprintf(x.f.customer.phase, sizeof(x.f.customer.phase), "closed");
	rd = judge(&x);
	assert_state(rd, "closed");
}

/* AU exactly at the target meets it; one user under does not. */
static void
test_au_at_target(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	x.svc[0].latest_active = 10;
	x.svc[0].latest_eligible = 100;
	rd = judge(&x);
	assert_true(rd->ready);
	assert_int_equal(verdict_code_in(rd, "under_target"), 0);

	x.svc[0].latest_active = 9;
	rd = judge(&x);
	assert_false(rd->ready);
	assert_int_equal(verdict_code_in(rd, "under_target"), 1);

	/* A custom target whose share is not exact in binary: 125 of 1000 is 12.5 %. */
	x.svc[0].target_percent = 12.5;
	x.svc[0].latest_active = 125;
	x.svc[0].latest_eligible = 1000;
	rd = judge(&x);
	assert_true(rd->ready);
	x.svc[0].latest_active = 124;
	rd = EXPECT(&x, "under_target", 1, NULL);

	/* 7 of 70 is 10 % exactly, though 7/70*100 is 10.000000000000002 or 9.99... in floats. */
	x.svc[0].target_percent = 10.0;
	x.svc[0].latest_active = 7;
	x.svc[0].latest_eligible = 70;
	rd = judge(&x);
	assert_true(rd->ready);

	/* A described metric decides alone, whatever the AU. */
	snprintf(x.svc[0].custom_metric, sizeof(x.svc[0].custom_metric), "80%% of sites");
	x.svc[0].custom_metric_met = 0;
	rd = EXPECT(&x, "metric_unmet", 1, NULL);
	x.svc[0].custom_metric_met = 1;
	x.svc[0].latest_active = 0;
	rd = judge(&x);
	assert_true(rd->ready);
}

static void
test_required_task(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	x.req[0] = 3740;
	x.f.n_open_required = 1;
	rd = judge(&x);
	assert_false(rd->ready);
	assert_int_equal(verdict_code_in(rd, "task_open"), 1);
	assert_int_equal(rd->reasons[0].ftop_id, 3740);
	assert_state(rd, "in_progress");

	x.f.n_open_required = 0;	/* done */
	rd = judge(&x);
	assert_true(rd->ready);
}

static void
test_open_blocker(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	x.blk[0].id = 3;
	snprintf(x.blk[0].service, sizeof(x.blk[0].service), "exchange");
	snprintf(x.blk[0].description, sizeof(x.blk[0].description), "no licences");
	SET_AGO(x.blk[0].opened_on, 1);
	x.f.n_open_blockers = 1;
	rd = judge(&x);
	assert_false(rd->ready);
	assert_int_equal(verdict_code_in(rd, "blocker_open"), 1);
	assert_string_equal(rd->reasons[0].text, "blocker #3 is open: no licences");
	assert_string_equal(rd->reasons[0].service, "exchange");

	x.f.n_open_blockers = 0;	/* resolved */
	rd = judge(&x);
	assert_true(rd->ready);
}

/* Services: none intended is a reason; a service not intended counts for nothing. */
static void
test_intended_services(void **state)
{
	struct facts x;
	const struct playbook_readiness *rd;

	(void)state;
	facts_base(&x);
	x.svc[1] = x.svc[0];
	snprintf(x.svc[1].service, sizeof(x.svc[1].service), "yammer");
	x.svc[1].intended = 0;
	x.svc[1].latest_active = 0;
	x.f.n_services = 2;
	rd = judge(&x);
	assert_true(rd->ready);

	x.svc[1].intended = 1;	/* intended, 0 % */
	rd = judge(&x);
	assert_false(rd->ready);
	assert_string_equal(rd->reasons[0].service, "yammer");

	x.f.n_services = 0;
	rd = EXPECT(&x, "no_service", 1, NULL);
	assert_false(rd->ready);
}

/* The keys of the enums are the JSON API's words. */
static void
test_state_phase_keys(void **state)
{
	enum playbook_phase p;

	(void)state;
	assert_string_equal(playbook_state_key(PLAYBOOK_STATE_READY), "ready");
	assert_string_equal(playbook_state_key(PLAYBOOK_STATE_AT_RISK), "at_risk");
	assert_string_equal(playbook_state_key(PLAYBOOK_STATE_IN_PROGRESS), "in_progress");
	assert_string_equal(playbook_state_key(PLAYBOOK_STATE_SUCCESS_REVIEW), "success_review");
	assert_string_equal(playbook_state_key(PLAYBOOK_STATE_CLOSED), "closed");
	assert_string_equal(playbook_phase_key(PLAYBOOK_PHASE_EXECUTION), "execution");
	assert_string_equal(playbook_phase_key(PLAYBOOK_PHASE_SUCCESS_REVIEW), "success_review");
	assert_string_equal(playbook_phase_key(PLAYBOOK_PHASE_CLOSED), "closed");
	assert_int_equal(playbook_phase_parse("closed", &p), 0);
	assert_int_equal(p, PLAYBOOK_PHASE_CLOSED);
	assert_int_equal(playbook_phase_parse("execution", &p), 0);
	assert_int_equal(p, PLAYBOOK_PHASE_EXECUTION);
	assert_int_equal(playbook_phase_parse("Closed", &p), -1);
	assert_int_equal(playbook_phase_parse("", &p), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_is_ready),
		cmocka_unit_test(test_old_blocker_boundary),
		cmocka_unit_test(test_slow_adoption_boundary),
		cmocka_unit_test(test_overdue_boundary),
		cmocka_unit_test(test_au_at_target),
		cmocka_unit_test(test_required_task),
		cmocka_unit_test(test_open_blocker),
		cmocka_unit_test(test_intended_services),
		cmocka_unit_test(test_state_phase_keys),
	};

	return cmocka_run_group_tests_name("readiness", tests, NULL, NULL);
}
