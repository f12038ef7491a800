/* mail.c -- builds one outgoing message (headers, bodies, calendar) from an outbox row and writes its MIME bytes. */
#include "autoconfig.h"

#include <sys/random.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "ical.h"
#include "mail.h"
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
	size_t	 i;
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
		if (buf_puts(out, " <") == -1 || buf_puts(out, addr) == -1 || buf_putc(out, '>') == -1)
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
	ssize_t		 got;
	int		 n;

	at = strrchr(from_addr, '@');
	if (at == NULL || at[1] == '\0')
		return result_set(r, RESULT_INVALID, "smtp_from", "no domain in sender %.200s", from_addr);
	do
		got = getrandom(rnd, sizeof(rnd), 0);
	while (got == -1 && errno == EINTR);
	if (got != (ssize_t)sizeof(rnd))
		return result_set(r, RESULT_IO, NULL, "getrandom for a Message-ID: %s",
		    got == -1 ? strerror(errno) : "short read");
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
	size_t	i;

	for (i = 0; i < m->nrcpt; i++)
		free(m->rcpt[i]);
	free(m->rcpt);
	for (i = 0; i < m->nheaders; i++)
		free(m->headers[i]);
	free(m->headers);
	free(m->text);
	free(m->html);
	free(m->calendar);
	memset(m, 0, sizeof(*m));
}

/* ---- building from a row ---- */

static const char *
mail_jstr(json_object *o, const char *key, size_t *len)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static json_object *
mail_jget(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

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
mail_address_header(struct mail *m, const char *hname, json_object *list, struct result *r)
{
	struct buf	 line = { 0 };
	json_object	*p;
	const char	*name, *email;
	size_t		 i, n, namelen, emaillen, used;

	n = json_object_array_length(list);
	buf_printf(&line, "%s: ", hname);
	for (i = 0; i < n; i++) {
		p = json_object_array_get_idx(list, i);
		email = mail_jstr(p, "email", &emaillen);
		name = mail_jstr(p, "name", &namelen);
		if (email == NULL) {
			buf_free(&line);
			return result_set(r, RESULT_INVALID, "recipients",
			    "recipient %zu has no email", i);
		}
		if (name == NULL)
			name = "";
		if (i > 0)
			buf_puts(&line, ",\r\n ");
		used = i == 0 ? strlen(hname) + 2 : 1;
		if (mail_mailbox(&line, name, namelen, email, emaillen, used, r) == -1 ||
		    mail_add_rcpt(m, email, emaillen, r) == -1) {
			buf_free(&line);
			return -1;
		}
	}
	return mail_add_header(m, &line, r);
}

/* Number as "7.5" or "10" (one decimal at most) for the mail bodies. */
static void
mail_percent(double v, char *buf, size_t size)
{
	size_t	len;

	snprintf(buf, size, "%.1f", v);
	len = strlen(buf);
	if (len > 2 && strcmp(buf + len - 2, ".0") == 0)
		buf[len - 2] = '\0';
}

/* Adds "au_text" to each service: what the reader needs in one phrase. */
static int
mail_decorate_services(json_object *services)
{
	json_object	*s, *au, *target;
	const char	*metric, *on;
	char		 a[32], t[32], text[700];
	size_t		 i, n;

	if (services == NULL || !json_object_is_type(services, json_type_array))
		return 0;
	n = json_object_array_length(services);
	for (i = 0; i < n; i++) {
		s = json_object_array_get_idx(services, i);
		if (!json_object_is_type(s, json_type_object))
			continue;
		metric = mail_jstr(s, "custom_metric", NULL);
		au = mail_jget(s, "au_percent");
		target = mail_jget(s, "target_percent");
		on = mail_jstr(s, "measured_on", NULL);
		mail_percent(target != NULL ? json_object_get_double(target) : 10.0, t, sizeof(t));
		if (metric != NULL && metric[0] != '\0')
			snprintf(text, sizeof(text), "custom success metric: %s", metric);
		else if (au == NULL || json_object_is_type(au, json_type_null))
			snprintf(text, sizeof(text), "no usage measured yet (target %s%% active users)", t);
		else {
			mail_percent(json_object_get_double(au), a, sizeof(a));
			snprintf(text, sizeof(text), "%s%% active users (target %s%%%s%s)", a, t,
			    on != NULL ? ", measured " : "", on != NULL ? on : "");
		}
		if (json_object_object_add(s, "au_text", json_object_new_string(text)) != 0)
			return -1;
	}
	return 0;
}

/* Services' au_text, and has_blockers (Mustache has no "is this list empty" test). */
static int
mail_decorate_agenda(json_object *agenda)
{
	json_object	*b;

	if (agenda == NULL || !json_object_is_type(agenda, json_type_object))
		return 0;
	b = mail_jget(agenda, "blockers");
	if (json_object_object_add(agenda, "has_blockers", json_object_new_boolean(b != NULL &&
	    json_object_is_type(b, json_type_array) && json_object_array_length(b) > 0)) != 0)
		return -1;
	return mail_decorate_services(mail_jget(agenda, "services"));
}

/* "Tuesday, 2026-12-01 at 10:00 (America/Sao_Paulo)" from the meeting's wall clock. */
static void
mail_when(json_object *meeting, char *buf, size_t size)
{
	static const char *const days[] = { "Thursday", "Friday", "Saturday", "Sunday",
	    "Monday", "Tuesday", "Wednesday" };
	const char	*starts, *tz;
	int32_t		 day;
	int		 minute;
	char		 date[16];

	starts = mail_jstr(meeting, "starts_at", NULL);
	tz = mail_jstr(meeting, "timezone", NULL);
	if (starts == NULL || text_local_datetime_parse(starts, &day, &minute) == -1) {
		snprintf(buf, size, "%s", starts != NULL ? starts : "");
		return;
	}
	text_date_format(day, date, sizeof(date));
	/* Day 0 (1970-01-01) was a Thursday. */
	snprintf(buf, size, "%s, %s at %02d:%02d (%s)", days[((day % 7) + 7) % 7], date,
	    minute / 60, minute % 60, tz != NULL ? tz : "UTC");
}

static int
mail_view_common(const struct config *cfg, json_object *view, const char *subject,
    struct result *r)
{
	json_object	*org;
	const char	*url;
	char		 link[1024];

	url = mail_jstr(view, "url", NULL);
	if (url != NULL && url[0] == '/')
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
mail_calendar(const struct config *cfg, json_object *payload, time_t now, struct mail *m,
    struct result *r)
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
	memset(&inv, 0, sizeof(inv));
	if (ical_invite_from_payload(payload, &org, cfg->base_url, &inv, r) == -1 ||
	    ical_invite_build(&inv, (int64_t)now, &cal, r) == -1) {
		ical_invite_free(&inv);
		buf_free(&cal);
		return -1;
	}
	if (text_copy(m->method, sizeof(m->method), inv.method) == -1) {
		ical_invite_free(&inv);
		buf_free(&cal);
		return result_set(r, RESULT_INVALID, "method", "calendar method too long");
	}
	ical_invite_free(&inv);
	m->calendar = buf_detach(&cal);
	if (m->calendar == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory building the calendar");
	return 0;
}

int
mail_build(const struct config *cfg, struct mustache_set *tpl,
    const struct store_outbox_row *row, time_t now, struct mail *m, struct result *r)
{
	json_object	*payload = NULL, *rcpts = NULL, *customer, *meeting, *cc, *p, *services;
	struct buf	 line = { 0 };
	char		 fromname[256], date[40], when[160];
	const char	*cname, *method, *title, *kind, *tpl_text, *tpl_html;
	size_t		 cnamelen;
	int		 seq, n = 0;

	memset(m, 0, sizeof(*m));
	kind = row->kind;
	payload = json_tokener_parse(row->payload != NULL ? row->payload : "");
	if (payload == NULL || !json_object_is_type(payload, json_type_object)) {
		result_set(r, RESULT_INVALID, "payload", "outbox %lld: payload is not a JSON object",
		    (long long)row->id);
		goto fail;
	}
	rcpts = json_tokener_parse(row->recipients != NULL ? row->recipients : "");
	if (rcpts == NULL || !json_object_is_type(rcpts, json_type_array) ||
	    json_object_array_length(rcpts) == 0) {
		result_set(r, RESULT_INVALID, "recipients",
		    "outbox %lld: recipients is not a non-empty JSON array", (long long)row->id);
		goto fail;
	}
	if (row->message_id[0] == '\0' || mail_needs_encoding(row->message_id, strlen(row->message_id))) {
		result_set(r, RESULT_INVALID, "message_id", "outbox %lld: no usable Message-ID",
		    (long long)row->id);
		goto fail;
	}
	customer = mail_jget(payload, "customer");
	cname = mail_jstr(customer, "name", &cnamelen);
	if (cname == NULL || cnamelen == 0) {
		result_set(r, RESULT_INVALID, "customer.name", "outbox %lld: payload has no customer.name",
		    (long long)row->id);
		goto fail;
	}
	if (mail_check_value("customer.name", cname, cnamelen, r) == -1)
		goto fail;

	/* Subject and calendar by kind. */
	if (strcmp(kind, "invite") == 0 || strcmp(kind, "cancel") == 0) {
		method = mail_jstr(payload, "method", NULL);
		if (method == NULL || strcmp(method, strcmp(kind, "invite") == 0 ? "REQUEST" : "CANCEL") != 0) {
			result_set(r, RESULT_INVALID, "method", "outbox %lld: kind %s with method %s",
			    (long long)row->id, kind, method != NULL ? method : "(none)");
			goto fail;
		}
		meeting = mail_jget(payload, "meeting");
		p = mail_jget(meeting, "sequence");
		seq = p != NULL ? json_object_get_int(p) : 0;
		/* The calendar borrows strings from payload: build it before the view is decorated. */
		if (mail_calendar(cfg, payload, now, m, r) == -1)
			goto fail;
		n = snprintf(m->subject, sizeof(m->subject), "%sSuccess Check-in \xe2\x80\x94 %s",
		    strcmp(kind, "cancel") == 0 ? "Cancelled: " : seq > 0 ? "Updated: " : "", cname);
		mail_when(meeting, when, sizeof(when));
		p = mail_jget(meeting, "every_weeks");
		if (json_object_object_add(payload, "when", json_object_new_string(when)) != 0 ||
		    json_object_object_add(payload, "is_cancel",
		    json_object_new_boolean(strcmp(kind, "cancel") == 0)) != 0 ||
		    json_object_object_add(payload, "is_update",
		    json_object_new_boolean(strcmp(kind, "invite") == 0 && seq > 0)) != 0 ||
		    json_object_object_add(payload, "every_week",
		    json_object_new_boolean(p == NULL || json_object_get_int(p) <= 1)) != 0 ||
		    mail_decorate_agenda(mail_jget(payload, "agenda")) == -1) {
			result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
			goto fail;
		}
		tpl_text = "invite_text";
		tpl_html = "invite_html";
	} else if (strcmp(kind, "handshake") == 0) {
		services = mail_jget(payload, "services");
		title = NULL;
		if (services != NULL && json_object_is_type(services, json_type_array) &&
		    json_object_array_length(services) > 0)
			title = mail_jstr(json_object_array_get_idx(services, 0), "title", NULL);
		if (title == NULL) {
			result_set(r, RESULT_INVALID, "services", "outbox %lld: handshake without a service title",
			    (long long)row->id);
			goto fail;
		}
		if (mail_check_value("services[0].title", title, strlen(title), r) == -1)
			goto fail;
		n = snprintf(m->subject, sizeof(m->subject),
		    "FastTrack handshake: %s \xe2\x80\x94 %s", cname, title);
		if (mail_decorate_services(services) == -1) {
			result_set(r, RESULT_IO, NULL, "out of memory building the mail view");
			goto fail;
		}
		tpl_text = "handshake_text";
		tpl_html = "handshake_html";
	} else {
		result_set(r, RESULT_INVALID, "kind", "outbox %lld: unknown kind %.16s", (long long)row->id, kind);
		goto fail;
	}

	/* Cut, the subject could end inside a UTF-8 sequence. */
	if (n < 0 || (size_t)n >= sizeof(m->subject)) {
		result_set(r, RESULT_INVALID, "customer.name", "outbox %lld: subject longer than %zu bytes",
		    (long long)row->id, sizeof(m->subject) - 1);
		goto fail;
	}

	/* Headers (RFC 5322 section 3.6); mail_message adds MIME-Version and the Content-Type. */
	if (mail_from_parse(cfg->smtp_from, fromname, sizeof(fromname), m->envelope_from,
	    sizeof(m->envelope_from), r) == -1)
		goto fail;
	mail_date(now, date, sizeof(date));
	buf_printf(&line, "Date: %s", date);
	if (mail_add_header(m, &line, r) == -1)
		goto fail;
	buf_puts(&line, "From: ");
	if (mail_mailbox(&line, fromname, strlen(fromname), m->envelope_from,
	    strlen(m->envelope_from), 6, r) == -1 || mail_add_header(m, &line, r) == -1)
		goto fail;
	if (mail_address_header(m, "To", rcpts, r) == -1)
		goto fail;
	if (strcmp(kind, "handshake") == 0 && cfg->organizer_email[0] != '\0') {
		/* The FM stays informed of every hand-over (docs/notifications.md). */
		cc = json_object_new_array();
		p = json_object_new_object();
		if (cc == NULL || p == NULL ||
		    json_object_object_add(p, "name", json_object_new_string(cfg->organizer_name)) != 0 ||
		    json_object_object_add(p, "email", json_object_new_string(cfg->organizer_email)) != 0 ||
		    json_object_array_add(cc, p) != 0) {
			json_object_put(cc);
			json_object_put(p);
			result_set(r, RESULT_IO, NULL, "out of memory building Cc");
			goto fail;
		}
		if (mail_address_header(m, "Cc", cc, r) == -1) {
			json_object_put(cc);
			goto fail;
		}
		json_object_put(cc);
	}
	buf_puts(&line, "Subject: ");
	if (mail_header_text(&line, m->subject, strlen(m->subject), 9, r) == -1 ||
	    mail_add_header(m, &line, r) == -1)
		goto fail;
	buf_printf(&line, "Message-ID: %s", row->message_id);
	if (mail_add_header(m, &line, r) == -1)
		goto fail;

	/* Bodies. */
	if (mail_view_common(cfg, payload, m->subject, r) == -1 ||
	    mail_render(tpl, tpl_text, payload, &m->text, r) == -1 ||
	    mail_render(tpl, tpl_html, payload, &m->html, r) == -1)
		goto fail;

	json_object_put(payload);
	json_object_put(rcpts);
	return 0;
fail:
	buf_free(&line);
	json_object_put(payload);
	json_object_put(rcpts);
	mail_free(m);
	return -1;
}

/* ---- the message bytes (RFC 5322 headers, RFC 2045/2046 MIME) ---- */

/* A part boundary: 24 dashes and 16 random hex digits, never in base64 or QP text. */
static int
mail_boundary(char *b, size_t size, struct result *r)
{
	unsigned char	 rnd[8];
	ssize_t		 got;

	do
		got = getrandom(rnd, sizeof(rnd), 0);
	while (got == -1 && errno == EINTR);
	if (got != (ssize_t)sizeof(rnd))
		return result_set(r, RESULT_IO, NULL, "getrandom for a MIME boundary: %s",
		    got == -1 ? strerror(errno) : "short read");
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
