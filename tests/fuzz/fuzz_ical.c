/* fuzz_ical.c -- libFuzzer target: the calendar builder's text inputs (shared/render/ical.c), as fields and as outbox payloads. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/ical/ in make
 * check.  The first byte picks the way in:
 *
 *   even  the rest holds the text fields separated by 0x1f: summary,
 *         description, url, organizer name, organizer e-mail, uid, time
 *         zone, starts_at, then attendee name and e-mail pairs (at most 4).
 *         The second byte sets the method (bit 0: CANCEL) and every_weeks.
 *   odd   the rest (after the second byte) is an "invite"/"cancel" outbox
 *         payload decoded by notice_decode_meeting_json() for ical_invite_from_notice().
 *
 * Whatever is built must keep the calendar invariants (fuzz_check.c): a
 * CR/LF in any text that reached a line unescaped is a property injection.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ical.h"
#include "notice.h"
#include "result.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_FIELDS	16
#define FUZZ_DTSTAMP	1767225600	/* 2026-01-01T00:00:00Z */

static void
fuzz_build(const struct ical_invite *inv)
{
	struct buf	 out = { 0 };
	struct result	 r;

	result_clear(&r);
	if (ical_invite_build(inv, FUZZ_DTSTAMP, &out, &r) == 0 && !out.failed)
		fuzz_assert_calendar(out.data, out.len);
	buf_free(&out);
}

static void
fuzz_fields(int param, char *s)
{
	struct ical_invite	 inv;
	struct ical_person	 att[4];
	char			*f[FUZZ_FIELDS], *p;
	size_t			 n = 0, i;

	for (p = s; n < FUZZ_FIELDS; p++) {
		f[n++] = p;
		if ((p = strchr(p, '\x1f')) == NULL)
			break;
		*p = '\0';
	}
	for (i = n; i < FUZZ_FIELDS; i++)
		f[i] = NULL;
	memset(&inv, 0, sizeof(inv));
	inv.method = param & 1 ? "CANCEL" : "REQUEST";
	inv.status = param & 1 ? "CANCELLED" : "CONFIRMED";
	inv.sequence = param & 1;
	inv.every_weeks = 1 + (param >> 1) % 8;
	inv.duration_minutes = 30;
	inv.summary = f[0] != NULL ? f[0] : "Success Check-in";
	inv.description = f[1];
	inv.url = f[2];
	inv.organizer.name = f[3];
	inv.organizer.email = f[4] != NULL ? f[4] : "fiona@example.com";
	inv.uid = f[5] != NULL ? f[5] : "checkin-1@ftsuccess";
	inv.timezone = f[6] != NULL ? f[6] : "Europe/Berlin";
	inv.starts_at = f[7] != NULL ? f[7] : "2026-03-20T10:00";
	for (i = 0; i < 4 && 8 + 2 * i < FUZZ_FIELDS; i++) {
		att[i].name = f[8 + 2 * i];
		att[i].email = f[9 + 2 * i];
		if (att[i].email == NULL)
			break;
	}
	if (i == 0) {
		att[0].name = "Ana";
		att[0].email = "ana@example.com";
		i = 1;
	}
	inv.attendees = att;
	inv.n_attendees = i;
	fuzz_build(&inv);
}

static void
fuzz_payload(const char *s)
{
	static const struct ical_person org = { "Fiona FM", "fiona@example.com" };
	struct ical_invite	 inv;
	struct notice		 n;
	struct result		 r;
	json_object		*payload;

	memset(&inv, 0, sizeof(inv));
	memset(&n, 0, sizeof(n));
	result_clear(&r);
	if ((payload = json_tokener_parse(s)) == NULL)
		return;
	if (notice_decode_meeting_json(payload, &n, &r) == 0 &&
	    ical_invite_from_notice(&n.meeting, &org, "https://ftsuccess.example.com", &inv, &r) == 0)
		fuzz_build(&inv);
	ical_invite_free(&inv);
	notice_free(&n);
	json_object_put(payload);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size < 2)
		return 0;
	/* The builder takes C strings: a NUL-terminated copy of the rest. */
	if ((s = malloc(size - 1)) == NULL)
		return 0;
	memcpy(s, data + 2, size - 2);
	s[size - 2] = '\0';
	if (data[0] % 2 == 0)
		fuzz_fields(data[1], s);
	else
		fuzz_payload(s);
	free(s);
	return 0;
}
