/* http.c -- request parsing (CGI parameters, query, bodies) and response building for ftsuccess.fcgi. */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "log.h"
#include "mustache.h"
#include "result.h"
#include "text.h"

/* The same headers on every response, errors included. */
#define HTTP_CSP	"default-src 'self'; script-src 'self'; style-src 'self'; " \
			"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; " \
			"base-uri 'none'"

static void
http_errf(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
http_errf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static char *
http_strdup_n(const char *s, size_t len)
{
	char	*p;

	p = malloc(len + 1);
	if (p == NULL)
		return NULL;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Copy an optional parameter; *dst stays NULL when absent.  -1 when out of memory. */
static int
http_copy_param(char **dst, const char *value)
{
	*dst = NULL;
	if (value == NULL)
		return 0;
	*dst = strdup(value);
	return *dst == NULL ? -1 : 0;
}

/* ---- fields ---- */

static int
http_fields_push(struct http_fields *f, char *name, char *value, size_t len,
    char *filename, char *type)
{
	struct http_field	*v;
	size_t			 cap;

	if (f->n == f->cap) {
		cap = f->cap == 0 ? 16 : f->cap * 2;
		v = realloc(f->v, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n].name = name;
	f->v[f->n].value = value;
	f->v[f->n].len = len;
	f->v[f->n].filename = filename;
	f->v[f->n].type = type;
	f->n++;
	return 0;
}

void
http_fields_free(struct http_fields *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
		free(f->v[i].filename);
		free(f->v[i].type);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

const struct http_field *
http_fields_get(const struct http_fields *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

const char *
http_query_get(const struct http_request *req, const char *name)
{
	const struct http_field	*f;

	f = http_fields_get(&req->query_fields, name);
	return f == NULL ? NULL : f->value;
}

/* 1 when s[0..len) is UTF-8 with no NUL: what every text value must be. */
static int
http_text_ok(const char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL && text_utf8_valid(s, len);
}

static int
http_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode one urlencoded component (WHATWG URL "application/x-www-form-urlencoded
 * parser": '+' is a space, %XX a byte).  A '%' not followed by two hex digits
 * is refused rather than kept, so a value never means two things.
 */
static char *
http_urldecode(const char *s, size_t len, int plus, size_t *outlen, char *err, size_t errsz)
{
	char	*out;
	size_t	 i, o = 0;
	int	 hi, lo;

	out = malloc(len + 1);
	if (out == NULL) {
		http_errf(err, errsz, "out of memory");
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '+' && plus)
			out[o++] = ' ';
		else if (s[i] == '%') {
			hi = i + 1 < len ? http_hexval((unsigned char)s[i + 1]) : -1;
			lo = i + 2 < len ? http_hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				http_errf(err, errsz, "bad percent-escape");
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

int
http_parse_urlencoded(const char *s, size_t len, struct http_fields *out,
    char *err, size_t errsz)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	char		*name, *value;
	size_t		 nlen, vlen, count = 0;
	char		 why[HTTP_ERR_SIZE];

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {		/* "a=1&&b=2": empty pairs are skipped */
			p++;
			continue;
		}
		if (++count > HTTP_MAX_FIELDS) {
			http_errf(err, errsz, "more than %d fields", HTTP_MAX_FIELDS);
			return -1;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		if (eq == p) {
			http_errf(err, errsz, "field %zu has an empty name", count);
			return -1;
		}
		name = http_urldecode(p, (size_t)(eq - p), 1, &nlen, why, sizeof(why));
		if (name == NULL) {
			http_errf(err, errsz, "field %zu: name: %s", count, why);
			return -1;
		}
		if (!http_text_ok(name, nlen)) {
			http_errf(err, errsz, "field %zu: name is not valid UTF-8 text", count);
			free(name);
			return -1;
		}
		value = eq < amp ?
		    http_urldecode(eq + 1, (size_t)(amp - eq - 1), 1, &vlen, why, sizeof(why)) :
		    http_urldecode("", 0, 1, &vlen, why, sizeof(why));
		if (value == NULL) {
			http_errf(err, errsz, "field '%.64s': %s", name, why);
			free(name);
			return -1;
		}
		if (!http_text_ok(value, vlen)) {
			http_errf(err, errsz, "field '%.64s': value is not valid UTF-8 text", name);
			free(name);
			free(value);
			return -1;
		}
		if (http_fields_push(out, name, value, vlen, NULL, NULL) == -1) {
			http_errf(err, errsz, "out of memory");
			free(name);
			free(value);
			return -1;
		}
		p = amp < end ? amp + 1 : end;
	}
	return 0;
}

/* ---- header parameters (Content-Type, Content-Disposition) ---- */

static int
http_is_tchar(int c)
{
	/* RFC 9110 section 5.6.2 token characters. */
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/*
 * Find parameter name in a header value "type; a=b; c=\"d\"" and copy its
 * value (quoted-string unescaped, RFC 9110 section 5.6.4) into out.
 * Returns 1 found, 0 absent, -1 malformed or too long.
 */
static int
http_header_param(const char *hv, const char *name, char *out, size_t outsz)
{
	const char	*p = strchr(hv, ';');
	size_t		 nlen = strlen(name), o;
	int		 match;

	while (p != NULL && *p == ';') {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *ns = p;
		while (http_is_tchar((unsigned char)*p))
			p++;
		match = (size_t)(p - ns) == nlen && strncasecmp(ns, name, nlen) == 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			return -1;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		o = 0;
		if (*p == '"') {
			p++;
			while (*p != '"') {
				if (*p == '\0')
					return -1;
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (match) {
					if (o + 1 >= outsz)
						return -1;
					out[o++] = *p;
				}
				p++;
			}
			p++;
		} else {
			const char *vs = p;
			while (http_is_tchar((unsigned char)*p))
				p++;
			if (p == vs)
				return -1;
			if (match) {
				if ((size_t)(p - vs) >= outsz)
					return -1;
				memcpy(out, vs, (size_t)(p - vs));
				o = (size_t)(p - vs);
			}
		}
		if (match) {
			out[o] = '\0';
			return 1;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ';' && *p != '\0')
			return -1;
	}
	return 0;
}

/* 1 when header value hv starts with media type (case-insensitive), then ';', space or end. */
static int
http_media_is(const char *hv, const char *type)
{
	size_t	 n = strlen(type);

	if (hv == NULL)
		return 0;
	while (*hv == ' ' || *hv == '\t')
		hv++;
	return strncasecmp(hv, type, n) == 0 &&
	    (hv[n] == '\0' || hv[n] == ';' || hv[n] == ' ' || hv[n] == '\t');
}

/* ---- multipart/form-data ---- */

static const char *
http_memmem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t	 i;

	if (nlen == 0 || hlen < nlen)
		return NULL;
	for (i = 0; i + nlen <= hlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

/* Parse one part's header block (CRLF-separated, no trailing blank line). */
static int
http_part_headers(const char *h, size_t len, char **name, char **filename, char **type,
    size_t partno, char *err, size_t errsz)
{
	char		 line[HTTP_MAX_PART_HEADER + 1], val[HTTP_MAX_PART_HEADER + 1];
	const char	*p = h, *end = h + len, *eol, *colon, *v, *base;
	size_t		 llen;
	int		 disposition = 0, rc;

	while (p < end) {
		eol = http_memmem(p, (size_t)(end - p), "\r\n", 2);
		if (eol == NULL)
			eol = end;
		llen = (size_t)(eol - p);
		memcpy(line, p, llen);
		line[llen] = '\0';
		p = eol < end ? eol + 2 : end;
		if (memchr(line, '\0', llen) != NULL || !text_utf8_valid(line, llen)) {
			http_errf(err, errsz, "part %zu: header is not valid UTF-8 text", partno);
			return -1;
		}
		colon = strchr(line, ':');
		if (colon == NULL || colon == line) {
			http_errf(err, errsz, "part %zu: malformed header line", partno);
			return -1;
		}
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if ((size_t)(colon - line) == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
			if (disposition++) {
				http_errf(err, errsz, "part %zu: two Content-Disposition headers", partno);
				return -1;
			}
			/* RFC 7578 section 4.2: "form-data" with a name parameter. */
			if (!http_media_is(v, "form-data")) {
				http_errf(err, errsz, "part %zu: Content-Disposition is not form-data", partno);
				return -1;
			}
			rc = http_header_param(v, "name", val, sizeof(val));
			if (rc != 1 || val[0] == '\0') {
				http_errf(err, errsz, "part %zu: Content-Disposition has no name", partno);
				return -1;
			}
			if ((*name = strdup(val)) == NULL)
				goto nomem;
			rc = http_header_param(v, "filename", val, sizeof(val));
			if (rc == -1) {
				http_errf(err, errsz, "part %zu: malformed filename", partno);
				return -1;
			}
			if (rc == 1) {
				/* Keep only the last path component (old browsers sent C:\dir\file). */
				base = val + strlen(val);
				while (base > val && base[-1] != '/' && base[-1] != '\\')
					base--;
				if ((*filename = strdup(base)) == NULL)
					goto nomem;
			}
		} else if ((size_t)(colon - line) == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
			free(*type);
			if ((*type = strdup(v)) == NULL)
				goto nomem;
		}
		/* Other part headers (RFC 7578 section 4.7 deprecates Content-Transfer-Encoding) are ignored. */
	}
	if (!disposition) {
		http_errf(err, errsz, "part %zu: no Content-Disposition header", partno);
		return -1;
	}
	return 0;
nomem:
	http_errf(err, errsz, "out of memory");
	return -1;
}

int
http_parse_multipart(const char *body, size_t len, const char *content_type,
    struct http_fields *out, char *err, size_t errsz)
{
	char		 boundary[71], delim[76];
	const char	*p, *end = body + len, *hend, *next;
	char		*name, *filename, *type, *value;
	size_t		 dlen, blen, partno = 0, vlen;
	int		 rc;

	if (content_type == NULL || !http_media_is(content_type, "multipart/form-data")) {
		http_errf(err, errsz, "not multipart/form-data");
		return -1;
	}
	rc = http_header_param(content_type, "boundary", boundary, sizeof(boundary));
	/* RFC 2046 section 5.1.1: 1 to 70 characters. */
	if (rc != 1 || (blen = strlen(boundary)) == 0) {
		http_errf(err, errsz, "multipart boundary missing, malformed or longer than 70 characters");
		return -1;
	}
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);

	/* The first delimiter may open the body (no preamble) or follow a preamble and CRLF. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else {
		p = http_memmem(body, len, delim, dlen);
		if (p == NULL) {
			http_errf(err, errsz, "multipart body has no boundary line");
			return -1;
		}
		p += dlen;
	}
	for (;;) {
		/* p is just after a delimiter: "--" closes, else padding and CRLF. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;	/* the epilogue is ignored (RFC 2046 section 5.1.1) */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			http_errf(err, errsz, "multipart boundary line not followed by CRLF");
			return -1;
		}
		p += 2;
		if (++partno > HTTP_MAX_PARTS) {
			http_errf(err, errsz, "more than %d multipart parts", HTTP_MAX_PARTS);
			return -1;
		}
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			hend = p;	/* no headers at all: refused below */
		else {
			size_t window = (size_t)(end - p);
			if (window > HTTP_MAX_PART_HEADER + 4)
				window = HTTP_MAX_PART_HEADER + 4;
			hend = http_memmem(p, window, "\r\n\r\n", 4);
			if (hend == NULL) {
				http_errf(err, errsz, "part %zu: header block unterminated or over %d bytes",
				    partno, HTTP_MAX_PART_HEADER);
				return -1;
			}
			if ((size_t)(hend - p) > HTTP_MAX_PART_HEADER) {
				http_errf(err, errsz, "part %zu: header block over %d bytes",
				    partno, HTTP_MAX_PART_HEADER);
				return -1;
			}
		}
		name = filename = type = NULL;
		if (http_part_headers(p, (size_t)(hend - p), &name, &filename, &type,
		    partno, err, errsz) == -1)
			goto fail;
		p = hend + (hend == p ? 2 : 4);
		next = http_memmem(p, (size_t)(end - p), delim, dlen);
		if (next == NULL) {
			http_errf(err, errsz, "part %zu: no closing boundary", partno);
			goto fail;
		}
		vlen = (size_t)(next - p);
		if (filename == NULL && !http_text_ok(p, vlen)) {
			http_errf(err, errsz, "field '%.64s': value is not valid UTF-8 text", name);
			goto fail;
		}
		if ((value = http_strdup_n(p, vlen)) == NULL) {
			http_errf(err, errsz, "out of memory");
			goto fail;
		}
		if (http_fields_push(out, name, value, vlen, filename, type) == -1) {
			free(value);
			http_errf(err, errsz, "out of memory");
			goto fail;
		}
		p = next + dlen;
	}
fail:
	free(name);
	free(filename);
	free(type);
	return -1;
}

/* ---- JSON ---- */

/* Every string and key must be NUL-free UTF-8 (json-c decodes \u0000 and lone surrogates). */
static int
http_json_check(json_object *o, char *err, size_t errsz)
{
	size_t	 i, n;

	switch (json_object_get_type(o)) {
	case json_type_string:
		if (!http_text_ok(json_object_get_string(o), (size_t)json_object_get_string_len(o))) {
			http_errf(err, errsz, "JSON string is not valid UTF-8 text");
			return -1;
		}
		return 0;
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (http_json_check(json_object_array_get_idx(o, i), err, errsz) == -1)
				return -1;
		return 0;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			if (!http_text_ok(key, strlen(key))) {
				http_errf(err, errsz, "JSON key is not valid UTF-8 text");
				return -1;
			}
			if (http_json_check(val, err, errsz) == -1)
				return -1;
		}
		return 0;
	}
	default:
		return 0;
	}
}

/*
 * json-c's strict mode still takes a few extensions (single-quoted names);
 * outside strings RFC 8259 allows only structure, white space, numbers and
 * the three literals, so anything else is refused here first, and so is the
 * escape of U+0000 (a C string cannot hold it).  Returns the
 * offset of the first offending byte, or len.
 */
/* Value of 4 hex digits at s, or -1. */
static long
http_hex4(const char *s)
{
	long	 v = 0;
	int	 k;

	for (k = 0; k < 4; k++) {
		v <<= 4;
		if (s[k] >= '0' && s[k] <= '9')
			v |= s[k] - '0';
		else if (s[k] >= 'a' && s[k] <= 'f')
			v |= s[k] - 'a' + 10;
		else if (s[k] >= 'A' && s[k] <= 'F')
			v |= s[k] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Member counts of every object of a JSON text, in the order the objects
 * open.  json-c keeps the last of two equal names without a word, so the
 * parsed object has fewer members than the text: comparing the two finds
 * duplicate names (RFC 8259 section 4: names SHOULD be unique; we require
 * it, as a form field given twice is refused).  *counts is malloc'd.
 */
static int
http_json_member_counts(const char *s, size_t len, size_t **counts, size_t *n)
{
	size_t	 stack[HTTP_JSON_DEPTH + 2], depth = 0, nobj = 0, i, cap = 0;
	int	 in_string = 0;
	size_t	*c = NULL, *t;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
			continue;
		}
		switch (s[i]) {
		case '"':
			in_string = 1;
			break;
		case '{':
		case '[':
			if (depth == sizeof(stack) / sizeof(stack[0]))
				goto fail;
			if (s[i] == '[') {
				stack[depth++] = (size_t)-1;
				break;
			}
			if (nobj == cap) {
				cap = cap ? cap * 2 : 16;
				if ((t = realloc(c, cap * sizeof(*c))) == NULL)
					goto fail;
				c = t;
			}
			c[nobj] = 0;
			stack[depth++] = nobj++;
			break;
		case '}':
		case ']':
			if (depth > 0)
				depth--;
			break;
		case ':':
			if (depth > 0 && stack[depth - 1] != (size_t)-1)
				c[stack[depth - 1]]++;
			break;
		default:
			break;
		}
	}
	*counts = c;
	*n = nobj;
	return 0;
fail:
	free(c);
	return -1;
}

/* Pre-order walk: -1 when an object has fewer members than its text named. */
static int
http_json_unique(json_object *o, const size_t *counts, size_t n, size_t *idx)
{
	size_t i, len;

	if (json_object_is_type(o, json_type_object)) {
		if (*idx >= n || counts[*idx] != (size_t)json_object_object_length(o))
			return -1;
		(*idx)++;
		json_object_object_foreach(o, key, val) {
			(void)key;
			if (http_json_unique(val, counts, n, idx) == -1)
				return -1;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		len = json_object_array_length(o);
		for (i = 0; i < len; i++)
			if (http_json_unique(json_object_array_get_idx(o, i), counts, n, idx) == -1)
				return -1;
	}
	return 0;
}

static size_t
http_json_scan(const char *s, size_t len)
{
	size_t	 i;
	int	 in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			/* json-c keeps names as C strings: "a\u0000b" would turn into "a". */
			if (s[i] == '\\' && len - i > 5 && memcmp(s + i + 1, "u0000", 5) == 0)
				return i;
			/*
			 * A lone UTF-16 surrogate is not a character (RFC 8259
			 * section 8.2); json-c would store U+FFFD in its place.
			 */
			if (s[i] == '\\' && len - i > 5 && s[i + 1] == 'u') {
				long	 u = http_hex4(s + i + 2), lo;

				if (u >= 0xdc00 && u <= 0xdfff)
					return i;
				if (u >= 0xd800 && u <= 0xdbff) {
					lo = len - i > 11 && s[i + 6] == '\\' && s[i + 7] == 'u' ?
					    http_hex4(s + i + 8) : -1;
					if (lo < 0xdc00 || lo > 0xdfff)
						return i;
					i += 6;
				}
				i += 5;
				continue;
			}
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
			continue;
		}
		if (s[i] == '"')
			in_string = 1;
		else if (strchr("{}[]:, \t\r\n0123456789+-.eEtruefalsn", s[i]) == NULL)
			return i;
	}
	return len;
}

int
http_parse_json(const char *body, size_t len, json_object **out, char *err, size_t errsz)
{
	struct json_tokener	*tok;
	json_object		*o;
	enum json_tokener_error	 jerr;
	size_t			 end, bad;

	*out = NULL;
	if (memchr(body, '\0', len) != NULL) {
		http_errf(err, errsz, "JSON body contains a NUL byte");
		return -1;
	}
	if (!text_utf8_valid(body, len)) {
		http_errf(err, errsz, "JSON body is not valid UTF-8");
		return -1;
	}
	/* Trailing white space is allowed by RFC 8259 section 2; strict mode would refuse it. */
	end = len;
	while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t' ||
	    body[end - 1] == '\r' || body[end - 1] == '\n'))
		end--;
	if (end == 0) {
		http_errf(err, errsz, "JSON body is empty");
		return -1;
	}
	if (end > (size_t)INT32_MAX) {
		http_errf(err, errsz, "JSON body too large");
		return -1;
	}
	if ((bad = http_json_scan(body, len)) != len) {
		http_errf(err, errsz, "JSON body: unexpected character at offset %zu", bad);
		return -1;
	}
	tok = json_tokener_new_ex(HTTP_JSON_DEPTH);
	if (tok == NULL) {
		http_errf(err, errsz, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)end);
	jerr = json_tokener_get_error(tok);
	if (o == NULL || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			http_errf(err, errsz, "JSON body ends early");
		else
			http_errf(err, errsz, "JSON body: %s at offset %zu",
			    json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		json_object_put(o);
		json_tokener_free(tok);
		return -1;
	}
	if (json_tokener_get_parse_end(tok) != end) {
		http_errf(err, errsz, "JSON body: unexpected data at offset %zu",
		    json_tokener_get_parse_end(tok));
		json_object_put(o);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object)) {
		http_errf(err, errsz, "JSON body must be an object");
		json_object_put(o);
		return -1;
	}
	if (http_json_check(o, err, errsz) == -1) {
		json_object_put(o);
		return -1;
	}
	{
		size_t	*counts = NULL, n = 0, idx = 0;
		int	 dup;

		if (http_json_member_counts(body, end, &counts, &n) == -1) {
			http_errf(err, errsz, "out of memory");
			json_object_put(o);
			return -1;
		}
		dup = http_json_unique(o, counts, n, &idx) == -1;
		free(counts);
		if (dup) {
			http_errf(err, errsz, "JSON body: a name appears twice in one object");
			json_object_put(o);
			return -1;
		}
	}
	*out = o;
	return 0;
}

/* ---- request ---- */

void
http_request_init(struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	req->content_length = -1;
}

void
http_request_free(struct http_request *req)
{
	free(req->method_name);
	free(req->base);
	free(req->path);
	free(req->query);
	free(req->content_type);
	free(req->accept);
	free(req->origin);
	free(req->sec_fetch_site);
	free(req->host);
	free(req->scheme);
	free(req->remote_user);
	free(req->remote_addr);
	http_fields_free(&req->query_fields);
	http_fields_free(&req->body_fields);
	json_object_put(req->json);
	free(req->body);
	http_request_init(req);
}

enum http_method
http_method_parse(const char *name)
{
	enum http_method	 m;

	if (name == NULL)
		return HTTP_METHOD_OTHER;
	for (m = 0; m < HTTP_METHOD_OTHER; m++)
		if (strcmp(name, http_method_name(m)) == 0)
			return m;
	return HTTP_METHOD_OTHER;
}

const char *
http_method_name(enum http_method m)
{
	static const char *const names[HTTP_METHOD__MAX] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"
	};

	return (unsigned)m < HTTP_METHOD__MAX ? names[m] : "OTHER";
}

int
http_method_unsafe(enum http_method m)
{
	return m == HTTP_METHOD_POST || m == HTTP_METHOD_PUT ||
	    m == HTTP_METHOD_PATCH || m == HTTP_METHOD_DELETE;
}

/* The value of an optional parameter, "" when absent. */
static const char *
http_get0(http_param_fn get, void *arg, const char *name)
{
	const char	*v = get(arg, name);

	return v == NULL ? "" : v;
}

int
http_request_from_params(struct http_request *req, http_param_fn get, void *arg,
    const char *base, char *err, size_t errsz)
{
	const char	*method, *script, *info, *uri, *q, *v;
	struct buf	 path;
	char		*decoded = NULL;
	size_t		 blen, dlen, plen;
	long long	 cl;

	buf_init(&path);
	method = get(arg, "REQUEST_METHOD");
	if (method == NULL || *method == '\0')
		method = "GET";		/* a script running us as CGI without a method */
	if (http_copy_param(&req->method_name, method) == -1)
		goto nomem;
	req->method = http_method_parse(method);

	script = http_get0(get, arg, "SCRIPT_NAME");
	info = http_get0(get, arg, "PATH_INFO");
	buf_puts(&path, script);
	buf_puts(&path, info);
	if (path.len == 0 && (uri = get(arg, "REQUEST_URI")) != NULL) {
		/* REQUEST_URI is still percent-encoded; the CGI variables are not. */
		q = strchr(uri, '?');
		decoded = http_urldecode(uri, q != NULL ? (size_t)(q - uri) : strlen(uri), 0,
		    &dlen, err, errsz);
		if (decoded == NULL) {
			http_errf(err, errsz, "request path has a bad percent-escape");
			buf_free(&path);
			return -1;
		}
		buf_append(&path, decoded, dlen);
		free(decoded);
	}
	if (path.failed)
		goto nomem;
	if (!http_text_ok(buf_cstr(&path), path.len)) {
		http_errf(err, errsz, "request path is not valid UTF-8 text");
		buf_free(&path);
		return -1;
	}

	/* Strip the mount point (the path of base_url) so routes see "/customers/1". */
	if (base == NULL)
		base = "";
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	plen = path.len;
	v = buf_cstr(&path);
	if (blen > 0 && plen >= blen && memcmp(v, base, blen) == 0 &&
	    (v[blen] == '/' || v[blen] == '\0'))
		v += blen;
	else
		blen = 0;
	req->base = http_strdup_n(base, blen);
	if (*v == '\0')
		v = "/";
	if (*v != '/') {
		http_errf(err, errsz, "request path does not start with '/'");
		buf_free(&path);
		return -1;
	}
	req->path = strdup(v);
	buf_free(&path);
	if (req->base == NULL || req->path == NULL)
		goto nomem;

	if (http_copy_param(&req->query, http_get0(get, arg, "QUERY_STRING")) == -1)
		goto nomem;
	if (http_parse_urlencoded(req->query, strlen(req->query), &req->query_fields,
	    err, errsz) == -1) {
		char	 why[HTTP_ERR_SIZE];

		text_copy(why, sizeof(why), err);
		http_errf(err, errsz, "query string: %s", why);
		return -1;
	}

	v = get(arg, "CONTENT_TYPE");
	if (v != NULL && *v != '\0' && http_copy_param(&req->content_type, v) == -1)
		goto nomem;
	v = get(arg, "CONTENT_LENGTH");
	if (v != NULL && *v != '\0') {
		if (text_int_parse(v, 0, (long long)INT64_MAX, &cl) == -1 || !isdigit((unsigned char)*v)) {
			http_errf(err, errsz, "Content-Length is not a number: %.32s", v);
			return -1;
		}
		req->content_length = cl;
	}
	if (http_copy_param(&req->accept, get(arg, "HTTP_ACCEPT")) == -1 ||
	    http_copy_param(&req->origin, get(arg, "HTTP_ORIGIN")) == -1 ||
	    http_copy_param(&req->sec_fetch_site, get(arg, "HTTP_SEC_FETCH_SITE")) == -1 ||
	    http_copy_param(&req->remote_addr, get(arg, "REMOTE_ADDR")) == -1)
		goto nomem;
	/* Identity only from the server's REMOTE_USER, never the HTTP_REMOTE_USER header. */
	v = get(arg, "REMOTE_USER");
	if (v != NULL && *v != '\0' && http_copy_param(&req->remote_user, v) == -1)
		goto nomem;

	v = get(arg, "HTTP_HOST");
	if (v != NULL && *v != '\0') {
		if (http_copy_param(&req->host, v) == -1)
			goto nomem;
	} else if ((v = get(arg, "SERVER_NAME")) != NULL && *v != '\0') {
		struct buf	 h;
		const char	*port = http_get0(get, arg, "SERVER_PORT");

		buf_init(&h);
		buf_puts(&h, v);
		if (*port != '\0' && strcmp(port, "80") != 0 && strcmp(port, "443") != 0)
			buf_printf(&h, ":%s", port);
		if (h.failed)
			goto nomem;
		req->host = buf_detach(&h);
	}
	v = get(arg, "HTTPS");
	q = get(arg, "REQUEST_SCHEME");
	if ((v != NULL && (strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)) ||
	    (q != NULL && strcasecmp(q, "https") == 0))
		req->scheme = strdup("https");
	else
		req->scheme = strdup("http");
	if (req->scheme == NULL)
		goto nomem;
	return 0;
nomem:
	buf_free(&path);
	http_errf(err, errsz, "out of memory");
	return -1;
}

int
http_request_read_body(struct http_request *req, http_read_fn rd, void *arg,
    size_t max, char *err, size_t errsz)
{
	struct buf	 b;
	char		 chunk[8192];
	size_t		 want;
	long		 n;

	if (req->content_length > 0 && (unsigned long long)req->content_length > max) {
		http_errf(err, errsz, "request body of %lld bytes is over the limit of %zu",
		    req->content_length, max);
		return 413;
	}
	if (rd == NULL || req->content_length == 0)
		return 0;

	buf_init(&b);
	for (;;) {
		want = sizeof(chunk);
		if (req->content_length >= 0 &&
		    (unsigned long long)req->content_length - b.len < want)
			want = (size_t)req->content_length - b.len;
		if (want == 0)
			break;
		n = rd(arg, chunk, want);
		if (n < 0) {
			http_errf(err, errsz, "reading the request body failed after %zu bytes", b.len);
			buf_free(&b);
			return 400;
		}
		if (n == 0)
			break;
		/* Enforced while reading too: a body without a length may be endless. */
		if (b.len + (size_t)n > max) {
			http_errf(err, errsz, "request body is over the limit of %zu bytes", max);
			buf_free(&b);
			return 413;
		}
		if (buf_append(&b, chunk, (size_t)n) == -1) {
			http_errf(err, errsz, "out of memory reading the request body");
			buf_free(&b);
			return 500;
		}
	}
	if (req->content_length >= 0 && b.len != (size_t)req->content_length) {
		http_errf(err, errsz, "request body ended after %zu of %lld bytes",
		    b.len, req->content_length);
		buf_free(&b);
		return 400;
	}
	req->body_len = b.len;
	req->body = b.len > 0 ? buf_detach(&b) : NULL;
	buf_free(&b);
	return 0;
}

int
http_request_parse_body(struct http_request *req, char *err, size_t errsz)
{
	const char	*ct = req->content_type;

	if (req->body == NULL || req->body_len == 0) {
		/* An empty JSON body is still malformed: the API always sends an object. */
		if (http_media_is(ct, "application/json") && http_method_unsafe(req->method)) {
			http_errf(err, errsz, "JSON body is empty");
			return 400;
		}
		return 0;
	}
	if (http_media_is(ct, "application/x-www-form-urlencoded")) {
		if (http_parse_urlencoded(req->body, req->body_len, &req->body_fields, err, errsz) == -1)
			return 400;
		return 0;
	}
	if (http_media_is(ct, "multipart/form-data")) {
		if (http_parse_multipart(req->body, req->body_len, ct, &req->body_fields, err, errsz) == -1)
			return 400;
		return 0;
	}
	if (http_media_is(ct, "application/json")) {
		if (http_parse_json(req->body, req->body_len, &req->json, err, errsz) == -1)
			return 400;
		return 0;
	}
	http_errf(err, errsz, "unsupported Content-Type: %.64s", ct == NULL ? "(none)" : ct);
	return 415;
}

/* ---- negotiation ---- */

/* q of media range (RFC 9110 section 12.5.1) in one Accept element, 1.0 when not given. */
static double
http_accept_q(const char *elem, size_t len)
{
	const char	*p = elem, *end = elem + len;
	double		 q = 1.0;
	char		 num[8];
	size_t		 n;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			for (n = 0; n + 1 < sizeof(num) && p < end && (isdigit((unsigned char)*p) || *p == '.'); p++)
				num[n++] = *p;
			num[n] = '\0';
			q = n > 0 ? strtod(num, NULL) : 0.0;
			if (q < 0 || q > 1)
				q = 0;
		}
	}
	return q;
}

int
http_wants_json(const struct http_request *req)
{
	const char	*p, *e, *end;
	double		 q, q_json = 0, q_html = -1, q_text = -1, q_any = -1;
	size_t		 tl;

	if (req->path != NULL && (strcmp(req->path, "/api") == 0 || strncmp(req->path, "/api/", 5) == 0))
		return 1;
	if (req->accept == NULL)
		return 0;
	p = req->accept;
	end = p + strlen(p);
	while (p < end) {
		e = memchr(p, ',', (size_t)(end - p));
		if (e == NULL)
			e = end;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		for (tl = 0; p + tl < e && p[tl] != ';' && p[tl] != ' ' && p[tl] != '\t'; tl++)
			;
		q = http_accept_q(p, (size_t)(e - p));
		if (tl == 16 && strncasecmp(p, "application/json", 16) == 0)
			q_json = q;
		else if (tl == 9 && strncasecmp(p, "text/html", 9) == 0)
			q_html = q;
		else if (tl == 6 && strncasecmp(p, "text/*", 6) == 0)
			q_text = q;
		else if (tl == 3 && strncmp(p, "*/*", 3) == 0)
			q_any = q;
		p = e + 1;
	}
	/* HTML's weight comes from its most specific range (RFC 9110 section 12.5.1). */
	if (q_html < 0)
		q_html = q_text >= 0 ? q_text : (q_any >= 0 ? q_any : 0);
	return q_json > 0 && q_json >= q_html;
}

const char *
http_status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* ---- response ---- */

void
http_response_init(struct http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->headers);
	buf_init(&resp->body);
}

void
http_response_free(struct http_response *resp)
{
	buf_free(&resp->headers);
	buf_free(&resp->body);
	http_response_init(resp);
}

void
http_response_reset(struct http_response *resp)
{
	buf_reset(&resp->headers);
	buf_reset(&resp->body);
	resp->headers.failed = resp->body.failed = 0;
	resp->status = 0;
	resp->content_type[0] = '\0';
	resp->cacheable = 0;
}

int
http_header_add(struct http_response *resp, const char *name, const char *value)
{
	const char	*p;

	if (*name == '\0')
		return -1;
	for (p = name; *p != '\0'; p++)
		if (!http_is_tchar((unsigned char)*p))
			return -1;
	if (!text_header_safe(value, strlen(value)))
		return -1;
	return buf_printf(&resp->headers, "%s: %s\r\n", name, value);
}

void
http_respond(struct http_response *resp, int status, const char *type,
    const void *body, size_t len)
{
	resp->status = status;
	text_copy(resp->content_type, sizeof(resp->content_type), type);
	buf_reset(&resp->body);
	if (len > 0)
		buf_append(&resp->body, body, len);
}

void
http_json(struct http_response *resp, int status, json_object *obj)
{
	const char	*s;
	size_t		 len;

	s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s == NULL) {
		http_respond(resp, 500, "application/json",
		    "{\"error\":\"out of memory\"}\n", 26);
		return;
	}
	http_respond(resp, status, "application/json", s, len);
	buf_putc(&resp->body, '\n');
}

void
http_json_error(struct http_response *resp, int status, const char *message,
    json_object *fields)
{
	json_object	*o;

	o = json_object_new_object();
	if (o == NULL) {
		http_respond(resp, 500, "application/json", "{\"error\":\"out of memory\"}\n", 26);
		return;
	}
	json_object_object_add(o, "error", json_object_new_string(message));
	if (fields != NULL)
		json_object_object_add(o, "fields", json_object_get(fields));
	http_json(resp, status, o);
	json_object_put(o);
}

/* Add key to view with a string value unless view already has it. */
static void
http_view_default(json_object *view, const char *key, const char *value)
{
	if (!json_object_object_get_ex(view, key, NULL))
		json_object_object_add(view, key, json_object_new_string(value));
}

static void
http_html_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s); break;
		}
	}
}

int
http_render(struct http_response *resp, const struct http_request *req,
    struct mustache_set *set, int status, const char *name, json_object *view)
{
	struct result	 r;
	struct buf	 out;

	if (http_wants_json(req)) {
		http_json(resp, status, view);
		return 0;
	}
	if (json_object_is_type(view, json_type_object)) {
		http_view_default(view, "user", req->user != NULL ? req->user : "");
		http_view_default(view, "csrf_token", req->csrf_token);
		http_view_default(view, "base", req->base != NULL ? req->base : "");
	}
	buf_init(&out);
	result_clear(&r);
	if (set == NULL || mustache_set_render(set, name, view, &out, &r) == -1 || out.failed) {
		buf_free(&out);
		http_response_reset(resp);
		/* The template set failed us: the error page must not depend on it. */
		http_error(resp, req, NULL, 500, "The page could not be rendered.");
		return -1;
	}
	resp->status = status;
	text_copy(resp->content_type, sizeof(resp->content_type), "text/html; charset=utf-8");
	buf_free(&resp->body);
	resp->body = out;
	return 0;
}

void
http_error(struct http_response *resp, const struct http_request *req,
    struct mustache_set *set, int status, const char *message)
{
	json_object	*view;
	struct result	 r;
	struct buf	 out;
	char		 code[8];

	if (http_wants_json(req)) {
		http_json_error(resp, status, message, NULL);
		return;
	}
	view = json_object_new_object();
	buf_init(&out);
	result_clear(&r);
	if (view != NULL && set != NULL) {
		json_object_object_add(view, "status", json_object_new_int(status));
		json_object_object_add(view, "title", json_object_new_string(http_status_reason(status)));
		json_object_object_add(view, "message", json_object_new_string(message));
		json_object_object_add(view, "base", json_object_new_string(req->base != NULL ? req->base : ""));
		json_object_object_add(view, "user", json_object_new_string(req->user != NULL ? req->user : ""));
		if (mustache_set_render(set, "error", view, &out, &r) == 0 && !out.failed) {
			resp->status = status;
			text_copy(resp->content_type, sizeof(resp->content_type), "text/html; charset=utf-8");
			buf_free(&resp->body);
			resp->body = out;
			json_object_put(view);
			return;
		}
	}
	json_object_put(view);
	buf_reset(&out);
	snprintf(code, sizeof(code), "%d", status);
	buf_puts(&out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	buf_puts(&out, code);
	buf_putc(&out, ' ');
	buf_puts(&out, http_status_reason(status));
	buf_puts(&out, "</title>\n</head>\n<body>\n<main>\n<h1>");
	buf_puts(&out, http_status_reason(status));
	buf_puts(&out, "</h1>\n<p>");
	http_html_escape(&out, message);
	buf_puts(&out, "</p>\n</main>\n</body>\n</html>\n");
	http_respond(resp, status, "text/html; charset=utf-8", buf_cstr(&out), out.len);
	buf_free(&out);
}

static void
http_location(struct http_response *resp, const struct http_request *req, const char *path)
{
	struct buf	 loc;

	buf_init(&loc);
	buf_puts(&loc, req->base != NULL ? req->base : "");
	buf_puts(&loc, path);
	if (loc.failed || http_header_add(resp, "Location", buf_cstr(&loc)) == -1)
		resp->status = 500;
	buf_free(&loc);
}

void
http_redirect(struct http_response *resp, const struct http_request *req, const char *path)
{
	http_respond(resp, 303, "text/plain; charset=utf-8", "", 0);
	http_location(resp, req, path);
}

void
http_created(struct http_response *resp, const struct http_request *req,
    const char *path, json_object *view)
{
	if (view != NULL)
		http_json(resp, 201, view);
	else
		http_respond(resp, 201, "application/json", "{}\n", 3);
	http_location(resp, req, path);
}

int
http_response_serialize(const struct http_request *req, const struct http_response *resp,
    struct buf *out)
{
	int	 status = resp->status;

	if (status < 100 || status > 599 || resp->headers.failed || resp->body.failed) {
		/* A handler forgot to answer, or memory ran out building the answer. */
		buf_printf(out, "Status: 500 %s\r\n", http_status_reason(500));
		buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n");
		buf_puts(out, "Content-Length: 22\r\n");
		status = 0;
	} else {
		buf_printf(out, "Status: %d %s\r\n", status, http_status_reason(status));
		if (resp->content_type[0] != '\0')
			buf_printf(out, "Content-Type: %s\r\n", resp->content_type);
		buf_printf(out, "Content-Length: %zu\r\n", resp->body.len);
	}
	buf_puts(out, "Content-Security-Policy: " HTTP_CSP "\r\n");
	buf_puts(out, "X-Content-Type-Options: nosniff\r\n");
	buf_puts(out, "Referrer-Policy: same-origin\r\n");
	buf_puts(out, "X-Frame-Options: DENY\r\n");
	if (!resp->cacheable || status == 0)
		buf_puts(out, "Cache-Control: no-store\r\n");
	if (status != 0)
		buf_append(out, buf_cstr(&resp->headers), resp->headers.len);
	buf_puts(out, "\r\n");
	if (req == NULL || req->method != HTTP_METHOD_HEAD) {
		if (status == 0)
			buf_puts(out, "Internal Server Error\n");
		else
			buf_append(out, buf_cstr(&resp->body), resp->body.len);
	}
	return out->failed ? -1 : 0;
}
