/* http_form.c -- urlencoded and multipart/form-data bodies (and query strings) decoded into checked fields. */
#include "autoconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "http.h"
#include "result.h"
#include "text.h"

char *
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

/* ---- fields ---- */

static int
http_fields_push(struct http_fields *f, char *name, char *value, size_t len,
    char *filename, char *type)
{
	struct http_field	*v;

	if ((v = buf_array_room(f->v, f->n, &f->cap, sizeof(*v), 16)) == NULL)
		return -1;
	f->v = v;
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

/* 1 when s[0..len) is UTF-8 with no NUL: what every text value must be. */
int
http_text_ok(const char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL && text_utf8_valid(s, len);
}

/*
 * Decode one urlencoded component (WHATWG URL "application/x-www-form-urlencoded
 * parser": '+' is a space, %XX a byte).  A '%' not followed by two hex digits
 * is refused rather than kept, so a value never means two things.
 */
char *
http_urldecode(const char *s, size_t len, int plus, size_t *outlen, struct result *r)
{
	char	*out;
	size_t	 i, o = 0;
	int	 hi, lo;

	out = malloc(len + 1);
	if (out == NULL) {
		result_set(r, RESULT_IO, NULL, "out of memory");
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '+' && plus)
			out[o++] = ' ';
		else if (s[i] == '%') {
			hi = i + 1 < len ? text_hex_value((unsigned char)s[i + 1]) : -1;
			lo = i + 2 < len ? text_hex_value((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "bad percent-escape");
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
    struct result *r)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	char		*name, *value;
	size_t		 nlen, vlen, count = 0;
	struct result	 why;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {		/* "a=1&&b=2": empty pairs are skipped */
			p++;
			continue;
		}
		if (++count > HTTP_MAX_FIELDS) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "more than %d fields", HTTP_MAX_FIELDS);
			return -1;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		if (eq == p) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "field %zu has an empty name", count);
			return -1;
		}
		name = http_urldecode(p, (size_t)(eq - p), 1, &nlen, &why);
		if (name == NULL) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "field %zu: name: %s", count, why.message);
			return -1;
		}
		if (!http_text_ok(name, nlen)) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "field %zu: name is not valid UTF-8 text", count);
			free(name);
			return -1;
		}
		value = eq < amp ?
		    http_urldecode(eq + 1, (size_t)(amp - eq - 1), 1, &vlen, &why) :
		    http_urldecode("", 0, 1, &vlen, &why);
		if (value == NULL) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "field '%.64s': %s", name, why.message);
			free(name);
			return -1;
		}
		if (!http_text_ok(value, vlen)) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "field '%.64s': value is not valid UTF-8 text", name);
			free(name);
			free(value);
			return -1;
		}
		if (http_fields_push(out, name, value, vlen, NULL, NULL) == -1) {
			result_set(r, RESULT_IO, NULL, "out of memory");
			free(name);
			free(value);
			return -1;
		}
		p = amp < end ? amp + 1 : end;
	}
	return 0;
}

/* ---- header parameters (Content-Type, Content-Disposition) ---- */

int
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
int
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
    size_t partno, struct result *r)
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
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: header is not valid UTF-8 text", partno);
			return -1;
		}
		colon = strchr(line, ':');
		if (colon == NULL || colon == line) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: malformed header line", partno);
			return -1;
		}
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if ((size_t)(colon - line) == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
			if (disposition++) {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: two Content-Disposition headers", partno);
				return -1;
			}
			/* RFC 7578 section 4.2: "form-data" with a name parameter. */
			if (!http_media_is(v, "form-data")) {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: Content-Disposition is not form-data", partno);
				return -1;
			}
			rc = http_header_param(v, "name", val, sizeof(val));
			if (rc != 1 || val[0] == '\0') {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: Content-Disposition has no name", partno);
				return -1;
			}
			if ((*name = strdup(val)) == NULL)
				goto nomem;
			rc = http_header_param(v, "filename", val, sizeof(val));
			if (rc == -1) {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: malformed filename", partno);
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
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: no Content-Disposition header", partno);
		return -1;
	}
	return 0;
nomem:
	result_set(r, RESULT_IO, NULL, "out of memory");
	return -1;
}

int
http_parse_multipart(const char *body, size_t len, const char *content_type,
    struct http_fields *out, struct result *r)
{
	char		 boundary[71], delim[76];
	const char	*p, *end = body + len, *hend, *next;
	char		*name, *filename, *type, *value;
	size_t		 dlen, blen, partno = 0, vlen;
	int		 rc;

	if (content_type == NULL || !http_media_is(content_type, "multipart/form-data")) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "not multipart/form-data");
		return -1;
	}
	rc = http_header_param(content_type, "boundary", boundary, sizeof(boundary));
	/* RFC 2046 section 5.1.1: 1 to 70 characters. */
	if (rc != 1 || (blen = strlen(boundary)) == 0) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "multipart boundary missing, malformed or longer than 70 characters");
		return -1;
	}
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);

	/* The first delimiter may open the body (no preamble) or follow a preamble and CRLF. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else {
		p = http_memmem(body, len, delim, dlen);
		if (p == NULL) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "multipart body has no boundary line");
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
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "multipart boundary line not followed by CRLF");
			return -1;
		}
		p += 2;
		if (++partno > HTTP_MAX_PARTS) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "more than %d multipart parts", HTTP_MAX_PARTS);
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
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: header block unterminated or over %d bytes",
				    partno, HTTP_MAX_PART_HEADER);
				return -1;
			}
			if ((size_t)(hend - p) > HTTP_MAX_PART_HEADER) {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: header block over %d bytes",
				    partno, HTTP_MAX_PART_HEADER);
				return -1;
			}
		}
		name = filename = type = NULL;
		if (http_part_headers(p, (size_t)(hend - p), &name, &filename, &type,
		    partno, r) == -1)
			goto fail;
		p = hend + (hend == p ? 2 : 4);
		next = http_memmem(p, (size_t)(end - p), delim, dlen);
		if (next == NULL) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "part %zu: no closing boundary", partno);
			goto fail;
		}
		vlen = (size_t)(next - p);
		if (filename == NULL && !http_text_ok(p, vlen)) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "field '%.64s': value is not valid UTF-8 text", name);
			goto fail;
		}
		if ((value = http_strdup_n(p, vlen)) == NULL) {
			result_set(r, RESULT_IO, NULL, "out of memory");
			goto fail;
		}
		if (http_fields_push(out, name, value, vlen, filename, type) == -1) {
			free(value);
			result_set(r, RESULT_IO, NULL, "out of memory");
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
