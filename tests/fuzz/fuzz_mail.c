/* fuzz_mail.c -- libFuzzer target: the notifier's mail headers (RFC 2047 encoder, mailboxes, smtp_from) and whole messages built from outbox payloads. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/mail/ in make
 * check.  The first byte picks what is fuzzed, the second is a parameter:
 *
 *   0  mail_header_text(): the rest is a Subject (at most 511 bytes, as
 *      mail_build() bounds it).  Besides the header invariants,
 *      encoded-words must decode back to the input, each word holding
 *      whole UTF-8 characters, and no line may pass 76 octets.
 *   1  mail_mailbox(): the second byte is the display name's length, the
 *      rest is name then address.
 *   2  mail_from_parse(), then mail_mailbox() of what it parsed.
 *   3  mail_build(): the rest is an outbox payload (JSON); the second byte
 *      picks the kind (invite, cancel, handshake); recipients are the
 *      payload's attendees (a handshake's: its csm).  Every header and the
 *      calendar are checked.
 *
 * A broken invariant aborts (fuzz_check.c): that is a header or calendar
 * injection, reported like a crash.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mail.h"
#include "notice.h"
#include "text.h"
#include "../unit/unit.h"
#include "fuzz_check.h"

#ifndef FUZZ_TEMPLATES
#error "FUZZ_TEMPLATES (the www/templates directory) must be defined"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The encoded-words after "Subject: " decode to text, one whole-character word at a time. */
static void
fuzz_words_check(const struct buf *line, const char *text, size_t len)
{
	struct buf	 dec = { 0 };
	const char	*p = line->data + 9, *end = line->data + line->len, *q, *ls;
	size_t		 before;

	for (ls = line->data, q = line->data; q < end; q++)
		if (q + 1 < end && q[0] == '\r') {
			if ((size_t)(q - ls) > MAIL_LINE_MAX)
				fuzz_fail("encoded header line over 76 octets", line->data, line->len);
			ls = q + 2;
		}
	if ((size_t)(end - ls) > MAIL_LINE_MAX)
		fuzz_fail("encoded header line over 76 octets", line->data, line->len);
	while (p < end) {
		if (end - p >= 3 && memcmp(p, "\r\n ", 3) == 0)
			p += 3;
		if (end - p < 12 || memcmp(p, "=?UTF-8?B?", 10) != 0)
			fuzz_fail("not an encoded-word", line->data, line->len);
		q = strstr(p + 10, "?=");
		if (q == NULL)
			fuzz_fail("unterminated encoded-word", line->data, line->len);
		if ((size_t)(q + 2 - p) > MAIL_WORD_MAX)
			fuzz_fail("encoded-word over 75 characters", line->data, line->len);
		before = dec.len;
		if (unit_b64_decode(p + 10, (size_t)(q - p - 10), UNIT_B64_STRICT, &dec) == -1)
			fuzz_fail("bad base64 in an encoded-word", line->data, line->len);
		if (!text_utf8_valid(dec.data + before, dec.len - before))
			fuzz_fail("encoded-word splitting a UTF-8 character", line->data, line->len);
		p = q + 2;
	}
	if (dec.len != len || (len > 0 && memcmp(dec.data, text, len) != 0))
		fuzz_fail("encoded-words that do not decode to the input", line->data, line->len);
	buf_free(&dec);
}

static void
fuzz_header_text(const char *text, size_t len)
{
	struct buf	 line = { 0 };
	struct result	 r;

	/*
	 * mail_header_text() folds only encoded-words, so printable ASCII
	 * longer than a line is copied as one; its one caller bounds the
	 * subject by struct mail's buffer, and so does this target (found by
	 * fuzzing: a 1000-byte ASCII subject is a long line, not a bug).
	 */
	if (len >= sizeof(((struct mail *)NULL)->subject))
		return;
	result_clear(&r);
	buf_puts(&line, "Subject: ");
	if (mail_header_text(&line, text, len, 9, &r) == 0 && !line.failed) {
		fuzz_assert_header(line.data, line.len);
		if (line.len - 9 != len || memcmp(line.data + 9, text, len) != 0)
			fuzz_words_check(&line, text, len);
	}
	buf_free(&line);
}

static void
fuzz_mailbox(const char *name, size_t namelen, const char *email, size_t emaillen)
{
	struct buf	 line = { 0 };
	struct result	 r;

	result_clear(&r);
	buf_puts(&line, "To: ");
	if (mail_mailbox(&line, name, namelen, email, emaillen, 4, &r) == 0 && !line.failed)
		fuzz_assert_header(line.data, line.len);
	buf_free(&line);
}

static void
fuzz_from(const char *from)
{
	char		 name[256], addr[MAIL_ADDR_MAX];
	struct result	 r;

	result_clear(&r);
	if (mail_from_parse(from, name, sizeof(name), addr, sizeof(addr), &r) == 0)
		fuzz_mailbox(name, strlen(name), addr, strlen(addr));
}

/* payload is the caller's own malloc'd copy: the row borrows it (its member is not const). */
static void
fuzz_build(int kind, char *payload)
{
	static const char *const kinds[] = { "invite", "cancel", "handshake" };
	static struct mustache_set	*tpl;
	static struct config		 cfg;
	struct store_outbox_row		 row;
	struct mail			 m;
	struct notice			 notice = { 0 };
	struct result			 r;
	json_object			*p, *att, *csm;
	size_t				 i;

	result_clear(&r);
	if (tpl == NULL) {
		config_defaults(&cfg);
		snprintf(cfg.smtp_from, sizeof(cfg.smtp_from), "Fiona FM <fiona@example.com>");
		snprintf(cfg.organizer_name, sizeof(cfg.organizer_name), "Fiona FM");
		snprintf(cfg.organizer_email, sizeof(cfg.organizer_email), "fiona@example.com");
		if (mustache_set_open(&tpl, FUZZ_TEMPLATES "/mail", &r) == -1 ||
		    mustache_set_preload(tpl, &r) == -1) {
			fprintf(stderr, "fuzz_mail: templates: %s\n", r.message);
			abort();
		}
	}
	memset(&row, 0, sizeof(row));
	row.id = 7;
	row.customer_id = 3;
	snprintf(row.kind, sizeof(row.kind), "%s", kinds[kind % 3]);
	snprintf(row.message_id, sizeof(row.message_id), "<ftsuccess.7.0123456789abcdef@example.com>");
	row.payload = payload;
	/* Recipients as the playbook queues them: the attendees, or the CSM of a handshake. */
	p = json_tokener_parse(payload);
	att = NULL;
	if (p != NULL && json_object_object_get_ex(p, "attendees", &att) &&
	    json_object_is_type(att, json_type_array))
		row.recipients = strdup(json_object_to_json_string_ext(att, JSON_C_TO_STRING_PLAIN));
	else if (p != NULL && json_object_object_get_ex(p, "csm", &att) &&
	    json_object_is_type(att, json_type_object)) {
		csm = json_object_new_array();
		if (csm != NULL && json_object_array_add(csm, json_object_get(att)) == 0)
			row.recipients = strdup(json_object_to_json_string_ext(csm,
			    JSON_C_TO_STRING_PLAIN));
		else
			json_object_put(att);	/* the reference the array did not take */
		json_object_put(csm);
	} else
		row.recipients = strdup("[{\"name\": \"Ana\", \"email\": \"ana@example.com\"}]");
	json_object_put(p);
	/* As the drain does: decode the payload once, build from the struct. */
	if (row.recipients != NULL && notice_decode_row(row.kind, row.payload, &notice, &r) == 0 &&
	    mail_build(&cfg, tpl, &row, &notice, 1767225600, &m, &r) == 0) {
		for (i = 0; i < m.nheaders; i++)
			fuzz_assert_header(m.headers[i], strlen(m.headers[i]));
		if (m.calendar != NULL)
			fuzz_assert_calendar(m.calendar, strlen(m.calendar));
		mail_free(&m);
	}
	notice_free(&notice);
	free(row.recipients);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	size_t	 len, nl;

	if (size < 2)
		return 0;
	len = size - 2;
	/* A NUL-terminated copy: the C-string interfaces get it, and the length ones see any NUL. */
	if ((s = malloc(len + 1)) == NULL)
		return 0;
	memcpy(s, data + 2, len);
	s[len] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_header_text(s, len);
		break;
	case 1:
		nl = data[1] < len ? data[1] : len;
		fuzz_mailbox(s, nl, s + nl, len - nl);
		break;
	case 2:
		fuzz_from(s);
		break;
	default:
		fuzz_build(data[1], s);
		break;
	}
	free(s);
	return 0;
}
