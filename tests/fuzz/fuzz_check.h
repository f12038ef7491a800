/* fuzz_check.h -- shared parts of the fuzz targets: the form pass the body parsers feed (fuzz_form.c) and the output invariants the mail and calendar targets assert (fuzz_check.c). */
#ifndef FTS_FUZZ_CHECK_H
#define FTS_FUZZ_CHECK_H

#include <stddef.h>

#include <json-c/json.h>

struct http_fields;

/*
 * Validate what a body parser produced (fields, or a JSON object when obj is
 * not NULL) against a form table holding every field type, as a handler
 * would, and render the errors and the typed values back to JSON.
 */
void fuzz_form(const struct http_fields *fields, json_object *obj);

/* Report "fuzz invariant broken: what" with (the start of) s on stderr and abort. */
void fuzz_fail(const char *what, const char *s, size_t len) __attribute__((noreturn));

/*
 * Abort (a crash libFuzzer reports) unless s is a header line as
 * mail_build() promises: CR only in the fold CRLF SP/HTAB, no bare LF, no
 * NUL, no physical line over 998 octets (RFC 5322 section 2.1.1), and a
 * field name followed by ':' before any fold.
 */
void fuzz_assert_header(const char *s, size_t len);

/*
 * Abort unless s is a calendar as ical_invite_build() promises: CRLF line
 * ends only, lines of at most 75 octets (RFC 5545 section 3.1) whose
 * continuations start with SP, no NUL, exactly one VEVENT, and every
 * unfolded content line a NAME (letters, digits, '-') followed by ':' or ';'.
 */
void fuzz_assert_calendar(const char *s, size_t len);

#endif
