/* test_notice.c -- unit tests of shared/render/notice.c: round trips, versions, and every refused member named by its path. */
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

#include "buf.h"
#include "notice.h"
#include "result.h"
#include "unit.h"

/* An invite exactly as shared/rules/playbook.c writes it (member order included). */
static const char invite_text[] =
    "{\"version\":1,\"method\":\"REQUEST\","
    "\"customer\":{\"id\":7,\"name\":\"Companhia Brasileira de Alumínio — Sé\","
    "\"tenant_domain\":\"cba.onmicrosoft.com\",\"timezone\":\"America/Sao_Paulo\"},"
    "\"meeting\":{\"id\":3,\"uid\":\"checkin-3-9f1c2a7e@ftsuccess\",\"sequence\":2,"
    "\"status\":\"CONFIRMED\",\"starts_at\":\"2026-12-01T10:00\","
    "\"timezone\":\"America/Sao_Paulo\",\"duration_minutes\":30,\"every_weeks\":2},"
    "\"attendees\":[{\"name\":\"João Araújo\",\"email\":\"joao@cba.example\"},"
    "{\"name\":\"\",\"email\":\"it@cba.example\"}],"
    "\"agenda\":{\"services\":[{\"key\":\"exchange\",\"title\":\"Exchange Online\","
    "\"activated_on\":\"2026-10-01\",\"au_percent\":7.5,\"target_percent\":10.0,"
    "\"custom_metric\":null,\"measured_on\":\"2026-11-20\"},"
    "{\"key\":\"sharepoint\",\"title\":\"SharePoint Online\",\"activated_on\":null,"
    "\"au_percent\":null,\"target_percent\":33.3,\"custom_metric\":\"Sites migrated\","
    "\"measured_on\":null}],"
    "\"blockers\":[{\"id\":4,\"description\":\"Proxy blocks Teams média\",\"owner\":\"TI\","
    "\"l2_reason\":\"customer_it_infrastructure\","
    "\"l2_title\":\"Customer IT Infrastructure and Remediation\",\"service\":null,"
    "\"opened_on\":\"2026-11-02\"}],"
    "\"next_action\":{\"text\":\"Enviar o kit de adoção\",\"on\":\"2026-12-03\","
    "\"owner\":\"FM\",\"held_on\":\"2026-11-26\"}},"
    "\"url\":\"/customers/7\"}";

/* A handshake as the writer makes it. */
static const char handshake_text[] =
    "{\"version\":1,\"customer\":{\"id\":7,\"name\":\"Contoso\","
    "\"tenant_domain\":\"contoso.onmicrosoft.com\",\"timezone\":\"America/Sao_Paulo\","
    "\"contacts\":[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}]},"
    "\"csm\":{\"name\":\"Carla Mendes\",\"email\":\"carla@microsoft.example\"},"
    "\"services\":[{\"key\":\"teams\",\"title\":\"Microsoft Teams\",\"activated_on\":\"2026-11-01\","
    "\"au_percent\":null,\"target_percent\":10.0,\"custom_metric\":null,\"measured_on\":null,"
    "\"ftop_id\":3731}],"
    "\"blockers\":[],\"next_action\":null,\"url\":\"/customers/7\"}";

/* Decode text as kind and encode it again: the same bytes. */
static void
round_trip_version(const char *text, enum notice_kind kind, int version)
{
	struct notice	 n;
	struct result	 r;
	struct buf	 out = { 0 };

	result_clear(&r);
	if (notice_decode(text, kind, &n, &r) == -1)
		fail_msg("decode: %s", r.message);
	assert_int_equal(n.version, version);
	if (notice_encode(&n, &out, &r) == -1)
		fail_msg("encode: %s", r.message);
	assert_string_equal(buf_cstr(&out), text);
	notice_free(&n);
	buf_free(&out);
}

/* text with the first from replaced by to, into out (reset first); from must be there. */
static void
replaced(const char *text, const char *from, const char *to, struct buf *out)
{
	if (unit_replaced(text, from, to, out) == -1)
		fail_msg("\"%s\" is not in the text", from);
}

static void
round_trip(const char *text, enum notice_kind kind)
{
	round_trip_version(text, kind, 1);
}

static void
test_round_trip_invite(void **state)
{
	(void)state;
	round_trip(invite_text, NOTICE_INVITE);
}

/*
 * Version 4 (issue 11): the customer's language reads back as written and
 * makes the payload version 4; an English customer (no member) stays lower.
 */
static void
test_round_trip_language(void **state)
{
	struct buf	 a = { 0 }, b = { 0 }, d = { 0 };
	struct notice	 n;
	struct result	 r;

	(void)state;
	replaced(invite_text, "{\"version\":1,", "{\"version\":4,", &a);
	replaced(buf_cstr(&a), "\"timezone\":\"America/Sao_Paulo\"},",
	    "\"timezone\":\"America/Sao_Paulo\",\"language\":\"pt-BR\"},", &b);
	round_trip_version(buf_cstr(&b), NOTICE_INVITE, 4);
	result_clear(&r);
	assert_int_equal(notice_decode(buf_cstr(&b), NOTICE_INVITE, &n, &r), 0);
	assert_string_equal(n.meeting.customer.language, "pt-BR");
	free(n.meeting.customer.language);
	n.meeting.customer.language = NULL;
	assert_int_equal(notice_encode(&n, &d, &r), 0);
	assert_non_null(strstr(buf_cstr(&d), "{\"version\":1,"));
	notice_free(&n);
	buf_free(&a);
	buf_free(&b);
	buf_free(&d);
}

/*
 * Version 3 (issue 12): the FM as chair, the series' meeting_url and the
 * schedule an update changed read back as written, and make the payload
 * version 3 (an older notifier refuses it rather than leave the FM out).
 */
static void
test_round_trip_chair(void **state)
{
	struct buf	 a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	struct notice	 n;
	struct result	 r;

	(void)state;
	replaced(invite_text, "{\"version\":1,", "{\"version\":3,", &a);
	replaced(buf_cstr(&a), "\"every_weeks\":2},", "\"every_weeks\":2,"
	    "\"meeting_url\":\"https://teams.example/l/meetup-join/x\"},"
	    "\"previous\":{\"starts_at\":\"2026-11-30T09:00\",\"timezone\":\"America/Sao_Paulo\","
	    "\"duration_minutes\":45,\"every_weeks\":1},", &b);
	replaced(buf_cstr(&b), "\"email\":\"it@cba.example\"}],", "\"email\":\"it@cba.example\"}],"
	    "\"chair\":{\"name\":\"Fernanda Lima\",\"email\":\"fernanda@fm.example\"},", &c);
	round_trip_version(buf_cstr(&c), NOTICE_INVITE, 3);
	result_clear(&r);
	assert_int_equal(notice_decode(buf_cstr(&c), NOTICE_INVITE, &n, &r), 0);
	assert_string_equal(n.meeting.chair->email, "fernanda@fm.example");
	assert_string_equal(n.meeting.previous->starts_at, "2026-11-30T09:00");
	assert_int_equal(n.meeting.previous->duration_minutes, 45);
	assert_string_equal(n.meeting.meeting.meeting_url, "https://teams.example/l/meetup-join/x");
	/* Without the three members the same notice is version 1 again. */
	free(n.meeting.chair->name);
	free(n.meeting.chair->email);
	free(n.meeting.chair);
	n.meeting.chair = NULL;
	assert_int_equal(notice_encode(&n, &d, &r), 0);
	assert_non_null(strstr(buf_cstr(&d), "{\"version\":3,"));
	notice_free(&n);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	buf_free(&d);
}

/* The same struct, made a cancel: method and status change, nothing else. */
static void
test_round_trip_cancel(void **state)
{
	struct buf	 a = { 0 }, b = { 0 };

	(void)state;
	replaced(invite_text, "\"REQUEST\"", "\"CANCEL\"", &a);
	replaced(buf_cstr(&a), "\"CONFIRMED\"", "\"CANCELLED\"", &b);
	round_trip(buf_cstr(&b), NOTICE_CANCEL);
	buf_free(&a);
	buf_free(&b);
}

static void
test_round_trip_handshake(void **state)
{
	struct notice	 n;
	struct result	 r;

	(void)state;
	round_trip(handshake_text, NOTICE_HANDSHAKE);
	assert_int_equal(notice_decode(handshake_text, NOTICE_HANDSHAKE, &n, &r), 0);
	assert_int_equal(n.handshake.agenda.services[0].ftop_id, 3731);
	assert_false(n.handshake.agenda.services[0].has_au);
	assert_string_equal(n.handshake.customer.contacts[0].email, "ana@contoso.com");
	assert_null(n.handshake.agenda.next_action);
	notice_free(&n);
}

/* A struct filled by hand (as the writer does) encodes with the documented members. */
static void
test_encode_filled(void **state)
{
	struct notice		 n = { .kind = NOTICE_INVITE };
	struct notice_meeting	*m = &n.meeting;
	struct notice_service	*svc;
	struct result		 r;
	struct buf		 out = { 0 };

	(void)state;
	m->method = strdup("REQUEST");
	m->customer.name = strdup("Contoso");
	m->meeting.uid = strdup("u@x");
	m->meeting.status = strdup("CONFIRMED");
	m->meeting.starts_at = strdup("2026-12-01T10:00");
	m->meeting.timezone = strdup("UTC");
	m->meeting.duration_minutes = 30;
	m->meeting.every_weeks = 1;
	m->attendees = calloc(1, sizeof(*m->attendees));
	assert_non_null(m->attendees);
	m->n_attendees = 1;
	m->attendees[0].email = strdup("ana@contoso.com");
	m->agenda.services = svc = calloc(1, sizeof(*svc));
	assert_non_null(svc);
	m->agenda.n_services = 1;
	svc->title = strdup("Microsoft Teams");
	svc->has_au = svc->has_target = 1;
	svc->au_percent = 12.345;
	svc->target_percent = 10;
	m->url = strdup("/customers/1");
	assert_int_equal(notice_encode(&n, &out, &r), 0);
	assert_non_null(strstr(buf_cstr(&out), "{\"version\":1,\"method\":\"REQUEST\","));
	/* One decimal, as the payload always held; no ftop_id member for 0; NULL is null. */
	assert_non_null(strstr(buf_cstr(&out), "\"au_percent\":12.3,\"target_percent\":10.0,"));
	assert_non_null(strstr(buf_cstr(&out), "{\"name\":null,\"email\":\"ana@contoso.com\"}"));
	assert_null(strstr(buf_cstr(&out), "ftop_id"));
	assert_non_null(strstr(buf_cstr(&out), "\"blockers\":[],\"next_action\":null},"));
	notice_free(&n);
	buf_free(&out);
}

/* Rows queued before "version" existed decode as version 1. */
static void
test_versionless(void **state)
{
	struct notice	 n;
	struct result	 r;
	const char	*text = handshake_text + strlen("{\"version\":1,");
	struct buf	 old = { 0 };

	(void)state;
	buf_printf(&old, "{%s", text);
	result_clear(&r);
	if (notice_decode(buf_cstr(&old), NOTICE_HANDSHAKE, &n, &r) == -1)
		fail_msg("decode: %s", r.message);
	assert_int_equal(n.version, 1);
	assert_string_equal(n.handshake.csm.name, "Carla Mendes");
	notice_free(&n);
	buf_free(&old);
}

static void
test_unknown_version(void **state)
{
	static const char *const versions[] = { "5", "0", "\"1\"", "1.5" };
	struct notice	 n;
	struct result	 r;
	struct buf	 text = { 0 };
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		buf_reset(&text);
		buf_printf(&text, "{\"version\":%s,%s", versions[i],
		    handshake_text + strlen("{\"version\":1,"));
		result_clear(&r);
		assert_int_equal(notice_decode(buf_cstr(&text), NOTICE_HANDSHAKE, &n, &r), -1);
		assert_int_equal(r.code, RESULT_INVALID);
		assert_string_equal(r.field, "version");
		notice_free(&n);
	}
	buf_free(&text);
}

/* text must be refused as kind, naming path in the field and the message. */
static void
expect_refused(const char *text, enum notice_kind kind, const char *path, size_t i)
{
	struct notice	 n;
	struct result	 r;

	result_clear(&r);
	if (notice_decode(text, kind, &n, &r) != -1)
		fail_msg("case %zu (%s) was accepted", i, path);
	if (!unit_refused_naming(&r, path))
		fail_msg("case %zu: want %s, got field %s: %s", i, path, r.field, r.message);
	notice_free(&n);
}

/* notice_decode of an invite, as a unit_decode_fn. */
static int
invite_decode(json_object *doc, void *arg, struct result *r)
{
	struct notice	 n;
	int		 rc;

	(void)arg;
	rc = notice_decode(json_object_to_json_string(doc), NOTICE_INVITE, &n, r);
	notice_free(&n);
	return rc;
}

/* Each edit of the shared invite table (unit.c) is refused naming its member. */
static void
test_invite_refused(void **state)
{
	struct result	 r;
	struct buf	 t = { 0 };

	(void)state;
	if (unit_json_edits_refused(invite_text, unit_invite_refusals, unit_invite_refusals_n, invite_decode,
	    NULL, &r) == -1)
		fail_msg("%s", r.message);
	/* An invite whose method says CANCEL is no invite. */
	replaced(invite_text, "\"REQUEST\"", "\"CANCEL\"", &t);
	expect_refused(buf_cstr(&t), NOTICE_INVITE, "method", unit_invite_refusals_n);
	buf_free(&t);
}

/* unit_replaced (unit.c), which the refusal tables here and in test_mail rely on. */
static void
test_unit_replaced(void **state)
{
	struct buf	 b = { 0 };

	(void)state;
	assert_int_equal(unit_replaced("abcabc", "bc", "X", &b), 0);
	assert_string_equal(buf_cstr(&b), "aXabc");
	assert_int_equal(unit_replaced("abc", NULL, NULL, &b), 0);
	assert_string_equal(buf_cstr(&b), "abc");
	assert_int_equal(unit_replaced("abc", "c", "", &b), 0);
	assert_string_equal(buf_cstr(&b), "ab");
	assert_int_equal(unit_replaced("abc", "x", "y", &b), -1);
	buf_free(&b);
}

/* unit_refused_naming (unit.c): the code, the field and the message must all agree. */
static void
test_unit_refused_naming(void **state)
{
	struct result	 r;

	(void)state;
	result_set(&r, RESULT_INVALID, "meeting.uid", "meeting.uid: missing");
	assert_true(unit_refused_naming(&r, "meeting.uid"));
	assert_false(unit_refused_naming(&r, "meeting"));
	result_set(&r, RESULT_INVALID, "meeting.uid", "missing");
	assert_false(unit_refused_naming(&r, "meeting.uid"));
	result_set(&r, RESULT_IO, "meeting.uid", "meeting.uid: missing");
	assert_false(unit_refused_naming(&r, "meeting.uid"));
}

/* The edit helper (unit.c) the refusal tables rely on: paths, "null", removal, and what it refuses. */
static void
test_unit_json_edited(void **state)
{
	static const struct {
		const char	*parent, *key, *value;
		const char	*want;		/* the edited document, or NULL when refused */
	} cases[] = {
		{ .parent = "", .key = "b", .value = "null", .want = "{ \"a\": { \"c\": [ { } ] }, \"b\": null }" },
		{ .parent = "a/c/0", .key = "d", .value = "1", .want = "{ \"a\": { \"c\": [ { \"d\": 1 } ] } }" },
		{ .parent = "a", .key = "c", .want = "{ \"a\": { } }" },
		{ .parent = "a/c", .key = "d", .value = "1" },
		{ .parent = "a/x", .key = "d", .value = "1" },
		{ .parent = "", .key = "d", .value = "[" },
	};
	json_object	*doc;
	struct result	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		result_clear(&r);
		doc = unit_json_edited("{\"a\":{\"c\":[{}]}}", cases[i].parent, cases[i].key,
		    cases[i].value, &r);
		if (cases[i].want == NULL && doc != NULL)
			fail_msg("case %zu: edit of %s accepted", i, cases[i].parent);
		if (cases[i].want != NULL && (doc == NULL ||
		    strcmp(json_object_to_json_string(doc), cases[i].want) != 0))
			fail_msg("case %zu: got %s (%s)", i, doc != NULL ?
			    json_object_to_json_string(doc) : "NULL", r.message);
		json_object_put(doc);
	}
}

/* The handshake's own members, and what is not JSON at all. */
static void
test_handshake_refused(void **state)
{
	static const struct {
		const char	*from, *to, *path;
	} cases[] = {
		{ "\"csm\":{\"name\":\"Carla Mendes\",", "\"csm\":{\"name\":1,", "csm.name" },
		{ ",\"email\":\"carla@microsoft.example\"}", "}", "csm.email" },
		{ "\"services\":[{", "\"services\":[7,{", "services[0]" },
		{ "\"title\":\"Microsoft Teams\",", "", "services[0].title" },
		{ "\"ftop_id\":3731", "\"ftop_id\":-1", "services[0].ftop_id" },
		{ ",\"email\":\"ana@contoso.com\"}]", "}]", "customer.contacts[0].email" },
		{ "\"blockers\":[]", "\"blockers\":null", "blockers" },
		{ "\"next_action\":null", "\"next_action\":[]", "next_action" },
		{ ",\"url\":\"/customers/7\"", "", "url" },
		{ "{\"version\":1,", "[", "payload" },
	};
	struct buf	 t = { 0 };
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		replaced(handshake_text, cases[i].from, cases[i].to, &t);
		expect_refused(buf_cstr(&t), NOTICE_HANDSHAKE, cases[i].path, i);
	}
	buf_free(&t);
}

/* Non-ASCII text comes through both ways byte for byte. */
static void
test_non_ascii(void **state)
{
	struct notice	 n;
	struct result	 r;

	(void)state;
	assert_int_equal(notice_decode(invite_text, NOTICE_INVITE, &n, &r), 0);
	assert_string_equal(n.meeting.customer.name, "Companhia Brasileira de Alumínio — Sé");
	assert_string_equal(n.meeting.attendees[0].name, "João Araújo");
	assert_string_equal(n.meeting.agenda.next_action->text, "Enviar o kit de adoção");
	assert_string_equal(n.meeting.agenda.blockers[0].description, "Proxy blocks Teams média");
	assert_null(n.meeting.agenda.blockers[0].service);
	notice_free(&n);
}

static void
test_kind_and_percent(void **state)
{
	static const struct { double v; const char *want; } cases[] = {
		{ 7.5, "7.5" }, { 10, "10" }, { 10.0, "10" }, { 33.3, "33.3" }, { 0.1, "0.1" },
		{ 100, "100" }, { 12.25, "12.3" }, { 4.04, "4" }, { 0, "0" },
	};
	enum notice_kind k;
	struct result	 r;
	char		 s[32];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		notice_percent(cases[i].v, s, sizeof(s));
		if (strcmp(s, cases[i].want) != 0)
			fail_msg("case %zu: %g printed \"%s\", want \"%s\"", i, cases[i].v, s, cases[i].want);
	}
	assert_int_equal(notice_kind_parse("cancel", &k, &r), 0);
	assert_int_equal(k, NOTICE_CANCEL);
	assert_int_equal(notice_kind_parse("reminder", &k, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
}

UNIT_MAIN("notice",
	cmocka_unit_test(test_round_trip_invite),
	cmocka_unit_test(test_round_trip_chair),
	cmocka_unit_test(test_round_trip_language),
	cmocka_unit_test(test_round_trip_cancel),
	cmocka_unit_test(test_round_trip_handshake),
	cmocka_unit_test(test_encode_filled),
	cmocka_unit_test(test_versionless),
	cmocka_unit_test(test_unknown_version),
	cmocka_unit_test(test_unit_replaced),
	cmocka_unit_test(test_unit_refused_naming),
	cmocka_unit_test(test_unit_json_edited),
	cmocka_unit_test(test_invite_refused),
	cmocka_unit_test(test_handshake_refused),
	cmocka_unit_test(test_non_ascii),
	cmocka_unit_test(test_kind_and_percent),
)
