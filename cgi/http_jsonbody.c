/* http_jsonbody.c -- application/json request bodies: strict RFC 8259 objects of NUL-free UTF-8 text. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "result.h"
#include "text.h"

/* ---- JSON ---- */

/* Every string and key must be NUL-free UTF-8 (json-c decodes \u0000 and lone surrogates). */
static int
http_json_check(json_object *o, struct result *r)
{
	size_t	 i, n;

	switch (json_object_get_type(o)) {
	case json_type_string:
		if (!http_text_ok(json_object_get_string(o), (size_t)json_object_get_string_len(o))) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON string is not valid UTF-8 text");
			return -1;
		}
		return 0;
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (http_json_check(json_object_array_get_idx(o, i), r) == -1)
				return -1;
		return 0;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			if (!http_text_ok(key, strlen(key))) {
				result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON key is not valid UTF-8 text");
				return -1;
			}
			if (http_json_check(val, r) == -1)
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
	int	 k, d;

	for (k = 0; k < 4; k++) {
		if ((d = text_hex_value((unsigned char)s[k])) == -1)
			return -1;
		v = v << 4 | d;
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
			if ((t = buf_array_room(c, nobj, &cap, sizeof(*c), 16)) == NULL)
				goto fail;
			c = t;
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
http_parse_json(const char *body, size_t len, json_object **out, struct result *r)
{
	struct json_tokener	*tok;
	json_object		*o;
	enum json_tokener_error	 jerr;
	size_t			 end, bad;

	*out = NULL;
	if (memchr(body, '\0', len) != NULL) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body contains a NUL byte");
		return -1;
	}
	if (!text_utf8_valid(body, len)) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body is not valid UTF-8");
		return -1;
	}
	/* Trailing white space is allowed by RFC 8259 section 2; strict mode would refuse it. */
	end = len;
	while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t' ||
	    body[end - 1] == '\r' || body[end - 1] == '\n'))
		end--;
	if (end == 0) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body is empty");
		return -1;
	}
	if (end > (size_t)INT32_MAX) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body too large");
		return -1;
	}
	if ((bad = http_json_scan(body, len)) != len) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body: unexpected character at offset %zu", bad);
		return -1;
	}
	tok = json_tokener_new_ex(HTTP_JSON_DEPTH);
	if (tok == NULL) {
		result_set(r, RESULT_IO, NULL, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)end);
	jerr = json_tokener_get_error(tok);
	if (o == NULL || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body ends early");
		else
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body: %s at offset %zu",
			    json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		json_object_put(o);
		json_tokener_free(tok);
		return -1;
	}
	if (json_tokener_get_parse_end(tok) != end) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body: unexpected data at offset %zu",
		    json_tokener_get_parse_end(tok));
		json_object_put(o);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object)) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body must be an object");
		json_object_put(o);
		return -1;
	}
	if (http_json_check(o, r) == -1) {
		json_object_put(o);
		return -1;
	}
	{
		size_t	*counts = NULL, n = 0, idx = 0;
		int	 dup;

		if (http_json_member_counts(body, end, &counts, &n) == -1) {
			result_set(r, RESULT_IO, NULL, "out of memory");
			json_object_put(o);
			return -1;
		}
		dup = http_json_unique(o, counts, n, &idx) == -1;
		free(counts);
		if (dup) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body: a name appears twice in one object");
			json_object_put(o);
			return -1;
		}
	}
	*out = o;
	return 0;
}
