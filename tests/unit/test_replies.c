/* test_replies.c -- calendar replies end to end in the store: each client's fixture read and applied, stale and unmatched kept, every message applied once. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "imap.h"
#include "imip.h"
#include "smtp.h"
#include "store.h"
#include "text.h"
#include "tmpdb.h"
#include "unit.h"

#define NOW	((int64_t)1796000000)
#define UID	"checkin-1-5f2a9c1e@ftsuccess"

struct fx {
	struct tmpdb	 db;
	int64_t		 customer;
	int64_t		 meeting;
};

static void
contact_add(struct store *st, int64_t customer, const char *name, const char *email)
{
	struct store_contact c;
	struct result r;

	memset(&c, 0, sizeof(c));
	c.customer_id = customer;
	text_copy(c.name, sizeof(c.name), name);
	text_copy(c.email, sizeof(c.email), email);
	c.receives_invites = 1;
	if (store_contact_insert(st, &c, NOW, &r) == -1)
		fail_msg("%s", r.message);
}

/* A São Paulo customer with four contacts and the series the fixtures answer, at SEQUENCE 2. */
static int
setup(void **state)
{
	struct fx *fx;
	struct store_meeting m;
	struct result r;

	if (tmpdb_fixture_new(state, sizeof(*fx), "replies", 1) == -1)
		return -1;
	fx = *state;
	fx->customer = tmpdb_customer_add(fx->db.st, "Companhia Brasileira", "cba.example",
	    "America/Sao_Paulo", NOW);
	if (fx->customer == -1) {
		tmpdb_fixture_free(state);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.customer_id = fx->customer;
	text_copy(m.uid, sizeof(m.uid), UID);
	m.sequence = 2;
	text_copy(m.starts_at, sizeof(m.starts_at), "2026-11-26T10:00");
	text_copy(m.timezone, sizeof(m.timezone), "America/Sao_Paulo");
	m.duration_minutes = 30;
	m.every_weeks = 2;
	if (store_meeting_insert(fx->db.st, &m, NOW, &r) == -1)
		goto fail;
	fx->meeting = m.id;
	store_meeting_free(&m);
	return 0;
fail:
	fprintf(stderr, "%s\n", r.message);
	tmpdb_fixture_free(state);
	return -1;
}

static enum store_reply_outcome
apply_file(struct fx *fx, const char *name)
{
	char path[512];
	struct result r;
	enum store_reply_outcome out = STORE_REPLY__MAX;
	size_t len;
	char *text;

	result_clear(&r);
	snprintf(path, sizeof(path), "%s/%s", IMIP_FIXTURES, name);
	if ((text = unit_file_read(path, &len, &r)) == NULL)
		fail_msg("%s", r.message);
	if (imap_apply_message(fx->db.st, text, len, NOW, &out, &r) == -1)
		fail_msg("%s: %s", name, r.message);
	free(text);
	return out;
}

static json_object *
customer_page(struct fx *fx)
{
	struct buf b = { 0 };
	struct result r;
	json_object *o;

	if (store_customer_json(fx->db.st, fx->customer, &b, &r) == -1)
		fail_msg("%s", r.message);
	o = json_tokener_parse(buf_cstr(&b));
	buf_free(&b);
	assert_non_null(o);
	return o;
}

/* The answer of email for occurs_on ("" the series) on the customer page, or NULL. */
static const char *
answer_of(json_object *page, const char *email, const char *occurs_on)
{
	json_object *arr, *row, *v;

	assert_true(json_object_object_get_ex(page, "responses", &arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		row = json_object_array_get_idx(arr, i);
		json_object_object_get_ex(row, "email", &v);
		if (strcmp(json_object_get_string(v), email) != 0)
			continue;
		json_object_object_get_ex(row, "occurs_on", &v);
		if (strcmp(json_object_get_string(v), occurs_on) != 0)
			continue;
		json_object_object_get_ex(row, "partstat", &v);
		return json_object_get_string(v);
	}
	return NULL;
}

static void
test_each_client_applied(void **state)
{
	struct fx *fx = *state;
	json_object *page, *arr, *v;

	contact_add(fx->db.st, fx->customer, "Ana Souza", "ana@cba.example");
	contact_add(fx->db.st, fx->customer, "João Araújo", "joao@cba.example");
	contact_add(fx->db.st, fx->customer, "Maria Lima", "maria@cba.example");
	contact_add(fx->db.st, fx->customer, "Equipe TI", "IT@cba.example");
	assert_int_equal(apply_file(fx, "outlook_accepted.eml"), STORE_REPLY_APPLIED);
	assert_int_equal(apply_file(fx, "gmail_declined_occurrence.eml"), STORE_REPLY_APPLIED);
	assert_int_equal(apply_file(fx, "apple_tentative_occurrence.eml"), STORE_REPLY_APPLIED);
	assert_int_equal(apply_file(fx, "thunderbird_accepted.eml"), STORE_REPLY_APPLIED);
	assert_int_equal(apply_file(fx, "outlook_counter.eml"), STORE_REPLY_PROPOSAL);
	/* A reply to SEQUENCE 1 of a series at 2: kept as stale, the accept stands. */
	assert_int_equal(apply_file(fx, "thunderbird_stale.eml"), STORE_REPLY_STALE);
	page = customer_page(fx);
	assert_string_equal(answer_of(page, "ana@cba.example", ""), "accepted");
	assert_string_equal(answer_of(page, "joao@cba.example", "2026-12-10"), "declined");
	assert_string_equal(answer_of(page, "maria@cba.example", "2026-12-10"), "tentative");
	assert_string_equal(answer_of(page, "IT@cba.example", ""), "accepted");
	assert_null(answer_of(page, "joao@cba.example", ""));
	assert_true(json_object_object_get_ex(page, "proposals", &arr));
	assert_int_equal(json_object_array_length(arr), 1);
	json_object_object_get_ex(json_object_array_get_idx(arr, 0), "proposed_start_at", &v);
	assert_string_equal(json_object_get_string(v), "2026-11-26T15:00:00Z");
	json_object_object_get_ex(json_object_array_get_idx(arr, 0), "occurs_on", &v);
	assert_string_equal(json_object_get_string(v), "2026-11-26");
	json_object_put(page);
	assert_int_equal(store_count(fx->db.st, "attendee_response"), 4);
	/* The readiness rules get the same answers, by contact then date. */
	{
		struct store_facts f;
		struct result r;

		assert_int_equal(store_facts_get(fx->db.st, fx->customer, &f, &r), 0);
		assert_int_equal(f.n_series_answers, 4);
		assert_int_equal(f.series_answers[0].answer, 'a');
		assert_string_equal(f.series_answers[0].occurs_on, "");
		assert_int_equal(f.series_answers[1].answer, 'd');
		assert_string_equal(f.series_answers[1].occurs_on, "2026-12-10");
		assert_int_equal(f.series_answers[2].answer, 't');
		store_facts_clear(&f);
	}
}

/* The same message twice (a crash before the flag): the second changes nothing. */
static void
test_applied_once(void **state)
{
	struct fx *fx = *state;

	contact_add(fx->db.st, fx->customer, "Equipe TI", "it@cba.example");
	assert_int_equal(apply_file(fx, "thunderbird_accepted.eml"), STORE_REPLY_APPLIED);
	assert_int_equal(apply_file(fx, "thunderbird_accepted.eml"), STORE_REPLY_DUPLICATE);
	assert_int_equal(apply_file(fx, "human_reply.eml"), STORE_REPLY_UNMATCHED);
	assert_int_equal(apply_file(fx, "human_reply.eml"), STORE_REPLY_DUPLICATE);
	assert_int_equal(store_count(fx->db.st, "reply_message"), 2);
	assert_int_equal(store_count(fx->db.st, "attendee_response"), 1);
}

/* Everything that is not an applicable reply: listed with its reason, no answer recorded. */
static void
test_unmatched_listed(void **state)
{
	static const struct {
		const char	*file;
		const char	*reason;
	} rows[] = {
		{ "non_attendee.eml", STORE_REPLY_REASON_NOT_ATTENDEE },
		{ "unknown_uid.eml", STORE_REPLY_REASON_UNKNOWN_UID },
		{ "human_reply.eml", "no_calendar" },
		{ "garbage_mime.eml", "bad_mime" },
		{ "garbage_calendar.eml", "bad_calendar" },
		{ "request_forwarded.eml", "not_a_reply" },
		{ "delegated.eml", "delegated" },
	};
	struct fx *fx = *state;
	struct buf b = { 0 };
	struct result r;
	long long total;
	json_object *arr, *v;
	size_t n = sizeof(rows) / sizeof(rows[0]);

	contact_add(fx->db.st, fx->customer, "Equipe TI", "it@cba.example");
	for (size_t i = 0; i < n; i++)
		assert_int_equal(apply_file(fx, rows[i].file), STORE_REPLY_UNMATCHED);
	assert_int_equal(store_count(fx->db.st, "attendee_response"), 0);
	assert_int_equal(store_replies_unmatched_json(fx->db.st, 50, 0, &b, &total, &r), 0);
	assert_int_equal(total, (long long)n);
	arr = json_tokener_parse(buf_cstr(&b));
	assert_int_equal(json_object_array_length(arr), n);
	/* Newest first. */
	for (size_t i = 0; i < n; i++) {
		json_object_object_get_ex(json_object_array_get_idx(arr, n - 1 - i), "reason", &v);
		assert_string_equal(json_object_get_string(v), rows[i].reason);
		assert_true(imip_reason_from_key(rows[i].reason) != IMIP_REASON__MAX);
	}
	json_object_put(arr);
	buf_free(&b);
	/* The store's own reasons have words on the page. */
	assert_true(imip_reason_from_key(STORE_REPLY_REASON_STALE) == IMIP_REASON_STALE);
}

/* Bad input: refused with its field, nothing written. */
static void
test_refused(void **state)
{
	struct fx *fx = *state;
	struct store_reply in;
	enum store_reply_outcome out;
	struct result r;

	memset(&in, 0, sizeof(in));
	in.kind = "reply";
	in.partstat = "accepted";
	assert_int_equal(store_reply_apply(fx->db.st, &in, NOW, &out, &r), -1);
	assert_true(unit_refused_naming(&r, "key"));
	in.key = "<k@x>";
	in.kind = "maybe";
	assert_int_equal(store_reply_apply(fx->db.st, &in, NOW, &out, &r), -1);
	assert_true(unit_refused_naming(&r, "kind"));
	in.kind = "reply";
	in.partstat = "needs-action";
	assert_int_equal(store_reply_apply(fx->db.st, &in, NOW, &out, &r), -1);
	assert_true(unit_refused_naming(&r, "partstat"));
	assert_int_equal(store_count(fx->db.st, "reply_message"), 0);
}

/* A later answer replaces an earlier one; a reply to an older SEQUENCE never does. */
static void
test_answer_changes(void **state)
{
	struct fx *fx = *state;
	struct store_reply in;
	enum store_reply_outcome out;
	struct result r;
	json_object *page;

	contact_add(fx->db.st, fx->customer, "Ana Souza", "ana@cba.example");
	memset(&in, 0, sizeof(in));
	in.key = "<1@x>";
	in.kind = "reply";
	in.uid = UID;
	in.attendee = "ana@cba.example";
	in.partstat = "accepted";
	in.sequence = 3;
	assert_int_equal(store_reply_apply(fx->db.st, &in, NOW, &out, &r), 0);
	in.key = "<2@x>";
	in.partstat = "declined";
	in.sequence = 2;	/* not older than the series (2), older than the answer (3) */
	assert_int_equal(store_reply_apply(fx->db.st, &in, NOW, &out, &r), 0);
	assert_int_equal(out, STORE_REPLY_APPLIED);
	page = customer_page(fx);
	assert_string_equal(answer_of(page, "ana@cba.example", ""), "accepted");
	json_object_put(page);
	in.key = "<3@x>";
	in.partstat = "tentative";
	in.sequence = 3;
	assert_int_equal(store_reply_apply(fx->db.st, &in, NOW, &out, &r), 0);
	page = customer_page(fx);
	assert_string_equal(answer_of(page, "ana@cba.example", ""), "tentative");
	json_object_put(page);
}

static void
test_search_parse(void **state)
{
	uint32_t uids[4];

	(void)state;
	assert_int_equal(imap_search_parse("* SEARCH\r\n", uids, 4), 0);
	assert_int_equal(imap_search_parse("* OK x\r\n* SEARCH 3 7 9\r\n", uids, 4), 3);
	assert_int_equal(uids[2], 9);
	assert_int_equal(imap_search_parse("* SEARCH 1 2 3 4 5 6\r\n", uids, 4), 4);
	assert_int_equal(imap_search_parse("* SEARCH 1 x 3\r\n", uids, 4), 1);
	assert_int_equal(imap_search_parse("* SEARCH 0 99999999999\r\n", uids, 4), 0);
}

/* The mailbox's transport follows the SMTP rule; a bad setup is refused naming its key. */
static void
test_imap_setup(void **state)
{
	static const struct {
		const char	*url;
		int		 rc;
		enum smtp_tls	 tls;
	} rows[] = {
		{ "imaps://mail.example.com/INBOX", 0, SMTP_TLS_IMPLICIT },
		{ "imap://mail.example.com/INBOX", 0, SMTP_TLS_STARTTLS },
		{ "imap://127.0.0.1:1143/INBOX", 0, SMTP_TLS_NONE },
		{ "imap://[::1]:1143", 0, SMTP_TLS_NONE },
		{ "imap://localhost.:1143", 0, SMTP_TLS_STARTTLS },
		{ "smtp://mail.example.com", -1, SMTP_TLS_NONE },
	};
	struct imap_session *s;
	struct config cfg;
	struct result r;
	enum smtp_tls tls;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		result_clear(&r);
		tls = SMTP_TLS_NONE;
		assert_int_equal(smtp_url_policy(rows[i].url, "imap_url", "imap", "imaps", &tls, &r),
		    rows[i].rc);
		if (rows[i].rc == 0)
			assert_int_equal(tls, rows[i].tls);
		else
			assert_true(unit_refused_naming(&r, "imap_url"));
	}
	config_defaults(&cfg);
	text_copy(cfg.imap_url, sizeof(cfg.imap_url), "imap://127.0.0.1:1143/INBOX");
	text_copy(cfg.imap_user, sizeof(cfg.imap_user), "fm");
	assert_int_equal(imap_open(&s, &cfg, &r), -1);
	assert_true(unit_refused_naming(&r, "imap_password_file"));
	cfg.imap_user[0] = '\0';
	assert_int_equal(imap_open(&s, &cfg, &r), 0);
	imap_close(s);
}

UNIT_MAIN("replies",
	TMPDB_TEST(test_each_client_applied),
	TMPDB_TEST(test_applied_once),
	TMPDB_TEST(test_unmatched_listed),
	TMPDB_TEST(test_refused),
	TMPDB_TEST(test_answer_changes),
	cmocka_unit_test(test_search_parse),
	cmocka_unit_test(test_imap_setup),
)
