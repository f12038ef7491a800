/* test_imip.c -- unit tests of shared/render/imip.c: each client family's reply read right, and every kind of garbage kept with its reason. */
#include "autoconfig.h"

#include <inttypes.h>
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

/* 2026-11-26 12:00Z: the counter's occurrence, then its proposed 15:00Z to 15:30Z. */
#define NOV26_1200Z	INT64_C(1795698000)
#define NOV26_1500Z	INT64_C(1795705200)
#define NOV26_1530Z	INT64_C(1795707000)

/* What one client family's answer must read as: every member imip_parse fills for it. */
static const struct reply_row {
	const char	*file;
	enum imip_kind	 kind;
	const char	*attendee, *partstat;
	int		 sequence, has_recurrence, recurrence_zoned;
	int64_t		 recurrence_at;
	const char	*recurrence_day;
	int64_t		 proposed_start, proposed_end;
	const char	*key;
} reply_rows[] = {
	{ .file = "outlook_accepted.eml", .kind = IMIP_REPLY, .attendee = "ana@cba.example",
	    .partstat = "accepted", .sequence = 2, .recurrence_day = "",
	    .key = "<BN8PR03MB50120A1B2C3D4E5F@BN8PR03MB5012.namprd03.prod.outlook.com>" },
	/* One occurrence of the series answered: RECURRENCE-ID in the series' zone. */
	{ .file = "gmail_declined_occurrence.eml", .kind = IMIP_REPLY,
	    .attendee = "joao@cba.example", .partstat = "declined", .sequence = 2,
	    .has_recurrence = 1, .recurrence_zoned = 1, .recurrence_at = DEC10_1300Z,
	    .recurrence_day = "2026-12-10", .key = "<000000000000a1b2c3d4e5f60718@google.com>" },
	{ .file = "apple_tentative_occurrence.eml", .kind = IMIP_REPLY,
	    .attendee = "maria@cba.example", .partstat = "tentative", .sequence = 2,
	    .has_recurrence = 1, .recurrence_zoned = 1, .recurrence_at = DEC10_1300Z,
	    .recurrence_day = "2026-12-10",
	    .key = "<5E1B2C3D-4A5B-6C7D-8E9F-0A1B2C3D4E5F@cba.example>" },
	{ .file = "thunderbird_accepted.eml", .kind = IMIP_REPLY, .attendee = "it@cba.example",
	    .partstat = "accepted", .sequence = 2, .recurrence_day = "",
	    .key = "<tb-accepted-1@cba.example>" },
	/* An answer to an older SEQUENCE: read as written, the rules judge it stale. */
	{ .file = "thunderbird_stale.eml", .kind = IMIP_REPLY, .attendee = "it@cba.example",
	    .partstat = "declined", .sequence = 1, .recurrence_day = "",
	    .key = "<tb-stale-1@cba.example>" },
	{ .file = "outlook_counter.eml", .kind = IMIP_COUNTER, .attendee = "ana@cba.example",
	    .partstat = "", .sequence = 2, .has_recurrence = 1, .recurrence_zoned = 1,
	    .recurrence_at = NOV26_1200Z, .recurrence_day = "2026-11-26",
	    .proposed_start = NOV26_1500Z, .proposed_end = NOV26_1530Z,
	    .key = "<BN8PR03MB5012COUNTER01@BN8PR03MB5012.namprd03.prod.outlook.com>" },
};

/* Each client family's reply (and Outlook's counter-proposal) read member by member. */
static void
test_replies_read(void **state)
{
	struct imip_message m;

	(void)state;
	for (size_t i = 0; i < sizeof(reply_rows) / sizeof(reply_rows[0]); i++) {
		const struct reply_row *w = &reply_rows[i];

		parse_fixture(w->file, &m);
		if (m.kind != w->kind || strcmp(m.uid, UID) != 0 ||
		    strcmp(m.attendee, w->attendee) != 0 || strcmp(m.from, w->attendee) != 0 ||
		    strcmp(m.partstat, w->partstat) != 0 || m.sequence != w->sequence ||
		    m.has_recurrence != w->has_recurrence ||
		    m.recurrence_zoned != w->recurrence_zoned ||
		    m.recurrence_at != w->recurrence_at ||
		    strcmp(m.recurrence_day, w->recurrence_day) != 0 ||
		    m.proposed_start != w->proposed_start || m.proposed_end != w->proposed_end ||
		    strcmp(m.key, w->key) != 0)
			fail_msg("%s: read kind %d uid %s attendee %s from %s partstat \"%s\" "
			    "sequence %d recurrence %d/%d at %" PRId64 " day \"%s\" proposed %" PRId64
			    "-%" PRId64 " key %s", w->file, m.kind, m.uid, m.attendee, m.from,
			    m.partstat, m.sequence, m.has_recurrence, m.recurrence_zoned,
			    m.recurrence_at, m.recurrence_day, m.proposed_start, m.proposed_end, m.key);
	}
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
	cmocka_unit_test(test_replies_read),
	cmocka_unit_test(test_unmatched_table),
	cmocka_unit_test(test_garbage_bytes),
	cmocka_unit_test(test_reason_table),
	cmocka_unit_test(test_local_time),
)
