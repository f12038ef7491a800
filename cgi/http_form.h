/*
 * http_form.h -- form data as checked fields: application/x-www-form-urlencoded
 * (bodies and query strings) and multipart/form-data (RFC 7578), every name
 * and text value valid UTF-8 without NUL; plus the byte-level helpers the
 * request parser (http.c) shares with it.  Errors are struct result:
 * RESULT_INVALID with field HTTP_FIELD_BODY (answer 400), RESULT_IO when
 * memory ran out.
 */
#ifndef FTS_HTTP_FORM_H
#define FTS_HTTP_FORM_H

#include <stddef.h>

struct result;

#define HTTP_MAX_FIELDS		1000	/* fields in a query string or urlencoded body */
#define HTTP_MAX_PARTS		64	/* parts in a multipart/form-data body */
#define HTTP_MAX_PART_HEADER	4096	/* bytes of one part's header block */

/* One name=value from a query string, urlencoded body or multipart part. */
struct http_field {
	char	*name;
	char	*value;		/* NUL-terminated; a file part may hold NULs: use len */
	size_t	 len;
	char	*filename;	/* multipart file part: the base name sent, else NULL */
	char	*type;		/* multipart part Content-Type, NULL when none */
};

struct http_fields {
	struct http_field	*v;
	size_t			 n;
	size_t			 cap;
};

/* application/x-www-form-urlencoded (also query strings) appended to out; 0 or -1 with r. */
int http_parse_urlencoded(const char *s, size_t len, struct http_fields *out,
    struct result *r);
/* multipart/form-data (RFC 7578) with the boundary from content_type; 0 or -1 with r. */
int http_parse_multipart(const char *body, size_t len, const char *content_type,
    struct http_fields *out, struct result *r);
/* Free the fields and zero f. */
void http_fields_free(struct http_fields *f);
/* First field called name, or NULL. */
const struct http_field *http_fields_get(const struct http_fields *f, const char *name);

/* 1 when s[0..len) is UTF-8 with no NUL: what every text value must be. */
int http_text_ok(const char *s, size_t len);
/* Copy of s[0..len) NUL-terminated (s may hold NULs), NULL when out of memory. */
char *http_strdup_n(const char *s, size_t len);
/*
 * Decode one percent-encoded component ('+' is a space when plus): a new
 * string, its length in *outlen; NULL with r on a bad escape or no memory.
 */
char *http_urldecode(const char *s, size_t len, int plus, size_t *outlen, struct result *r);
/* 1 for an RFC 9110 section 5.6.2 token character (header names, parameter names). */
int http_is_tchar(int c);
/* 1 when header value hv (may be NULL) starts with media type (case-insensitive), then ';', space or end. */
int http_media_is(const char *hv, const char *type);

#endif
