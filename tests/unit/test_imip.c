/* test_imip.c -- unit tests of shared/render/imip.c: each client family's reply read right, and every kind of garbage kept with its reason. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "imip.h"
#include "result.h"
#include "unit.h"

#define UID "checkin-1-5f2a9c1e@ftsuccess"

/* 2026-12-10 10:00 in São Paulo (UTC-3, no DST since 2019) is 13:00Z. */
#define DEC10_1300Z	INT64_C(1796907600)

static void
parse_fixture(const char *name, struct imip_message *m)
{
	char path[512];
	struct result r;
	size_t len;
	char *text;

	result_clear(&r);
	snprintf(path, sizeof(path), "%s/%s", IMIP_FIXTURES, name);
	text = unit_file_read(path, &len, &r);
	if (text == NULL)
		fail_msg("%s", r.message);
	assert_int_equal(imip_parse(text, len, m, &r), 0);
	free(text);
}

static void
test_outlook_accepted(void **state)
{
	struct imip_message m;

	(void)state;
	parse_fixture("outlook_accepted.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	assert_string_equal(m.uid, UID);
	assert_string_equal(m.attendee, "ana@cba.example");
	assert_string_equal(m.from, "ana@cba.example");
	assert_string_equal(m.partstat, "accepted");
	assert_int_equal(m.sequence, 2);
	assert_int_equal(m.has_recurrence, 0);
	assert_string_equal(m.key,
	    "<BN8PR03MB50120A1B2C3D4E5F@BN8PR03MB5012.namprd03.prod.outlook.com>");
}

static void
test_gmail_declined_occurrence(void **state)
{
	struct imip_message m;

	(void)state;
	parse_fixture("gmail_declined_occurrence.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	assert_string_equal(m.attendee, "joao@cba.example");
	assert_string_equal(m.partstat, "declined");
	assert_int_equal(m.has_recurrence, 1);
	assert_int_equal(m.recurrence_zoned, 1);
	assert_true(m.recurrence_at == DEC10_1300Z);
	assert_string_equal(m.recurrence_day, "2026-12-10");
}

static void
test_apple_tentative_occurrence(void **state)
{
	struct imip_message m;

	(void)state;
	parse_fixture("apple_tentative_occurrence.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	assert_string_equal(m.attendee, "maria@cba.example");
	assert_string_equal(m.partstat, "tentative");
	assert_int_equal(m.has_recurrence, 1);
	assert_int_equal(m.recurrence_zoned, 1);
	assert_true(m.recurrence_at == DEC10_1300Z);
}

static void
test_thunderbird(void **state)
{
	struct imip_message m;

	(void)state;
	parse_fixture("thunderbird_accepted.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	assert_string_equal(m.attendee, "it@cba.example");
	assert_string_equal(m.partstat, "accepted");
	assert_int_equal(m.sequence, 2);
	assert_string_equal(m.key, "<tb-accepted-1@cba.example>");
	parse_fixture("thunderbird_stale.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	assert_int_equal(m.sequence, 1);
	assert_string_equal(m.partstat, "declined");
}

static void
test_counter(void **state)
{
	struct imip_message m;

	(void)state;
	parse_fixture("outlook_counter.eml", &m);
	assert_int_equal(m.kind, IMIP_COUNTER);
	assert_string_equal(m.attendee, "ana@cba.example");
	/* 2026-11-26 15:00Z and 15:30Z. */
	assert_true(m.proposed_start == INT64_C(1795705200));
	assert_true(m.proposed_end == INT64_C(1795707000));
	assert_int_equal(m.has_recurrence, 1);
}

/* Messages the parser keeps unmatched, and the reason each must carry. */
static void
test_unmatched_table(void **state)
{
	static const struct {
		const char	*file;
		enum imip_reason reason;
	} rows[] = {
		{ "human_reply.eml", IMIP_REASON_NO_CALENDAR },
		{ "garbage_mime.eml", IMIP_REASON_MIME },
		{ "garbage_calendar.eml", IMIP_REASON_CALENDAR },
		{ "request_forwarded.eml", IMIP_REASON_METHOD },
		{ "delegated.eml", IMIP_REASON_DELEGATED },
	};
	struct imip_message m;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		parse_fixture(rows[i].file, &m);
		if (m.kind != IMIP_UNMATCHED || m.reason != rows[i].reason)
			fail_msg("%s: kind %d reason %s (%s), want %s", rows[i].file, m.kind,
			    imip_reason_key(m.reason), m.detail, imip_reason_key(rows[i].reason));
		assert_true(m.key[0] != '\0');
		assert_true(imip_reason_words(m.reason)[0] != '\0');
	}
	/* The rules decide these: the parser reads them as replies. */
	parse_fixture("non_attendee.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	parse_fixture("unknown_uid.eml", &m);
	assert_int_equal(m.kind, IMIP_REPLY);
	assert_string_equal(m.uid, "0123456789@elsewhere.example");
}

/* Raw byte strings: no crash, a reason, and a stable key without a Message-ID. */
static void
test_garbage_bytes(void **state)
{
	static const char *const inputs[] = {
		"",
		"\n",
		"\r\n\r\n",
		"From:",
		"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n--b--",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n",
		"Content-Type: text/calendar\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=\r\n=Z=",
		"Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n",
		"Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\nATTENDEE:mailto:a@b\r\nRECURRENCE-ID:bogus\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:COUNTER\r\nBEGIN:VEVENT\r\nUID:x\r\nATTENDEE:mailto:a@b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"Content-Type: text/calendar; name=\"x.ics\r\n\r\nBEGIN:VCALENDAR",
	};
	struct imip_message m, again;
	struct result r;

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		result_clear(&r);
		assert_int_equal(imip_parse(inputs[i], strlen(inputs[i]), &m, &r), 0);
		if (m.kind != IMIP_UNMATCHED || m.reason == IMIP_REASON_NONE)
			fail_msg("input %zu: kind %d reason %d", i, m.kind, m.reason);
		assert_int_equal(imip_parse(inputs[i], strlen(inputs[i]), &again, &r), 0);
		assert_string_equal(m.key, again.key);
		assert_memory_equal(m.key, "fnv64:", 6);
	}
}

/* An instant on a series' wall clock: its date and start, across zones; an unknown zone refused. */
static void
test_local_time(void **state)
{
	char day[11], start[17];

	(void)state;
	assert_int_equal(imip_local_day(DEC10_1300Z, "America/Sao_Paulo", day, sizeof(day)), 0);
	assert_string_equal(day, "2026-12-10");
	assert_int_equal(imip_local_start(DEC10_1300Z, "America/Sao_Paulo", start, sizeof(start)), 0);
	assert_string_equal(start, "2026-12-10T10:00");
	/* 13:00Z is already the next day in Auckland (UTC+13 in December). */
	assert_int_equal(imip_local_day(DEC10_1300Z, "Pacific/Auckland", day, sizeof(day)), 0);
	assert_string_equal(day, "2026-12-11");
	assert_int_equal(imip_local_start(DEC10_1300Z, "UTC", start, sizeof(start)), 0);
	assert_string_equal(start, "2026-12-10T13:00");
	assert_int_equal(imip_local_day(DEC10_1300Z, "Nowhere/Atlantis", day, sizeof(day)), -1);
	assert_int_equal(imip_local_start(DEC10_1300Z, "UTC", start, 16), -1);
}

/* Every reason has a key and words, and keys map back. */
static void
test_reason_table(void **state)
{
	(void)state;
	for (int i = 1; i < IMIP_REASON__MAX; i++) {
		assert_true(imip_reason_key((enum imip_reason)i)[0] != '\0');
		assert_true(imip_reason_words((enum imip_reason)i)[0] != '\0');
		assert_int_equal(imip_reason_from_key(imip_reason_key((enum imip_reason)i)), i);
	}
	assert_int_equal(imip_reason_from_key("nope"), IMIP_REASON__MAX);
	assert_string_equal(imip_kind_key(IMIP_COUNTER), "counter");
}

UNIT_MAIN("imip",
	cmocka_unit_test(test_outlook_accepted),
	cmocka_unit_test(test_gmail_declined_occurrence),
	cmocka_unit_test(test_apple_tentative_occurrence),
	cmocka_unit_test(test_thunderbird),
	cmocka_unit_test(test_counter),
	cmocka_unit_test(test_unmatched_table),
	cmocka_unit_test(test_garbage_bytes),
	cmocka_unit_test(test_reason_table),
	cmocka_unit_test(test_local_time),
)
