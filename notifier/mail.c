/* mail.c -- builds one outgoing message (headers, bodies, calendar) from an outbox row and writes its MIME bytes. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "buf.h"
#include "fileio.h"
#include "i18n.h"
#include "ical.h"
#include "mail.h"
#include "notice.h"
#include "text.h"

/* "=?UTF-8?B?" + "?=": the fixed part of every encoded-word we write. */
#define MAIL_WORD_OVERHEAD	12
/* Room for the smallest useful word: overhead plus one 4-byte character (8 base64 chars). */
#define MAIL_WORD_MIN		(MAIL_WORD_OVERHEAD + 8)
#define MAIL_HEADERS_MAX	8

static const char mail_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
mail_base64(struct buf *out, const unsigned char *s, size_t len)
{
	size_t		 i;
	unsigned long	 v;
	char		 q[4];

	for (i = 0; i + 2 < len; i += 3) {
		v = ((unsigned long)s[i] << 16) | ((unsigned long)s[i + 1] << 8) | s[i + 2];
		q[0] = mail_b64[(v >> 18) & 63];
		q[1] = mail_b64[(v >> 12) & 63];
		q[2] = mail_b64[(v >> 6) & 63];
		q[3] = mail_b64[v & 63];
		if (buf_append(out, q, 4) == -1)
			return -1;
	}
	if (i < len) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)s[i + 1] << 8;
		q[0] = mail_b64[(v >> 18) & 63];
		q[1] = mail_b64[(v >> 12) & 63];
		q[2] = i + 1 < len ? mail_b64[(v >> 6) & 63] : '=';
		q[3] = '=';
		if (buf_append(out, q, 4) == -1)
			return -1;
	}
	return 0;
}

/* Length of the UTF-8 sequence led by c (input already validated). */
static size_t
mail_utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	return 2;
}

/*
 * Encoding is needed for anything but printable ASCII, and for "=?" which
 * a reader would otherwise take for the start of an encoded-word (RFC 2047
 * section 6.1).
 */
static int
mail_needs_encoding(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 1;
		if (s[i] == '=' && i + 1 < len && s[i + 1] == '?')
			return 1;
	}
	return 0;
}

static int
mail_check_value(const char *what, const char *s, size_t len, struct result *r)
{
	if (!text_header_safe(s, len))
		return result_set(r, RESULT_INVALID, what,
		    "%s holds a CR, LF or NUL and cannot go into a mail header", what);
	if (!text_utf8_valid(s, len))
		return result_set(r, RESULT_INVALID, what, "%s is not valid UTF-8", what);
	return 0;
}

/*
 * B encoded-words (RFC 2047 section 4.1) over s.  Each word carries whole
 * UTF-8 characters only (section 5: "each encoded-word MUST represent an
 * integral number of characters"), at most 75 characters per word, and each
 * line at most 76 (section 2); whitespace between adjacent encoded-words is
 * ignored by readers (section 6.2), so folding between words keeps the text.
 */
static int
mail_encode_words(struct buf *out, const char *str, size_t len, size_t used)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, start, n, room, maxbytes;
	int			 first = 1;

	while (i < len) {
		if (first) {
			room = used < MAIL_LINE_MAX ? MAIL_LINE_MAX - used : 0;
			if (room > MAIL_WORD_MAX)
				room = MAIL_WORD_MAX;
			if (room < MAIL_WORD_MIN) {
				if (buf_puts(out, "\r\n ") == -1)
					return -1;
				room = MAIL_WORD_MAX;
			}
		} else {
			if (buf_puts(out, "\r\n ") == -1)
				return -1;
			room = MAIL_WORD_MAX;
		}
		first = 0;
		maxbytes = (room - MAIL_WORD_OVERHEAD) / 4 * 3;
		start = i;
		while (i < len) {
			n = mail_utf8_len(s[i]);
			if (i - start + n > maxbytes)
				break;
			i += n;
		}
		if (buf_puts(out, "=?UTF-8?B?") == -1 ||
		    mail_base64(out, s + start, i - start) == -1 ||
		    buf_puts(out, "?=") == -1)
			return -1;
	}
	return 0;
}

int
mail_header_text(struct buf *out, const char *text, size_t len, size_t used, struct result *r)
{
	if (mail_check_value("header value", text, len, r) == -1)
		return -1;
	if (!mail_needs_encoding(text, len)) {
		if (buf_append(out, text, len) == -1)
			return result_set(r, RESULT_IO, NULL, "out of memory encoding a header");
		return 0;
	}
	if (mail_encode_words(out, text, len, used) == -1)
		return result_set(r, RESULT_IO, NULL, "out of memory encoding a header");
	return 0;
}

/* RFC 5322 section 3.2.3 atext, plus the space between atoms of a phrase. */
static int
mail_phrase_char(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~ ", c) != NULL;
}

/*
 * An address we can write into a header and MAIL FROM/RCPT TO: what
 * text_email_valid() takes, or a dot-atom local part at a one-label host
 * ("ftsuccess@localhost", the default sender, which config.c accepts too).
 */
static int
mail_addr_ok(const char *addr)
{
	const char	*at, *p;

	if (text_email_valid(addr))
		return 1;
	at = strchr(addr, '@');
	if (at == NULL || at == addr || at[1] == '\0' || at[1] == '-' ||
	    at[strlen(at) - 1] == '-' || strlen(at + 1) > 63)
		return 0;
	for (p = addr; p < at; p++)
		if (!(mail_phrase_char((unsigned char)*p) && *p != ' ') &&
		    !(*p == '.' && p != addr && p[1] != '.' && p[1] != '@'))
			return 0;
	for (p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

int
mail_mailbox(struct buf *out, const char *name, size_t namelen, const char *email,
    size_t emaillen, size_t used, struct result *r)
{
	char	 addr[MAIL_ADDR_MAX];
	size_t	 i, start = out->len, col;
	int	 quote = 0;

	if (!text_header_safe(email, emaillen))
		return result_set(r, RESULT_INVALID, "email",
		    "address holds a CR, LF or NUL and cannot go into a mail header");
	if (emaillen >= sizeof(addr))
		return result_set(r, RESULT_INVALID, "email", "address of %zu bytes is too long", emaillen);
	memcpy(addr, email, emaillen);
	addr[emaillen] = '\0';
	if (!mail_addr_ok(addr))
		return result_set(r, RESULT_INVALID, "email", "not an e-mail address: %.64s", addr);
	if (namelen > 0) {
		if (mail_check_value("name", name, namelen, r) == -1)
			return -1;
		if (mail_needs_encoding(name, namelen)) {
			if (mail_encode_words(out, name, namelen, used) == -1)
				goto nomem;
		} else {
			for (i = 0; i < namelen; i++)
				if (!mail_phrase_char((unsigned char)name[i]))
					quote = 1;
			if (name[0] == ' ' || name[namelen - 1] == ' ')
				quote = 1;
			if (quote) {
				/* RFC 5322 section 3.2.4: quoted-string, with \ before " and \. */
				if (buf_putc(out, '"') == -1)
					goto nomem;
				for (i = 0; i < namelen; i++) {
					if ((name[i] == '"' || name[i] == '\\') &&
					    buf_putc(out, '\\') == -1)
						goto nomem;
					if (buf_putc(out, name[i]) == -1)
						goto nomem;
				}
				if (buf_putc(out, '"') == -1)
					goto nomem;
			} else if (buf_append(out, name, namelen) == -1)
				goto nomem;
		}
		/*
		 * RFC 2047 section 2 caps a line holding encoded-words at 76
		 * characters: fold before the address when it would not fit
		 * after the name (the column counts from the name's last fold).
		 */
		col = used + out->len - start;
		for (i = out->len; i > start; i--)
			if (out->data[i - 1] == '\n') {
				col = out->len - i;
				break;
			}
		if (buf_puts(out, col + 3 + emaillen > 76 ? "\r\n <" : " <") == -1 ||
		    buf_puts(out, addr) == -1 || buf_putc(out, '>') == -1)
			goto nomem;
	} else if (buf_puts(out, addr) == -1)
		goto nomem;
	return 0;
nomem:
	return result_set(r, RESULT_IO, NULL, "out of memory formatting an address");
}

void
mail_date(time_t t, char *buf, size_t size)
{
	/* Fixed English names: RFC 5322 section 3.3 does not follow the locale. */
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11) {
		snprintf(buf, size, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
mail_from_parse(const char *from, char *name, size_t namesz, char *addr, size_t addrsz,
    struct result *r)
{
	char		 tmp[MAIL_ADDR_MAX + 256];
	char		*lt, *gt, *n;
	size_t		 len;

	if (text_copy(tmp, sizeof(tmp), from) == -1)
		return result_set(r, RESULT_INVALID, "smtp_from", "smtp_from is too long");
	if (!text_header_safe(tmp, strlen(tmp)))
		return result_set(r, RESULT_INVALID, "smtp_from", "smtp_from holds a control character");
	text_trim(tmp);
	name[0] = '\0';
	lt = strchr(tmp, '<');
	if (lt != NULL) {
		gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0')
			return result_set(r, RESULT_INVALID, "smtp_from",
			    "smtp_from: expected \"Name <address>\": %.200s", from);
		*gt = '\0';
		*lt = '\0';
		n = text_trim(tmp);
		len = strlen(n);
		if (len >= 2 && n[0] == '"' && n[len - 1] == '"') {
			n[len - 1] = '\0';
			n++;
		}
		if (text_copy(name, namesz, n) == -1 || text_copy(addr, addrsz, text_trim(lt + 1)) == -1)
			return result_set(r, RESULT_INVALID, "smtp_from", "smtp_from is too long");
	} else if (text_copy(addr, addrsz, tmp) == -1)
		return result_set(r, RESULT_INVALID, "smtp_from", "smtp_from is too long");
	if (!mail_addr_ok(addr))
		return result_set(r, RESULT_INVALID, "smtp_from", "smtp_from: not an e-mail address: %.200s", addr);
	return 0;
}

int
mail_message_id_new(int64_t id, const char *from_addr, char *buf, size_t size, struct result *r)
{
	unsigned char	 rnd[8];
	const char	*at;
	int		 n;

	at = strrchr(from_addr, '@');
	if (at == NULL || at[1] == '\0')
		return result_set(r, RESULT_INVALID, "smtp_from", "no domain in sender %.200s", from_addr);
	if (fileio_random(rnd, sizeof(rnd)) == -1)
		return result_set(r, RESULT_IO, NULL, "getrandom for a Message-ID: %s", strerror(errno));
	n = snprintf(buf, size, "<ftsuccess.%lld.%02x%02x%02x%02x%02x%02x%02x%02x@%s>",
	    (long long)id, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], at + 1);
	if (n < 0 || (size_t)n >= size)
		return result_set(r, RESULT_INVALID, "smtp_from", "Message-ID too long for domain %.200s", at + 1);
	return 0;
}

int
mail_rcpt_drop(struct mail *m, const char *addr)
{
	size_t	i;

	for (i = 0; i < m->nrcpt; i++)
		if (strcasecmp(m->rcpt[i], addr) == 0) {
			free(m->rcpt[i]);
			memmove(&m->rcpt[i], &m->rcpt[i + 1], (m->nrcpt - i - 1) * sizeof(*m->rcpt));
			m->nrcpt--;
			return 1;
		}
	return 0;
}

void
mail_free(struct mail *m)
{
	buf_strings_free(m->rcpt, m->nrcpt);
	buf_strings_free(m->headers, m->nheaders);
	free(m->text);
	free(m->html);
	free(m->calendar);
	memset(m, 0, sizeof(*m));
}

/* ---- building from a row ---- */

static int
mail_add_header(struct mail *m, struct buf *line, struct result *r)
{
	char	**h;

	if (line->failed)
		return result_set(r, RESULT_IO, NULL, "out of memory building headers");
	h = realloc(m->headers, (m->nheaders + 1) * sizeof(*h));
	if (h == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory building headers");
	m->headers = h;
	m->headers[m->nheaders] = buf_detach(line);
	if (m->headers[m->nheaders] == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory building headers");
	m->nheaders++;
	return 0;
}

static int
mail_add_rcpt(struct mail *m, const char *email, size_t len, struct result *r)
{
	char	**p;
	size_t	  i;

	for (i = 0; i < m->nrcpt; i++)
		if (strlen(m->rcpt[i]) == len && strncasecmp(m->rcpt[i], email, len) == 0)
			return 0;
	p = realloc(m->rcpt, (m->nrcpt + 1) * sizeof(*p));
	if (p == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory listing recipients");
	m->rcpt = p;
	m->rcpt[m->nrcpt] = strndup(email, len);
	if (m->rcpt[m->nrcpt] == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory listing recipients");
	m->nrcpt++;
	return 0;
}

/*
 * "To: a, b" or "Cc: ...": one mailbox per line after the first (folded with
 * CRLF SP) so a long list stays within the line limit.  Each address also
 * becomes an envelope recipient.
 */
static int
mail_address_header(struct mail *m, const char *hname, const struct notice_person *list,
    size_t n, struct result *r)
{
	struct buf	 line = { 0 };
	const char	*name;
	size_t		 i, used;

	buf_printf(&line, "%s: ", hname);
	for (i = 0; i < n; i++) {
		name = list[i].name != NULL ? list[i].name : "";
		if (i > 0)
			buf_puts(&line, ",\r\n ");
		used = i == 0 ? strlen(hname) + 2 : 1;
		if (mail_mailbox(&line, name, strlen(name), list[i].email, strlen(list[i].email),
		    used, r) == -1 ||
		    mail_add_rcpt(m, list[i].email, strlen(list[i].email), r) == -1) {
			buf_free(&line);
			return -1;
		}
	}
	return mail_add_header(m, &line, r);
}

/* What the reader needs in one phrase: "7.5% active users (target 10%, measured ...)". */
static void
mail_au_text(const struct notice_service *s, char *text, size_t size)
{
	char	 a[32], t[32];

	notice_percent(s->has_target ? s->target_percent : 10.0, t, sizeof(t));
	i18n_separator(t, sizeof(t));
	if (s->custom_metric != NULL && s->custom_metric[0] != '\0')
		snprintf(text, size, _("custom success metric: %s"), s->custom_metric);
	else if (!s->has_au)
		snprintf(text, size, _("no usage measured yet (target %s%% active users)"), t);
	else if (s->measured_on != NULL) {
		notice_percent(s->au_percent, a, sizeof(a));
		i18n_separator(a, sizeof(a));
		snprintf(text, size, _("%s%% active users (target %s%%, measured %s)"), a, t,
		    s->measured_on);
	} else {
		notice_percent(s->au_percent, a, sizeof(a));
		i18n_separator(a, sizeof(a));
		snprintf(text, size, _("%s%% active users (target %s%%)"), a, t);
	}
}

/*
 * The view's agenda (the payload's own members, from notice_json()) gets
 * what Mustache cannot compute: each service's au_text and has_blockers
 * (Mustache has no "is this list empty" test).
 */
static int
mail_decorate_agenda(json_object *agenda, const struct notice_agenda *a)
{
	json_object	*services, *blockers, *s;
	char		 text[700];
	const char	*title;
	size_t		 i, j;

	if (!json_object_object_get_ex(agenda, "services", &services) ||
	    !json_object_object_get_ex(agenda, "blockers", &blockers) ||
	    json_object_object_add(agenda, "has_blockers",
	    json_object_new_boolean(a->n_blockers > 0)) != 0)
		return -1;
	/* A blocker names its service by the title people know, never by its key. */
	for (i = 0; i < a->n_blockers; i++) {
		for (j = 0, title = NULL; a->blockers[i].service != NULL && j < a->n_services; j++)
			if (a->services[j].key != NULL &&
			    strcmp(a->services[j].key, a->blockers[i].service) == 0)
				title = a->services[j].title;
		if ((s = json_object_array_get_idx(blockers, i)) == NULL ||
		    (title != NULL && json_object_object_add(s, "service_title",
		    json_object_new_string(title)) != 0))
			return -1;
	}
	for (i = 0; i < a->n_services; i++) {
		if ((s = json_object_array_get_idx(services, i)) == NULL)
			return -1;
		mail_au_text(&a->services[i], text, sizeof(text));
		if (json_object_object_add(s, "au_text", json_object_new_string(text)) != 0)
			return -1;
	}
	return 0;
}

/* The weekday of day (days since 1970-01-01, a Thursday), in full, in the mail's language. */
static const char *
mail_weekday(int32_t day)
{
	switch (((day % 7) + 7) % 7) {
	case 0: return C_("weekday, full", "Thursday");
	case 1: return C_("weekday, full", "Friday");
	case 2: return C_("weekday, full", "Saturday");
	case 3: return C_("weekday, full", "Sunday");
	case 4: return C_("weekday, full", "Monday");
	case 5: return C_("weekday, full", "Tuesday");
	default: return C_("weekday, full", "Wednesday");
	}
}

/* Month m (1..12) in full, in the mail's language. */
static const char *
mail_month(int m)
{
	switch (m) {
	case 1: return C_("month, full", "January");
	case 2: return C_("month, full", "February");
	case 3: return C_("month, full", "March");
	case 4: return C_("month, full", "April");
	case 5: return C_("month, full", "May");
	case 6: return C_("month, full", "June");
	case 7: return C_("month, full", "July");
	case 8: return C_("month, full", "August");
	case 9: return C_("month, full", "September");
	case 10: return C_("month, full", "October");
	case 11: return C_("month, full", "November");
	default: return C_("month, full", "December");
	}
}

/* "Tuesday, 2026-12-01 at 10:00 (São Paulo time)" from a wall clock in zone. */
static void
mail_when_at(const char *starts_at, const char *zone, char *buf, size_t size)
{
	int32_t		 day;
	int		 minute;
	char		 date[16], city[64];
	struct buf	 place = { 0 };

	if (text_local_datetime_parse(starts_at, &day, &minute) == -1) {
		snprintf(buf, size, "%s", starts_at);
		return;
	}
	text_date_format(day, date, sizeof(date));
	/* The customer reads the city, not the IANA key (issue 12). */
	ical_zone_city(zone, city, sizeof(city));
	ical_words_put(&place, ical_words_for(i18n_current())->zone_time, city, NULL);
	/* TRANSLATORS: weekday, ISO date, hour, minute, the zone ("Tuesday, 2026-12-01 at 10:00 (São Paulo time)"). */
	snprintf(buf, size, _("%1$s, %2$s at %3$02d:%4$02d (%5$s)"), mail_weekday(day), date,
	    minute / 60, minute % 60, place.failed ? zone : buf_cstr(&place));
	buf_free(&place);
}

/* The meeting's first start, as mail_when_at() says it. */
static void
mail_when(const struct notice_series *s, char *buf, size_t size)
{
	mail_when_at(s->starts_at, s->timezone, buf, size);
}

/* A day in words, "Wednesday 16 December 2026", from "YYYY-MM-DD" (as given when not one). */
static void
mail_day_words(const char *iso, char *buf, size_t size)
{
	int32_t	 day;
	int	 y, m, d;

	if (text_date_parse(iso, &day) == -1 || text_civil_from_days(day, &y, &m, &d) == -1) {
		snprintf(buf, size, "%s", iso);
		return;
	}
	/* TRANSLATORS: weekday, day, month, year, in full ("Wednesday 16 December 2026"). */
	snprintf(buf, size, _("%1$s %2$d %3$s %4$d"), mail_weekday(day), d, mail_month(m), y);
}

static int
mail_view_common(const struct config *cfg, json_object *view, const char *url,
    const char *subject, struct result *r)
{
	json_object	*org;
	char		 link[1024];

	if (url[0] == '/')
		snprintf(link, sizeof(link), "%s%s", cfg->base_url, url);
	else
		snprintf(link, sizeof(link), "%s/", cfg->base_url);
	org = json_object_new_object();
	if (org == NULL ||
	    json_object_object_add(org, "name", json_object_new_string(cfg->organizer_name)) != 0 ||
	    json_object_object_add(org, "email", json_object_new_string(cfg->organizer_email)) != 0 ||
	    json_object_object_add(view, "organizer", org) != 0 ||
	    json_object_object_add(view, "link", json_object_new_string(link)) != 0 ||
	    json_object_object_add(view, "subject", json_object_new_string(subject)) != 0)
		return result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
	return 0;
}

/* Render template `name` and turn its line ends into CRLF (RFC 5322 section 2.1). */
static int
mail_render(struct mustache_set *tpl, const char *name, json_object *view, char **out,
    struct result *r)
{
	struct buf	 raw = { 0 }, crlf = { 0 };
	size_t		 i;

	if (mustache_set_render(tpl, name, view, &raw, r) == -1) {
		buf_free(&raw);
		if (r->code == RESULT_INVALID)
			r->code = RESULT_IO;	/* a template problem is the operator's, not the row's */
		return -1;
	}
	for (i = 0; i < raw.len; i++) {
		if (raw.data[i] == '\n' && (i == 0 || raw.data[i - 1] != '\r'))
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, raw.data[i]);
	}
	buf_free(&raw);
	if (crlf.failed) {
		buf_free(&crlf);
		return result_set(r, RESULT_IO, NULL, "out of memory rendering %s", name);
	}
	*out = buf_detach(&crlf);
	if (*out == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory rendering %s", name);
	return 0;
}

static int
mail_calendar(const struct config *cfg, const struct notice_meeting *nm, time_t now,
    struct mail *m, struct result *r)
{
	struct ical_person	 org = { cfg->organizer_name, cfg->organizer_email };
	struct ical_invite	 inv;
	struct buf		 cal = { 0 };
	char			 name[256], addr[MAIL_ADDR_MAX];

	/*
	 * RFC 5546 section 3.2.2 requires an ORGANIZER.  Without organizer_email
	 * (a demo with no configuration file) the sender stands in, rather than
	 * every invite dying on a setting.
	 */
	if (cfg->organizer_email[0] == '\0') {
		if (mail_from_parse(cfg->smtp_from, name, sizeof(name), addr, sizeof(addr), r) == -1)
			return -1;
		org.email = addr;
		if (cfg->organizer_name[0] == '\0')
			org.name = name;
	}
	/*
	 * No base_url: the calendar reaches the customer, and the customer page
	 * needs the FM's login (no URL property, no link in the DESCRIPTION).
	 */
	if (ical_invite_from_notice(nm, &org, NULL, &inv, r) == -1 ||
	    ical_invite_build(&inv, (int64_t)now, &cal, r) == -1) {
		ical_invite_free(&inv);
		buf_free(&cal);
		return -1;
	}
	ical_invite_free(&inv);
	if (text_copy(m->method, sizeof(m->method), nm->method) == -1) {
		buf_free(&cal);
		return result_set(r, RESULT_INVALID, "method", "calendar method too long");
	}
	m->calendar = buf_detach(&cal);
	if (m->calendar == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory building the calendar");
	return 0;
}

/*
 * Subject, calendar and the view's extra members of an invite or cancel:
 * when, is_cancel, is_removed (a cancel for one attendee of a series that
 * goes on), is_update, every_week, the agenda's au_text and has_blockers;
 * for one occurrence is_skip or is_move, occurrence_text (its own day in
 * words) and for a move moved_when.
 */
static int
mail_meeting_view(const struct config *cfg, const struct notice *n, json_object *view,
    time_t now, struct mail *m, struct result *r)
{
	const struct notice_meeting	*nm = &n->meeting;
	const struct notice_occurrence	*occ = nm->occurrence;
	json_object			*agenda;
	struct buf			 change = { 0 };
	char				 when[160], day[64] = "", moved[160] = "";
	const char			*prefix;
	int				 cancel = n->kind == NOTICE_CANCEL, len, removed;

	/* A CANCEL for a series that goes on uninvites its recipient only (RFC 5546 3.2.5). */
	removed = cancel && occ == NULL && strcmp(nm->meeting.status, "CANCELLED") != 0;
	if (mail_calendar(cfg, nm, now, m, r) == -1)
		return -1;
	if (occ != NULL) {
		mail_day_words(occ->on, day, sizeof(day));
		if (occ->moved_to != NULL)
			mail_when_at(occ->moved_to, nm->meeting.timezone, moved, sizeof(moved));
	}
	prefix = occ != NULL ? (cancel ? _("Skipped: ") : _("Moved: ")) : removed ? _("Removed: ") :
	    cancel ? _("Cancelled: ") : nm->meeting.sequence > 0 ? _("Updated: ") : "";
	/* TRANSLATORS: a mail subject: prefix ("Updated: "), customer, ", day" of one occurrence. */
	len = snprintf(m->subject, sizeof(m->subject), _("%sSuccess Check-in \xe2\x80\x94 %s%s%s"),
	    prefix, nm->customer.name, occ != NULL ? ", " : "", day);
	/* Cut, the subject could end inside a UTF-8 sequence. */
	if (len < 0 || (size_t)len >= sizeof(m->subject))
		return result_set(r, RESULT_INVALID, "customer.name",
		    "subject longer than %zu bytes", sizeof(m->subject) - 1);
	mail_when(&nm->meeting, when, sizeof(when));
	if (ical_change_text(nm, ical_words_for(i18n_current()), &change) == -1) {
		buf_free(&change);
		return result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
	}
	if (json_object_object_add(view, "change_text",
	    json_object_new_string(change.len > 0 ? buf_cstr(&change) : "")) != 0 ||
	    json_object_object_add(view, "has_change", json_object_new_boolean(change.len > 0)) != 0 ||
	    json_object_object_add(view, "has_services",
	    json_object_new_boolean(nm->agenda.n_services > 0)) != 0) {
		buf_free(&change);
		return result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
	}
	buf_free(&change);
	if (json_object_object_add(view, "when", json_object_new_string(when)) != 0 ||
	    json_object_object_add(view, "is_cancel", json_object_new_boolean(cancel)) != 0 ||
	    json_object_object_add(view, "is_removed", json_object_new_boolean(removed)) != 0 ||
	    json_object_object_add(view, "is_update",
	    json_object_new_boolean(!cancel && nm->meeting.sequence > 0)) != 0 ||
	    json_object_object_add(view, "is_skip",
	    json_object_new_boolean(occ != NULL && cancel)) != 0 ||
	    json_object_object_add(view, "is_move",
	    json_object_new_boolean(occ != NULL && !cancel)) != 0 ||
	    json_object_object_add(view, "occurrence_text", json_object_new_string(day)) != 0 ||
	    json_object_object_add(view, "moved_when", json_object_new_string(moved)) != 0 ||
	    json_object_object_add(view, "every_week",
	    json_object_new_boolean(nm->meeting.every_weeks <= 1)) != 0 ||
	    !json_object_object_get_ex(view, "agenda", &agenda) ||
	    mail_decorate_agenda(agenda, &nm->agenda) == -1)
		return result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
	return 0;
}

/* Subject and the view's extra members of a CSM handshake. */
static int
mail_handshake_view(const struct notice *n, json_object *view, struct mail *m,
    struct result *r)
{
	const struct notice_handshake	*h = &n->handshake;
	const char			*title = h->agenda.services[0].title;
	int				 len;

	if (mail_check_value("services[0].title", title, strlen(title), r) == -1)
		return -1;
	len = snprintf(m->subject, sizeof(m->subject), _("FastTrack handshake: %s \xe2\x80\x94 %s"),
	    h->customer.name, title);
	if (len < 0 || (size_t)len >= sizeof(m->subject))
		return result_set(r, RESULT_INVALID, "customer.name",
		    "subject longer than %zu bytes", sizeof(m->subject) - 1);
	if (mail_decorate_agenda(view, &h->agenda) == -1)
		return result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
	return 0;
}

/*
 * The To list of a meeting message: the row's recipients and, when the
 * payload has one, the chair (the FM gets every message of the series with
 * the contacts, docs/notifications.md), unless already listed.  *to grows
 * by one; the caller frees it with notice_people_free().
 */
static int
mail_add_chair(const struct notice_person *chair, struct notice_person **to, size_t *nto,
    struct result *r)
{
	struct notice_person	*p;
	size_t			 i;

	for (i = 0; i < *nto; i++)
		if (strcasecmp((*to)[i].email, chair->email) == 0)
			return 0;
	if ((p = realloc(*to, (*nto + 1) * sizeof(*p))) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory listing recipients");
	*to = p;
	p[*nto].name = chair->name != NULL ? strdup(chair->name) : NULL;
	p[*nto].email = strdup(chair->email);
	(*nto)++;
	if ((chair->name != NULL && p[*nto - 1].name == NULL) || p[*nto - 1].email == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory listing recipients");
	return 0;
}

/*
 * Date, From, To (the FM with the contacts of a meeting message; the FM in
 * Cc of a handshake), Reply-To (the FM, so a human reply reaches a human;
 * From stays the service address for DMARC), Subject, Message-ID (RFC 5322
 * section 3.6).
 */
static int
mail_headers(const struct config *cfg, const struct store_outbox_row *row,
    const struct notice *n, time_t now, struct mail *m, struct result *r)
{
	const struct notice_person *chair = n->kind != NOTICE_HANDSHAKE ? n->meeting.chair : NULL;
	enum notice_kind	 kind = n->kind;
	struct notice_person	*to = NULL;
	struct notice_person	 fm;
	struct buf		 line = { 0 };
	char			 fromname[256], date[40];
	char			 fmname[sizeof(cfg->organizer_name)];
	char			 fmemail[sizeof(cfg->organizer_email)];
	size_t			 nto = 0;
	int			 rc = -1;

	/* notice_person holds writable strings; the configuration is const. */
	memcpy(fmname, cfg->organizer_name, sizeof(fmname));
	memcpy(fmemail, cfg->organizer_email, sizeof(fmemail));
	fm.name = fmname;
	fm.email = fmemail;

	if (notice_recipients_decode(row->recipients, &to, &nto, r) == -1 ||
	    (chair != NULL && mail_add_chair(chair, &to, &nto, r) == -1))
		goto out;
	if (mail_from_parse(cfg->smtp_from, fromname, sizeof(fromname), m->envelope_from,
	    sizeof(m->envelope_from), r) == -1)
		goto out;
	mail_date(now, date, sizeof(date));
	buf_printf(&line, "Date: %s", date);
	if (mail_add_header(m, &line, r) == -1)
		goto out;
	buf_puts(&line, "From: ");
	if (mail_mailbox(&line, fromname, strlen(fromname), m->envelope_from,
	    strlen(m->envelope_from), 6, r) == -1 || mail_add_header(m, &line, r) == -1)
		goto out;
	if (mail_address_header(m, "To", to, nto, r) == -1)
		goto out;
	buf_puts(&line, "Reply-To: ");
	if (chair != NULL && (mail_mailbox(&line, chair->name != NULL ? chair->name : "",
	    chair->name != NULL ? strlen(chair->name) : 0, chair->email, strlen(chair->email), 10,
	    r) == -1 || mail_add_header(m, &line, r) == -1))
		goto out;
	buf_free(&line);
	/* The FM stays informed of every hand-over (docs/notifications.md). */
	if (kind == NOTICE_HANDSHAKE && cfg->organizer_email[0] != '\0' &&
	    mail_address_header(m, "Cc", &fm, 1, r) == -1)
		goto out;
	buf_puts(&line, "Subject: ");
	if (mail_header_text(&line, m->subject, strlen(m->subject), 9, r) == -1 ||
	    mail_add_header(m, &line, r) == -1)
		goto out;
	buf_printf(&line, "Message-ID: %s", row->message_id);
	if (mail_add_header(m, &line, r) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&line);
	notice_people_free(to, nto);
	return rc;
}

int
mail_build(const struct config *cfg, struct mustache_set *tpl,
    const struct store_outbox_row *row, const struct notice *n, time_t now, struct mail *m,
    struct result *r)
{
	json_object		*view = NULL;
	const struct notice_customer *c = n->kind == NOTICE_HANDSHAKE ?
	    &n->handshake.customer : &n->meeting.customer;
	const char		*url = n->kind == NOTICE_HANDSHAKE ? n->handshake.url :
	    n->meeting.url;
	int			 handshake = n->kind == NOTICE_HANDSHAKE;

	memset(m, 0, sizeof(*m));
	/* Everything the customer reads is in its language (the payload says which). */
	i18n_use(c->language != NULL ? c->language : "en");
	if (row->message_id[0] == '\0' || mail_needs_encoding(row->message_id, strlen(row->message_id))) {
		result_set(r, RESULT_INVALID, "message_id", "outbox %lld: no usable Message-ID",
		    (long long)row->id);
		goto fail;
	}
	if (c->name == NULL || c->name[0] == '\0') {
		result_set(r, RESULT_INVALID, "customer.name", "outbox %lld: payload has no customer.name",
		    (long long)row->id);
		goto fail;
	}
	if (mail_check_value("customer.name", c->name, strlen(c->name), r) == -1 ||
	    notice_json(n, &view, r) == -1)
		goto fail;
	if ((handshake ? mail_handshake_view(n, view, m, r) :
	    mail_meeting_view(cfg, n, view, now, m, r)) == -1 ||
	    mail_headers(cfg, row, n, now, m, r) == -1)
		goto fail;

	/* Bodies. */
	if (json_object_object_add(view, "lang", json_object_new_string(i18n_current())) != 0) {
		result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
		goto fail;
	}
	if (mail_view_common(cfg, view, url != NULL ? url : "", m->subject, r) == -1 ||
	    mail_render(tpl, handshake ? "handshake_text" : "invite_text", view, &m->text, r) == -1 ||
	    mail_render(tpl, handshake ? "handshake_html" : "invite_html", view, &m->html, r) == -1)
		goto fail;
	json_object_put(view);
	return 0;
fail:
	json_object_put(view);
	mail_free(m);
	return -1;
}

/* ---- the message bytes (RFC 5322 headers, RFC 2045/2046 MIME) ---- */

/* A part boundary: 24 dashes and 16 random hex digits, never in base64 or QP text. */
static int
mail_boundary(char *b, size_t size, struct result *r)
{
	unsigned char	 rnd[8];

	if (fileio_random(rnd, sizeof(rnd)) == -1)
		return result_set(r, RESULT_IO, NULL, "getrandom for a MIME boundary: %s", strerror(errno));
	snprintf(b, size, "------------------------%02x%02x%02x%02x%02x%02x%02x%02x",
	    rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	return 0;
}

/*
 * Quoted-printable (RFC 2045 section 6.7): CRLF kept as line ends, "=",
 * controls and non-ASCII as =XX, a space or tab before a line end encoded,
 * soft breaks ("=" CRLF) keep every line within 76 characters.
 */
static void
mail_qp(struct buf *out, const char *str, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i, col = 0, w;
	char			 enc[4];
	int			 eol;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			buf_puts(out, "\r\n");
			i++;
			col = 0;
			continue;
		}
		eol = i + 1 == len || (s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n');
		if (s[i] == '=' || s[i] > 0x7e || (s[i] < 0x20 && s[i] != '\t') ||
		    ((s[i] == ' ' || s[i] == '\t') && eol)) {
			enc[0] = '=';
			enc[1] = hex[s[i] >> 4];
			enc[2] = hex[s[i] & 15];
			w = 3;
		} else {
			enc[0] = (char)s[i];
			w = 1;
		}
		/* Room for a soft break "=" unless this is the line's last character. */
		if (col + w > (eol ? 76 : 75)) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_append(out, enc, w);
		col += w;
	}
}

/* Base64 (RFC 2045 section 6.8) in lines of 76 characters, each ending CRLF. */
static void
mail_base64_lines(struct buf *out, const char *data, size_t len)
{
	size_t	i, n;

	for (i = 0; i < len; i += 57) {
		n = len - i < 57 ? len - i : 57;
		(void)mail_base64(out, (const unsigned char *)data + i, n);
		buf_puts(out, "\r\n");
	}
}

/* One leaf part after its boundary line: its headers, a blank line, the encoded body. */
static void
mail_leaf(struct buf *out, const char *data, const char *type, int base64,
    const char *filename)
{
	if (filename != NULL)
		buf_printf(out, "Content-Disposition: attachment; filename=\"%s\"\r\n", filename);
	buf_printf(out, "Content-Type: %s\r\nContent-Transfer-Encoding: %s\r\n\r\n", type,
	    base64 ? "base64" : "quoted-printable");
	if (base64)
		mail_base64_lines(out, data, strlen(data));
	else {
		mail_qp(out, data, strlen(data));
		buf_puts(out, "\r\n");
	}
}

int
mail_message(const struct mail *m, struct buf *out, struct result *r)
{
	char	 mixed[48], alt[48], caltype[80];
	size_t	 i;

	if (mail_boundary(mixed, sizeof(mixed), r) == -1 ||
	    mail_boundary(alt, sizeof(alt), r) == -1)
		return -1;
	buf_printf(out, "Content-Type: multipart/mixed; boundary=%s\r\nMime-Version: 1.0\r\n", mixed);
	for (i = 0; i < m->nheaders; i++)
		buf_printf(out, "%s\r\n", m->headers[i]);
	/*
	 * RFC 2046 section 5.1: mixed { alternative { plain, html, calendar },
	 * invite.ics }, as Outlook sends an invite.  Text parts are
	 * quoted-printable (readable, 76-column lines); the calendar is base64 as
	 * Outlook sends it, so no relay rewraps its lines.
	 */
	buf_printf(out, "\r\n--%s\r\nContent-Type: multipart/alternative; boundary=%s\r\n\r\n",
	    mixed, alt);
	buf_printf(out, "--%s\r\n", alt);
	mail_leaf(out, m->text != NULL ? m->text : "", "text/plain; charset=UTF-8", 0, NULL);
	buf_printf(out, "\r\n--%s\r\n", alt);
	mail_leaf(out, m->html != NULL ? m->html : "", "text/html; charset=UTF-8", 0, NULL);
	if (m->calendar != NULL) {
		/* RFC 6047 section 2.4: the method parameter matches the calendar's METHOD. */
		snprintf(caltype, sizeof(caltype), "text/calendar; method=%s; charset=UTF-8", m->method);
		buf_printf(out, "\r\n--%s\r\n", alt);
		mail_leaf(out, m->calendar, caltype, 1, NULL);
	}
	buf_printf(out, "\r\n--%s--\r\n", alt);
	if (m->calendar != NULL) {
		buf_printf(out, "\r\n--%s\r\n", mixed);
		mail_leaf(out, m->calendar, "application/ics; name=\"invite.ics\"", 1, "invite.ics");
	}
	buf_printf(out, "\r\n--%s--\r\n", mixed);
	if (out->failed)
		return result_set(r, RESULT_IO, NULL, "out of memory writing the message");
	return 0;
}
