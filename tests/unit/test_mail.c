/* test_mail.c -- notifier/mail.c: RFC 2047 words, mailboxes, dates, header refusal, the built MIME shape. */
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
#include "config.h"
#include "i18n.h"
#include "mail.h"
#include "notice.h"
#include "mustache.h"
#include "store.h"
#include "text.h"
#include "unit.h"

/*
 * Checks the RFC 2047 rules on an encoded header value that starts at
 * column `used` and returns the decoded text (malloc'd): words <= 75
 * characters, lines <= 76, each word whole UTF-8 characters.
 */
static char *
decode_value(const char *v, size_t used)
{
	struct buf	 out = { 0 }, word = { 0 };
	const char	*p = v, *end, *line = v;
	size_t		 col;

	while (*p != '\0') {
		if (p[0] == '\r') {
			assert_true(p[1] == '\n' && p[2] == ' ');
			col = (size_t)(p - line) + (line == v ? used : 0);
			/* A header name already past the limit folds at once: nothing to check. */
			if (p > line)
				assert_true(col <= MAIL_LINE_MAX);
			p += 3;
			line = p - 1;
			continue;
		}
		if (p[0] == ' ') {
			p++;
			continue;
		}
		assert_memory_equal(p, "=?UTF-8?B?", 10);
		end = strstr(p + 10, "?=");
		assert_non_null(end);
		assert_true((size_t)(end + 2 - p) <= MAIL_WORD_MAX);
		buf_reset(&word);
		assert_int_equal(unit_b64_decode(p + 10, (size_t)(end - (p + 10)), UNIT_B64_LOOSE, &word), 0);
		/* Each word alone is whole characters (RFC 2047 section 5). */
		assert_true(text_utf8_valid(word.data != NULL ? word.data : "", word.len));
		buf_append(&out, word.data != NULL ? word.data : "", word.len);
		p = end + 2;
	}
	col = strlen(line) + (line == v ? used : 0);
	assert_true(col <= MAIL_LINE_MAX);
	buf_free(&word);
	buf_putc(&out, '\0');
	return buf_detach(&out);
}

/* The decoder the checks here and fuzz_mail rely on (unit.c): both modes, and what each refuses. */
static void
test_unit_b64(void **state)
{
	static const struct {
		const char		*in;
		enum unit_b64_mode	 mode;
		int			 rc;
		const char		*want;	/* decoded text when rc is 0 */
	} rows[] = {
		{ .in = "QQ==", .mode = UNIT_B64_STRICT, .rc = 0, .want = "A" },
		{ .in = "QUI=", .mode = UNIT_B64_STRICT, .rc = 0, .want = "AB" },
		{ .in = "QUJD", .mode = UNIT_B64_STRICT, .rc = 0, .want = "ABC" },
		{ .in = "", .mode = UNIT_B64_STRICT, .rc = 0, .want = "" },
		{ .in = "QQ=", .mode = UNIT_B64_STRICT, .rc = -1 },
		{ .in = "Q===", .mode = UNIT_B64_STRICT, .rc = -1 },
		{ .in = "QQ==QUJD", .mode = UNIT_B64_STRICT, .rc = -1 },
		{ .in = "QU\r\nJD", .mode = UNIT_B64_STRICT, .rc = -1 },
		{ .in = "QU\r\nJD", .mode = UNIT_B64_LOOSE, .rc = 0, .want = "ABC" },
		{ .in = "QQ==QUJD", .mode = UNIT_B64_LOOSE, .rc = 0, .want = "A" },
		{ .in = "QU!D", .mode = UNIT_B64_LOOSE, .rc = -1 },
	};
	struct buf	 out = { 0 };
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_reset(&out);
		rc = unit_b64_decode(rows[i].in, strlen(rows[i].in), rows[i].mode, &out);
		if (rc != rows[i].rc || (rc == 0 && strcmp(buf_cstr(&out), rows[i].want) != 0))
			fail_msg("row %zu (\"%s\", mode %d): got %d \"%s\"", i, rows[i].in,
			    (int)rows[i].mode, rc, buf_cstr(&out));
	}
	buf_free(&out);
}

static void
test_header_ascii_passthrough(void **state)
{
	struct buf	b = { 0 };
	struct result	r;

	(void)state;
	result_clear(&r);
	assert_int_equal(mail_header_text(&b, "Success Check-in - Contoso", 26, 9, &r), 0);
	assert_string_equal(buf_cstr(&b), "Success Check-in - Contoso");
	/* "=?" must not pass through: a reader would try to decode it. */
	buf_reset(&b);
	assert_int_equal(mail_header_text(&b, "a =?UTF-8?B?QQ==?= b", 20, 9, &r), 0);
	assert_memory_equal(buf_cstr(&b), "=?UTF-8?B?", 10);
	buf_free(&b);
}

static void
test_header_roundtrip(void **state)
{
	static const char *const texts[] = {
		"Success Check-in \xe2\x80\x94 Contoso",
		"Jo\xc3\xa3o",
		"\xc3\xa9",
		"\xf0\x9f\x98\x80",
		"Z\xc3\xbcrich Versicherungs-Gesellschaft AG \xe2\x80\x94 M\xc3\xa4rz-Termin "
		    "f\xc3\xbcr alle Standorte in \xc3\x96sterreich und der Schweiz",
	};
	static const size_t useds[] = { 0, 4, 9, 40, 56, 57, 60, 70, 75, 76, 100 };
	struct buf	 b = { 0 }, rep = { 0 };
	struct result	 r;
	char		*dec;
	size_t		 i, j, k;
	/* Long runs of 2-, 3- and 4-byte characters hit every split position. */
	static const char *const units[] = { "\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80", "a\xc3\xa9" };

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (j = 0; j < sizeof(useds) / sizeof(useds[0]); j++) {
			buf_reset(&b);
			result_clear(&r);
			assert_int_equal(mail_header_text(&b, texts[i], strlen(texts[i]), useds[j], &r), 0);
			dec = decode_value(buf_cstr(&b), useds[j]);
			assert_string_equal(dec, texts[i]);
			free(dec);
		}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		for (k = 1; k < 120; k += 7) {
			buf_reset(&rep);
			for (j = 0; j < k; j++)
				buf_puts(&rep, units[i]);
			buf_reset(&b);
			assert_int_equal(mail_header_text(&b, rep.data, rep.len, 9, &r), 0);
			dec = decode_value(buf_cstr(&b), 9);
			assert_string_equal(dec, rep.data);
			free(dec);
		}
	buf_free(&b);
	buf_free(&rep);
}

static void
test_header_refuses_controls(void **state)
{
	static const struct { const char *s; size_t len; } bad[] = {
		{ "Contoso\r\nBcc: evil@example.com", 30 },
		{ "Contoso\nBcc: evil@example.com", 29 },
		{ "Contoso\rX", 9 },
		{ "Conto\0so", 8 },
		{ "Jo\xc3\xa3o\n", 6 },
		{ "bad \xff utf-8", 11 },
		{ "truncated \xe2\x80", 12 },
	};
	struct buf	b = { 0 };
	struct result	r;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		result_clear(&r);
		buf_reset(&b);
		if (mail_header_text(&b, bad[i].s, bad[i].len, 9, &r) != -1)
			fail_msg("case %zu accepted", i);
		assert_int_equal(r.code, RESULT_INVALID);
		result_clear(&r);
		if (mail_mailbox(&b, bad[i].s, bad[i].len, "a@example.com", 13, 4, &r) != -1)
			fail_msg("case %zu accepted as a name", i);
		assert_int_equal(r.code, RESULT_INVALID);
	}
	buf_free(&b);
}

static void
test_mailbox(void **state)
{
	static const struct { const char *name, *email, *want; } cases[] = {
		{ "Ana Souza", "ana@contoso.com", "Ana Souza <ana@contoso.com>" },
		{ "", "ana@contoso.com", "ana@contoso.com" },
		{ "Doe, John", "j@x.example", "\"Doe, John\" <j@x.example>" },
		{ "J. Doe", "j@x.example", "\"J. Doe\" <j@x.example>" },
		{ "Say \"hi\" \\o/", "j@x.example", "\"Say \\\"hi\\\" \\\\o/\" <j@x.example>" },
		{ "IT (Infra)", "j@x.example", "\"IT (Infra)\" <j@x.example>" },
		{ "O'Brien", "o@x.example", "O'Brien <o@x.example>" },
	};
	struct buf	 b = { 0 };
	struct result	 r;
	char		*dec;
	const char	*v;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		result_clear(&r);
		assert_int_equal(mail_mailbox(&b, cases[i].name, strlen(cases[i].name), cases[i].email,
		    strlen(cases[i].email), 4, &r), 0);
		assert_string_equal(buf_cstr(&b), cases[i].want);
	}
	/* Non-ASCII display name: encoded-words, then the address. */
	buf_reset(&b);
	assert_int_equal(mail_mailbox(&b, "Souza, Jo\xc3\xa3o", 12, "j@contoso.com", 13, 4, &r), 0);
	v = buf_cstr(&b);
	assert_non_null(strstr(v, "?= <j@contoso.com>"));
	b.data[b.len - strlen(" <j@contoso.com>")] = '\0';
	dec = decode_value(v, 4);
	assert_string_equal(dec, "Souza, Jo\xc3\xa3o");
	free(dec);
	/* Addresses that are not addresses. */
	result_clear(&r);
	assert_int_equal(mail_mailbox(&b, "A", 1, "not-an-address", 14, 4, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_string_equal(r.field, "email");
	assert_int_equal(mail_mailbox(&b, "A", 1, "a@x.example\r\nBcc: e@x.example", 28, 4, &r), -1);
	assert_int_equal(mail_mailbox(&b, "A", 1, "a@x.exa\0mple", 12, 4, &r), -1);
	buf_free(&b);
}

/*
 * Issue 12, defect 7: "To: =?UTF-8?Q?...?= <a.long.address@...>" came out 87
 * characters long; RFC 2047 section 2 caps a line with encoded-words at 76.
 * The address goes on a folded line when it would not fit, and stays on
 * the name's line when it does.
 */
static void
test_mailbox_folds_before_address(void **state)
{
	static const char	 name[] = "Jo\xc3\xa3o Concei\xc3\xa7\xc3\xa3o";
	static const char	 email[] = "joao.conceicao.infraestrutura@contoso-industrial.com.br";
	struct buf		 b = { 0 };
	struct result		 r;
	const char		*line, *nl;

	(void)state;
	buf_puts(&b, "To: ");
	assert_int_equal(mail_mailbox(&b, name, strlen(name), email, strlen(email), 4, &r), 0);
	for (line = buf_cstr(&b); line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if ((size_t)((nl != NULL ? nl - 1 : line + strlen(line)) - line) > 76)
			fail_msg("line longer than 76: %s", buf_cstr(&b));
	}
	assert_non_null(strstr(buf_cstr(&b), "?=\r\n <joao.conceicao.infraestrutura@"));
	/* A short address still follows its name. */
	buf_reset(&b);
	buf_puts(&b, "To: ");
	assert_int_equal(mail_mailbox(&b, name, strlen(name), "j@contoso.com", 13, 4, &r), 0);
	assert_non_null(strstr(buf_cstr(&b), "?= <j@contoso.com>"));
	assert_null(strstr(buf_cstr(&b), "\r\n"));
	buf_free(&b);
}

static void
test_date(void **state)
{
	char	buf[40];

	(void)state;
	mail_date(0, buf, sizeof(buf));
	assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 +0000");
	mail_date(951782400, buf, sizeof(buf));
	assert_string_equal(buf, "Tue, 29 Feb 2000 00:00:00 +0000");
	mail_date(1795736185, buf, sizeof(buf));
	assert_string_equal(buf, "Thu, 26 Nov 2026 23:36:25 +0000");
	mail_date(2147483647, buf, sizeof(buf));
	assert_string_equal(buf, "Tue, 19 Jan 2038 03:14:07 +0000");
}

static void
test_from_and_message_id(void **state)
{
	struct result	r;
	char		name[256], addr[MAIL_ADDR_MAX], a[256], b[256];
	size_t		i;

	(void)state;
	result_clear(&r);
	assert_int_equal(mail_from_parse("\"FastTrack Bot\" <bot@fm.example>", name, sizeof(name),
	    addr, sizeof(addr), &r), 0);
	assert_string_equal(name, "FastTrack Bot");
	assert_string_equal(addr, "bot@fm.example");
	assert_int_equal(mail_from_parse("  bot@fm.example ", name, sizeof(name), addr, sizeof(addr), &r), 0);
	assert_string_equal(name, "");
	assert_string_equal(addr, "bot@fm.example");
	assert_int_equal(mail_from_parse("Bot <bot@fm.example", name, sizeof(name), addr, sizeof(addr), &r), -1);
	assert_int_equal(mail_from_parse("Bot <nobody>", name, sizeof(name), addr, sizeof(addr), &r), -1);
	/* The built-in default: a one-label host is a fine sender on a test machine. */
	assert_int_equal(mail_from_parse("ftsuccess <ftsuccess@localhost>", name, sizeof(name), addr,
	    sizeof(addr), &r), 0);
	assert_string_equal(addr, "ftsuccess@localhost");
	assert_int_equal(mail_from_parse("Bot <a b@localhost>", name, sizeof(name), addr, sizeof(addr), &r), -1);
	assert_int_equal(mail_from_parse("Bot <.a@localhost>", name, sizeof(name), addr, sizeof(addr), &r), -1);
	assert_int_equal(mail_from_parse("Bot <a@local_host>", name, sizeof(name), addr, sizeof(addr), &r), -1);
	assert_int_equal(mail_from_parse("Bot <a@-localhost>", name, sizeof(name), addr, sizeof(addr), &r), -1);
	assert_int_equal(mail_from_parse("Bot <@localhost>", name, sizeof(name), addr, sizeof(addr), &r), -1);
	assert_int_equal(mail_from_parse("Bot\r\n <b@x.example>", name, sizeof(name), addr, sizeof(addr), &r), -1);

	assert_int_equal(mail_message_id_new(42, "bot@fm.example", a, sizeof(a), &r), 0);
	assert_int_equal(mail_message_id_new(42, "bot@fm.example", b, sizeof(b), &r), 0);
	assert_int_equal(strlen(a), strlen("<ftsuccess.42.0123456789abcdef@fm.example>"));
	assert_memory_equal(a, "<ftsuccess.42.", 14);
	for (i = 14; i < 30; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_equal(a + 30, "@fm.example>");
	assert_string_not_equal(a, b);
	assert_int_equal(mail_message_id_new(1, "nodomain", a, sizeof(a), &r), -1);
}

/* ---- building whole messages ---- */

struct fixture {
	struct config		 cfg;
	struct mustache_set	*tpl;
};

static int
setup(void **state)
{
	struct fixture	*f;
	struct result	 r;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	config_defaults(&f->cfg);
	text_copy(f->cfg.smtp_from, sizeof(f->cfg.smtp_from), "FastTrack Bot <bot@fm.example>");
	text_copy(f->cfg.organizer_name, sizeof(f->cfg.organizer_name), "Fernanda M\xc3\xbcller");
	text_copy(f->cfg.organizer_email, sizeof(f->cfg.organizer_email), "fernanda@fm.example");
	text_copy(f->cfg.base_url, sizeof(f->cfg.base_url), "https://fts.example");
	result_clear(&r);
	/* As the drain opens them: in every language (English without a catalog). */
	if (mustache_set_open(&f->tpl, NOTIFIER_TEMPLATES "/mail", &r) == -1 ||
	    mustache_set_languages(f->tpl, i18n_languages, I18N_NLANG, i18n_translate, NULL,
	    &r) == -1)
		fail_msg("templates: %s", r.message);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	mustache_set_close(f->tpl);
	free(f);
	return 0;
}

/* The whole file at path (malloc'd); fails the test when it cannot be read. */
static char *
slurp(const char *path)
{
	struct result	 r;
	char		*data;

	result_clear(&r);
	if ((data = unit_file_read(path, NULL, &r)) == NULL)
		fail_msg("%s", r.message);
	return data;
}

static void
row_init(struct store_outbox_row *row, int64_t id, const char *kind, char *payload,
    const char *recipients)
{
	memset(row, 0, sizeof(*row));
	row->id = id;
	text_copy(row->kind, sizeof(row->kind), kind);
	row->payload = payload;
	row->recipients = strdup(recipients);
	row->created_at = 1795736185;
	text_copy(row->message_id, sizeof(row->message_id), "<ftsuccess.7.00112233aabbccdd@fm.example>");
}

/* Free what row_init gave the row. */
static void
row_done(struct store_outbox_row *row)
{
	free(row->payload);
	free(row->recipients);
}

/* What the drain does with a row: decode its payload once, then build the message from the struct. */
static int
build_row(const struct fixture *f, const struct store_outbox_row *row, struct mail *m,
    struct result *r)
{
	struct notice	 n;
	int		 rc;

	memset(m, 0, sizeof(*m));
	rc = notice_decode_row(row->kind, row->payload, &n, r) == -1 ||
	    mail_build(&f->cfg, f->tpl, row, &n, 1795736185, m, r) == -1 ? -1 : 0;
	notice_free(&n);
	return rc;
}

/* The bytes of a built row, as they go after DATA. */
static char *
render_row(struct fixture *f, struct store_outbox_row *row, struct mail *m)
{
	struct buf	 eml = { 0 };
	struct result	 r;

	result_clear(&r);
	if (build_row(f, row, m, &r) == -1)
		fail_msg("mail_build: %s", r.message);
	if (mail_message(m, &eml, &r) == -1)
		fail_msg("mail_message: %s", r.message);
	return buf_detach(&eml);
}

/* Free a rendered message, its mail and its row. */
static void
render_done(char *eml, struct mail *m, struct store_outbox_row *row)
{
	free(eml);
	mail_free(m);
	row_done(row);
}

/* The header block's value of name (folds kept), malloc'd, or NULL. */
static char *
header(const char *eml, const char *name)
{
	struct buf	 v = { 0 };
	const char	*p = eml, *e;
	size_t		 n = strlen(name);

	while (*p != '\0' && strncmp(p, "\r\n", 2) != 0) {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			if (*p == ' ')
				p++;
			for (;;) {
				e = strstr(p, "\r\n");
				buf_append(&v, p, (size_t)(e - p));
				if (e[2] != ' ')
					break;
				buf_puts(&v, "\r\n");
				p = e + 2;
			}
			buf_putc(&v, '\0');
			return buf_detach(&v);
		}
		p = e + 2;
	}
	return NULL;
}

static void
assert_lines_crlf(const char *eml)
{
	const char	*p, *line = eml;

	for (p = eml; *p != '\0'; p++) {
		if (*p == '\n') {
			assert_true(p > eml && p[-1] == '\r');
			/* RFC 5322 section 2.1.1: at most 998 characters plus CRLF. */
			assert_true((size_t)(p - line) <= 999);
			line = p + 1;
		}
	}
}

/* The decoded calendar of the part whose Content-Type line is ctype. */
static char *
calendar_after(const char *eml, const char *ctype)
{
	struct buf	 out = { 0 };
	const char	*p, *start, *end;

	p = strstr(eml, ctype);
	assert_non_null(p);
	start = strstr(p, "\r\n\r\n");
	assert_non_null(start);
	start += 4;
	end = strstr(start, "\r\n--");
	assert_non_null(end);
	assert_int_equal(unit_b64_decode(start, (size_t)(end - start), UNIT_B64_LOOSE, &out), 0);
	buf_putc(&out, '\0');
	return buf_detach(&out);
}

/* mail_message's quoted-printable: "=" and non-ASCII escaped, trailing space kept, lines <= 76. */
static void
test_message_qp(void **state)
{
	struct mail	 m;
	struct buf	 eml = { 0 }, text = { 0 };
	struct result	 r;
	const char	*p, *line, *end;
	size_t		 i;

	(void)state;
	memset(&m, 0, sizeof(m));
	buf_puts(&text, "a=b M\xc3\xbcller ");
	for (i = 0; i < 200; i++)
		buf_putc(&text, 'x');
	buf_puts(&text, " \r\nend\r\n");
	m.text = buf_detach(&text);
	m.html = strdup("<p>hi</p>\r\n");
	result_clear(&r);
	assert_int_equal(mail_message(&m, &eml, &r), 0);
	buf_putc(&eml, '\0');
	assert_non_null(strstr(eml.data, "Mime-Version: 1.0\r\n"));
	assert_non_null(strstr(eml.data, "a=3Db M=C3=BCller x"));
	assert_non_null(strstr(eml.data, "x=20\r\nend\r\n"));
	assert_null(strstr(eml.data, "text/calendar"));
	/* The headers may be longer (a boundary parameter); the QP body may not. */
	line = strstr(eml.data, "quoted-printable\r\n\r\n");
	assert_non_null(line);
	end = strstr(line, "\r\n--");
	assert_non_null(end);
	for (p = line; p < end; p++)
		if (*p == '\n') {
			assert_true(p - line <= 77);
			line = p + 1;
		}
	assert_lines_crlf(eml.data);
	buf_free(&eml);
	mail_free(&m);
}

/* How a header's value must look to expect_headers. */
enum header_match {
	HEADER_IS,
	HEADER_STARTS,
	HEADER_HOLDS,
	HEADER_ABSENT,
};

/* One header expectation; Subject is compared decoded (RFC 2047 checked on the way). */
struct header_want {
	const char		*name;
	enum header_match	 how;
	const char		*text;
};

/* Fails naming the header whose value does not match its row. */
static void
expect_headers(const char *eml, const struct header_want *w, size_t n)
{
	static const char *const how[] = {
		[HEADER_IS] = "is", [HEADER_STARTS] = "starts with",
		[HEADER_HOLDS] = "holds", [HEADER_ABSENT] = "is absent",
	};
	char	*v, *dec;
	size_t	 i;
	int	 ok;

	for (i = 0; i < n; i++, w++) {
		v = header(eml, w->name);
		if (v != NULL && strcasecmp(w->name, "Subject") == 0) {
			dec = decode_value(v, strlen("Subject: "));
			free(v);
			v = dec;
		}
		if (w->how == HEADER_ABSENT)
			ok = v == NULL;
		else if (v == NULL)
			ok = 0;
		else if (w->how == HEADER_IS)
			ok = strcmp(v, w->text) == 0;
		else if (w->how == HEADER_STARTS)
			ok = strncmp(v, w->text, strlen(w->text)) == 0;
		else
			ok = strstr(v, w->text) != NULL;
		if (!ok)
			fail_msg("%s: \"%s\", want it %s \"%s\"", w->name, v != NULL ? v : "(absent)",
			    how[w->how], w->text != NULL ? w->text : "");
		free(v);
	}
}

#define EXPECT_HEADERS(eml, w) expect_headers((eml), (w), sizeof(w) / sizeof((w)[0]))

static void
test_invite_shape(void **state)
{
	static const struct header_want headers[] = {
		{ .name = "Content-Type", .how = HEADER_STARTS, .text = "multipart/mixed; boundary=" },
		{ .name = "Date", .text = "Thu, 26 Nov 2026 23:36:25 +0000" },
		{ .name = "Message-ID", .text = "<ftsuccess.7.00112233aabbccdd@fm.example>" },
		{ .name = "From", .text = "FastTrack Bot <bot@fm.example>" },
		{ .name = "Mime-Version", .text = "1.0" },
		{ .name = "Cc", .how = HEADER_ABSENT },
		{ .name = "To", .how = HEADER_HOLDS, .text = "Ana Souza <ana@contoso.com>," },
		{ .name = "To", .how = HEADER_HOLDS, .text = "<joao.souza@contoso.com>" },
		{ .name = "Subject", .text = "Success Check-in \xe2\x80\x94 Contoso" },
	};
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml, *cal, *att;
	const char		*mixed, *alt, *plain, *html, *calp, *attach, *altend;

	row_init(&row, 7, "invite", slurp(NOTIFIER_PAYLOADS "/invite_sao_paulo.json"),
	    "[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"},"
	    "{\"name\":\"Souza, Jo\xc3\xa3o; TI: Infra\",\"email\":\"joao.souza@contoso.com\"}]");
	eml = render_row(f, &row, &m);
	assert_lines_crlf(eml);

	EXPECT_HEADERS(eml, headers);
	assert_int_equal(m.nrcpt, 2);
	assert_string_equal(m.rcpt[0], "ana@contoso.com");
	assert_string_equal(m.rcpt[1], "joao.souza@contoso.com");

	/* mixed { alternative { plain, html, calendar }, attachment }, in that order. */
	mixed = strstr(eml, "multipart/mixed");
	alt = strstr(eml, "Content-Type: multipart/alternative; boundary=");
	plain = strstr(eml, "Content-Type: text/plain; charset=UTF-8");
	html = strstr(eml, "Content-Type: text/html; charset=UTF-8");
	calp = strstr(eml, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8");
	attach = strstr(eml, "Content-Disposition: attachment; filename=\"invite.ics\"");
	assert_true(mixed != NULL && alt != NULL && plain != NULL && html != NULL &&
	    calp != NULL && attach != NULL);
	assert_true(mixed < alt && alt < plain && plain < html && html < calp && calp < attach);
	assert_non_null(strstr(eml, "Content-Type: application/ics; name=\"invite.ics\""));
	/* The alternative's closing boundary comes before the attachment. */
	altend = strstr(calp, "--\r\n");
	assert_true(altend != NULL && altend < attach);
	assert_null(strstr(calp + strlen("Content-Type: text/calendar"), "text/calendar"));	/* one inline calendar only */

	cal = calendar_after(eml, "Content-Type: text/calendar; method=REQUEST");
	assert_non_null(strstr(cal, "METHOD:REQUEST\r\n"));
	assert_non_null(strstr(cal, "UID:checkin-3-9f1c2a7e@ftsuccess\r\n"));
	att = calendar_after(eml, "Content-Type: application/ics");
	assert_string_equal(cal, att);
	assert_string_equal(m.method, "REQUEST");
	/* Text part: the view's values, quoted-printable. */
	assert_non_null(strstr(eml, "Content-Transfer-Encoding: quoted-printable"));
	/* Issue 12: the customer's mail has no link to the FM's login-protected page. */
	assert_null(strstr(eml, "https://fts.example/customers/7"));
	assert_null(strstr(cal, "URL:"));
	assert_null(strstr(m.text, "Customer page"));
	free(cal);
	free(att);
	render_done(eml, &m, &row);
}

static void
test_cancel_and_update(void **state)
{
	static const struct header_want cancelled[] = {
		{ .name = "Subject", .how = HEADER_STARTS, .text = "Cancelled: Success Check-in \xe2\x80\x94 " },
	};
	static const struct header_want updated[] = {
		{ .name = "Subject", .how = HEADER_STARTS, .text = "Updated: Success Check-in" },
	};
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml, *cal;

	row_init(&row, 8, "cancel", slurp(NOTIFIER_PAYLOADS "/cancel_berlin.json"),
	    "[{\"name\":\"Max\",\"email\":\"max@fabrikam.example\"}]");
	eml = render_row(f, &row, &m);
	assert_non_null(strstr(eml, "Content-Type: text/calendar; method=CANCEL; charset=UTF-8"));
	assert_null(strstr(eml, "method=REQUEST"));
	cal = calendar_after(eml, "Content-Type: text/calendar; method=CANCEL");
	assert_non_null(strstr(cal, "METHOD:CANCEL\r\n"));
	EXPECT_HEADERS(eml, cancelled);
	free(cal);
	free(eml);
	mail_free(&m);
	free(row.payload);

	/* A REQUEST with SEQUENCE > 0 (2 in this payload) is an update. */
	row.payload = slurp(NOTIFIER_PAYLOADS "/invite_berlin.json");
	text_copy(row.kind, sizeof(row.kind), "invite");
	eml = render_row(f, &row, &m);
	EXPECT_HEADERS(eml, updated);
	cal = calendar_after(eml, "Content-Type: text/calendar; method=REQUEST");
	assert_non_null(strstr(cal, "SEQUENCE:2\r\n"));
	free(cal);
	render_done(eml, &m, &row);
}

/*
 * One occurrence: a skip says "Skipped:" and a move "Moved:", each with the
 * occurrence's own day in words, in the subject and the text; the calendar
 * names it by RECURRENCE-ID.
 */
static void
test_skip_move_words(void **state)
{
	static const struct {
		const char	*payload, *kind, *method, *prefix, *day, *text, *html, *absent;
		const char	*cal[2];
	} cases[] = {
		{ .payload = NOTIFIER_PAYLOADS "/skip_berlin.json", .kind = "cancel",
		  .method = "CANCEL", .prefix = "Skipped: Success Check-in \xe2\x80\x94 ",
		  .day = ", Friday 3 April 2026",
		  .text = "on Friday 3 April 2026 will not\r\ntake place. The series continues",
		  .html = "on Friday 3 April 2026 will not take place.", .absent = "is cancelled",
		  .cal = { "RECURRENCE-ID;TZID=Europe/Berlin:20260403T100000\r\n",
		      "STATUS:CANCELLED\r\n" } },
		{ .payload = NOTIFIER_PAYLOADS "/move_berlin.json", .kind = "invite",
		  .method = "REQUEST", .prefix = "Moved: Success Check-in \xe2\x80\x94 ",
		  .day = ", Friday 17 April 2026",
		  .text = "on Friday 17 April 2026 moves to\r\n"
		      "Monday, 2026-04-20 at 15:30 (Berlin time).",
		  .html = "on Friday 17 April 2026 moves to Monday, 2026-04-20 at 15:30",
		  .absent = "has changed",
		  .cal = { "RECURRENCE-ID;TZID=Europe/Berlin:20260417T100000\r\n",
		      "DTSTART;TZID=Europe/Berlin:20260420T153000\r\n" } },
	};
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml, *v, *dec, *cal, part[64];
	size_t			 i, j, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		row_init(&row, 9, cases[i].kind, slurp(cases[i].payload),
		    "[{\"name\":\"Max\",\"email\":\"max@fabrikam.example\"}]");
		eml = render_row(f, &row, &m);
		v = header(eml, "Subject");
		dec = decode_value(v, 9);
		assert_memory_equal(dec, cases[i].prefix, strlen(cases[i].prefix));
		len = strlen(dec);
		assert_true(len > strlen(cases[i].day));
		assert_string_equal(dec + len - strlen(cases[i].day), cases[i].day);
		assert_non_null(strstr(m.text, cases[i].text));
		assert_null(strstr(m.text, cases[i].absent));
		assert_non_null(strstr(m.html, cases[i].html));
		snprintf(part, sizeof(part), "Content-Type: text/calendar; method=%s", cases[i].method);
		cal = calendar_after(eml, part);
		for (j = 0; j < 2; j++)
			assert_non_null(strstr(cal, cases[i].cal[j]));
		free(cal);
		free(dec);
		free(v);
		render_done(eml, &m, &row);
	}
}

/*
 * Issue 12, defect 3: the service mailbox organizes, the FM is
 * ATTENDEE;ROLE=CHAIR, in To: with the contacts and in Reply-To:, From:
 * stays the service address.  Defect 5: the update says what changed in
 * the customer's zone, the series' link is the LOCATION and the "Join"
 * line, and nothing internal or empty is shown.
 */
static void
test_chair_update(void **state)
{
	static const struct header_want headers[] = {
		{ .name = "From", .text = "FastTrack Bot <bot@fm.example>" },
		{ .name = "Reply-To", .text = "Fernanda Lima <fernanda.lima@fm.example>" },
		{ .name = "To", .how = HEADER_HOLDS, .text = "Fernanda Lima <fernanda.lima@fm.example>" },
		{ .name = "To", .how = HEADER_HOLDS, .text = "Ana Souza <ana@contoso.com>" },
		{ .name = "Cc", .how = HEADER_ABSENT },
		{ .name = "Subject", .text = "Updated: Success Check-in \xe2\x80\x94 Contoso" },
	};
	static const char *const text_has[] = {
		"has changed: moved from Wed 9 Dec 10:00 to Thu 10 Dec 11:00, S\xc3\xa3o Paulo time.",
		"Join:     https://teams.example/l/meetup-join/",
		"Fernanda Lima <fernanda.lima@fm.example>",
		"(S\xc3\xa3o Paulo time)",
	};
	/* Nothing internal, no key, no IANA name, no empty list or heading without blockers. */
	static const char *const never[] = { "America/Sao_Paulo", "Open blockers", "/customers/",
		"sharepoint", "<ul>\r\n</ul>" };
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml, *cal, *u;
	size_t			 i;

	text_copy(f->cfg.organizer_name, sizeof(f->cfg.organizer_name), "Success Check-ins");
	text_copy(f->cfg.organizer_email, sizeof(f->cfg.organizer_email), "checkins@fm.example");
	row_init(&row, 13, "invite", slurp(NOTIFIER_PAYLOADS "/update_chair_sao_paulo.json"),
	    "[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"},"
	    "{\"name\":\"Jo\xc3\xa3o Souza\",\"email\":\"joao.souza@contoso.com\"}]");
	eml = render_row(f, &row, &m);
	EXPECT_HEADERS(eml, headers);
	assert_int_equal(m.nrcpt, 3);
	assert_string_equal(m.rcpt[2], "fernanda.lima@fm.example");

	cal = calendar_after(eml, "Content-Type: text/calendar; method=REQUEST");
	assert_non_null(u = unit_unfolded(cal));
	assert_non_null(strstr(u, "ORGANIZER;CN=Success Check-ins:mailto:checkins@fm.example\r\n"));
	assert_non_null(strstr(u, "ATTENDEE;CN=Fernanda Lima;ROLE=CHAIR;PARTSTAT=NEEDS-ACTION;"
	    "RSVP=TRUE:mailto:fernanda.lima@fm.example\r\n"));
	assert_non_null(strstr(u, "ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
	    "mailto:ana@contoso.com\r\n"));
	assert_non_null(strstr(u,
	    "LOCATION:https://teams.example/l/meetup-join/19%3ameeting_contoso\r\n"));
	assert_non_null(strstr(u, "moved from Wed 9 Dec 10:00 to Thu 10 Dec 11:00\\, "
	    "S\xc3\xa3o Paulo time"));
	assert_null(strstr(u, "URL:"));
	assert_null(strstr(u, "/customers/7"));

	/* The text: what changed, the link to join, the FM's signature; nothing internal. */
	for (i = 0; i < sizeof(text_has) / sizeof(text_has[0]); i++)
		if (strstr(m.text, text_has[i]) == NULL)
			fail_msg("no \"%s\" in the text:\n%s", text_has[i], m.text);
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(m.text, never[i]) != NULL || strstr(m.html, never[i]) != NULL)
			fail_msg("\"%s\" in a body", never[i]);
	assert_non_null(strstr(m.html, "<a href=\"https://teams.example/l/meetup-join/"));
	free(u);
	free(cal);
	render_done(eml, &m, &row);
}

/*
 * A blocker names its service by its title, never by key, and carries no
 * taxonomy label: the customer reads "Microsoft Teams: Proxy blocks ...".
 */
static void
test_agenda_plain(void **state)
{
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml, *cal, *u;

	row_init(&row, 14, "invite", slurp(NOTIFIER_PAYLOADS "/invite_sao_paulo.json"),
	    "[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}]");
	eml = render_row(f, &row, &m);
	assert_non_null(strstr(m.text, "* Microsoft Teams: Proxy blocks Teams media (owner: Contoso IT)"));
	assert_non_null(strstr(m.html, "<li>Microsoft Teams: Proxy blocks Teams media (owner: Contoso IT)</li>"));
	cal = calendar_after(eml, "Content-Type: text/calendar; method=REQUEST");
	assert_non_null(u = unit_unfolded(cal));
	assert_non_null(strstr(u, "- Microsoft Teams: Proxy blocks Teams media (owner Contoso IT)"));
	assert_null(strstr(m.text, "Customer IT Infrastructure"));
	assert_null(strstr(m.html, "Customer IT Infrastructure"));
	assert_null(strstr(u, "Customer IT Infrastructure"));
	assert_null(strstr(u, "service teams"));
	assert_null(strstr(u, "ROLE=CHAIR"));	/* a payload without a chair has none */
	assert_null(header(eml, "Reply-To"));
	free(u);
	free(cal);
	render_done(eml, &m, &row);
}

/*
 * A customer whose mail is Portuguese (payload version 4) gets it all in
 * Portuguese: subject, body, dates, the calendar's text; the English
 * payload of the same series stays English.
 */
static void
test_portuguese_customer(void **state)
{
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	struct result		 r;
	json_object		*doc;
	char			*eml, *cal, *u, *payload, dir[1024];
	const char		*top = getenv("top_builddir");

	if (top == NULL)
		skip();
	snprintf(dir, sizeof(dir), "%s/po/locale", top);
	result_clear(&r);
	assert_int_equal(i18n_init(dir, &r), 0);
	payload = slurp(NOTIFIER_PAYLOADS "/invite_sao_paulo.json");
	doc = unit_json_edited(payload, "customer", "language", "\"pt-BR\"", &r);
	assert_non_null(doc);
	json_object_object_add(doc, "version", json_object_new_int(4));
	free(payload);
	row_init(&row, 15, "invite", strdup(json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PLAIN)), "[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}]");
	json_object_put(doc);
	eml = render_row(f, &row, &m);
	assert_non_null(strstr(m.subject, "Check-in de Sucesso \xe2\x80\x94 Contoso"));
	assert_non_null(strstr(m.text, "Voc\xc3\xaa" " est\xc3\xa1" " convidado para a s\xc3\xa9" "rie"));
	assert_non_null(strstr(m.text, "Quando:"));
	assert_non_null(strstr(m.text, "ter\xc3\xa7" "a-feira, 2026-12-01 \xc3\xa0" "s 10:00"));
	assert_non_null(strstr(m.text, "hor\xc3\xa1" "rio de S\xc3\xa3" "o Paulo"));
	assert_non_null(strstr(m.html, "<html lang=\"pt-BR\">"));
	assert_null(strstr(m.text, "You are invited"));
	assert_null(strstr(m.html, "You are invited"));
	cal = calendar_after(eml, "Content-Type: text/calendar; method=REQUEST");
	u = unit_unfolded(cal);
	assert_non_null(strstr(u, "Check-in de Sucesso com"));
	assert_null(strstr(u, "Success Check-in with"));
	free(u);
	free(cal);
	render_done(eml, &m, &row);
	/* The next English row is English again: the language is per message. */
	row_init(&row, 16, "invite", slurp(NOTIFIER_PAYLOADS "/invite_sao_paulo.json"),
	    "[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}]");
	eml = render_row(f, &row, &m);
	assert_non_null(strstr(m.text, "You are invited to the Success Check-in series"));
	assert_non_null(strstr(m.html, "<html lang=\"en\">"));
	render_done(eml, &m, &row);
}

static void
test_organizer_fallback(void **state)
{
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml, *cal;

	/* No organizer configured (a demo without a file): the sender organizes. */
	f->cfg.organizer_email[0] = '\0';
	f->cfg.organizer_name[0] = '\0';
	row_init(&row, 11, "invite", slurp(NOTIFIER_PAYLOADS "/invite_utc.json"),
	    "[{\"name\":\"Lee Chen\",\"email\":\"lee@northwind.example\"}]");
	eml = render_row(f, &row, &m);
	cal = calendar_after(eml, "Content-Type: text/calendar; method=REQUEST");
	assert_non_null(strstr(cal, "ORGANIZER;CN=FastTrack Bot:mailto:bot@fm.example\r\n"));
	free(cal);
	render_done(eml, &m, &row);
}

static const char handshake_payload[] =
    "{\"version\":1,\"customer\":{\"id\":7,\"name\":\"Contoso\","
    "\"tenant_domain\":\"contoso.onmicrosoft.com\",\"timezone\":\"America/Sao_Paulo\","
    "\"contacts\":[{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}]},"
    "\"csm\":{\"name\":\"Carla Mendes\",\"email\":\"carla@microsoft.example\"},"
    "\"services\":[{\"key\":\"teams\",\"title\":\"Microsoft Teams\",\"activated_on\":\"2026-11-01\","
    "\"au_percent\":4.5,\"target_percent\":10,\"custom_metric\":null,\"measured_on\":\"2026-11-20\","
    "\"ftop_id\":3731}],"
    "\"blockers\":[{\"id\":4,\"description\":\"Proxy <blocks> Teams & media\",\"owner\":\"Contoso IT\","
    "\"l2_reason\":\"customer_it_infrastructure\",\"l2_title\":\"Customer IT\",\"service\":\"teams\"}],"
    "\"next_action\":{\"text\":\"Send adoption kit\",\"on\":\"2026-12-03\",\"owner\":\"FM\"},"
    "\"url\":\"/customers/7\"}";

static void
test_handshake_shape(void **state)
{
	static const struct header_want headers[] = {
		{ .name = "To", .text = "Carla Mendes <carla@microsoft.example>" },
		{ .name = "Cc", .how = HEADER_HOLDS, .text = "<fernanda@fm.example>" },
		{ .name = "Subject", .text = "FastTrack handshake: Contoso \xe2\x80\x94 Microsoft Teams" },
	};
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	char			*eml;

	row_init(&row, 9, "handshake", strdup(handshake_payload),
	    "[{\"name\":\"Carla Mendes\",\"email\":\"carla@microsoft.example\"}]");
	eml = render_row(f, &row, &m);
	assert_lines_crlf(eml);
	EXPECT_HEADERS(eml, headers);
	assert_null(strstr(eml, "text/calendar"));
	assert_null(strstr(eml, "invite.ics"));
	assert_non_null(strstr(eml, "Content-Type: multipart/alternative"));
	assert_non_null(strstr(eml, "Content-Type: text/plain; charset=UTF-8"));
	assert_non_null(strstr(eml, "Content-Type: text/html; charset=UTF-8"));
	/* HTML escaped by the renderer, the text part verbatim. */
	assert_non_null(strstr(eml, "Proxy &lt;blocks&gt; Teams &amp; media"));
	assert_non_null(strstr(eml, "Proxy <blocks> Teams & media"));
	assert_non_null(strstr(eml, "4.5% active users (target 10%, measured 2026-11-20)"));
	assert_int_equal(m.nrcpt, 2);
	assert_string_equal(m.rcpt[1], "fernanda@fm.example");
	render_done(eml, &m, &row);
}

/*
 * Rows queued before the payload had "version" still build; a version this
 * notifier does not know, or a member missing, is never sendable
 * (RESULT_INVALID: the drain makes the row dead), the message naming the member.
 */
static void
test_payload_versions(void **state)
{
	static const struct { const char *from, *to, *field; } cases[] = {
		{ "{\"version\":1,", "{", NULL },
		{ "{\"version\":1,", "{\"version\":5,", "version" },
		{ "\"title\":\"Microsoft Teams\",", "", "services[0].title" },
		{ "\"csm\":{\"name\":\"Carla Mendes\",\"email\":\"carla@microsoft.example\"},", "",
		    "csm" },
	};
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	struct result		 r;
	struct buf		 p = { 0 };
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (unit_replaced(handshake_payload, cases[i].from, cases[i].to, &p) == -1)
			fail_msg("case %zu: \"%s\" is not in the payload", i, cases[i].from);
		row_init(&row, 12, "handshake", buf_detach(&p),
		    "[{\"name\":\"Carla Mendes\",\"email\":\"carla@microsoft.example\"}]");
		result_clear(&r);
		rc = build_row(f, &row, &m, &r);
		if (cases[i].field == NULL) {
			if (rc == -1)
				fail_msg("case %zu: %s", i, r.message);
			assert_string_equal(m.subject,
			    "FastTrack handshake: Contoso \xe2\x80\x94 Microsoft Teams");
			mail_free(&m);
		} else {
			if (rc != -1 || !unit_refused_naming(&r, cases[i].field))
				fail_msg("case %zu: want %s refused, got %d, field %s: %s", i,
				    cases[i].field, rc, r.field, r.message);
		}
		row_done(&row);
	}
	buf_free(&p);
}

static void
test_refuses_injection(void **state)
{
	struct fixture		*f = *state;
	struct store_outbox_row	 row;
	struct mail		 m;
	struct result		 r;
	size_t			 i;
	static const struct { const char *kind, *payload_from, *payload_to, *rcpts; } cases[] = {
		/* customer name with CR LF goes into Subject */
		{ "handshake", "\"name\":\"Contoso\"", "\"name\":\"Contoso\\r\\nBcc: evil@example.com\"",
		    "[{\"name\":\"Carla\",\"email\":\"carla@microsoft.example\"}]" },
		/* a lone LF */
		{ "handshake", "\"name\":\"Contoso\"", "\"name\":\"Contoso\\nX\"",
		    "[{\"name\":\"Carla\",\"email\":\"carla@microsoft.example\"}]" },
		/* NUL inside a JSON string */
		{ "handshake", "\"name\":\"Contoso\"", "\"name\":\"Cont\\u0000oso\"",
		    "[{\"name\":\"Carla\",\"email\":\"carla@microsoft.example\"}]" },
		/* recipient display name with LF */
		{ "handshake", NULL, NULL,
		    "[{\"name\":\"Carla\\nBcc: e@x.example\",\"email\":\"carla@microsoft.example\"}]" },
		/* recipient address with CR LF */
		{ "handshake", NULL, NULL,
		    "[{\"name\":\"Carla\",\"email\":\"carla@microsoft.example\\r\\nBcc: e@x.example\"}]" },
		/* service title with CR */
		{ "handshake", "\"title\":\"Microsoft Teams\"", "\"title\":\"Teams\\rX\"",
		    "[{\"name\":\"Carla\",\"email\":\"carla@microsoft.example\"}]" },
		/* not JSON, no recipients, unknown kind */
		{ "handshake", "{\"version\"", "{\"version\"\"", "[{\"email\":\"c@x.example\"}]" },
		{ "handshake", NULL, NULL, "[]" },
		{ "reminder", NULL, NULL, "[{\"email\":\"c@x.example\"}]" },
	};
	struct buf	 p = { 0 };

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (unit_replaced(handshake_payload, cases[i].payload_from, cases[i].payload_to, &p) == -1)
			fail_msg("case %zu: \"%s\" is not in the payload", i, cases[i].payload_from);
		row_init(&row, 10, cases[i].kind, buf_detach(&p), cases[i].rcpts);
		result_clear(&r);
		memset(&m, 0xa5, sizeof(m));
		if (build_row(f, &row, &m, &r) != -1)
			fail_msg("case %zu was built", i);
		if (r.code != RESULT_INVALID)
			fail_msg("case %zu: code %d (%s)", i, (int)r.code, r.message);
		assert_null(m.headers);		/* freed and zeroed on failure */
		row_done(&row);
	}
	buf_free(&p);
}

UNIT_MAIN("mail",
	cmocka_unit_test(test_mailbox_folds_before_address),
	cmocka_unit_test(test_unit_b64),
	cmocka_unit_test(test_header_ascii_passthrough),
	cmocka_unit_test(test_header_roundtrip),
	cmocka_unit_test(test_header_refuses_controls),
	cmocka_unit_test(test_mailbox),
	cmocka_unit_test(test_date),
	cmocka_unit_test(test_from_and_message_id),
	cmocka_unit_test(test_message_qp),
	UNIT_TEST_FIXTURE(test_invite_shape),
	UNIT_TEST_FIXTURE(test_cancel_and_update),
	UNIT_TEST_FIXTURE(test_handshake_shape),
	UNIT_TEST_FIXTURE(test_skip_move_words),
	UNIT_TEST_FIXTURE(test_organizer_fallback),
	UNIT_TEST_FIXTURE(test_chair_update),
	UNIT_TEST_FIXTURE(test_agenda_plain),
	UNIT_TEST_FIXTURE(test_portuguese_customer),
	UNIT_TEST_FIXTURE(test_payload_versions),
	UNIT_TEST_FIXTURE(test_refuses_injection),
)
