/*
 * form.h -- declared input (kcgi style).  Each form is one table of
 * struct form_field, indexed by an enum ending in __MAX:
 *
 *	enum { CHECKIN_HELD_ON, CHECKIN_SUMMARY, CHECKIN__MAX };
 *	static const struct form_field checkin_fields[CHECKIN__MAX] = {
 *		[CHECKIN_HELD_ON] = { .name = "held_on", .type = FORM_DATE, .required = 1 },
 *		[CHECKIN_SUMMARY] = { .name = "summary", .type = FORM_MULTILINE, .required = 1, .max = 4000 },
 *	};
 *	if (form_validate(&f, checkin_fields, CHECKIN__MAX, req) ...
 *	f.values[CHECKIN_HELD_ON].day ...
 *
 * (Name every member by designator, as above: a positional row hides which
 * number is the minimum and which the maximum, and trips
 * -Wmissing-field-initializers.)
 *
 * One entry point reads urlencoded/multipart fields or a JSON object, and
 * gives typed values, one error message per field and the raw input (to show
 * the form again).  A handler never reads a raw request string.
 */
#ifndef FTS_FORM_H
#define FTS_FORM_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "fields.h"
#include "http.h"
#include "result.h"

enum form_type {
	FORM_TEXT,	/* one line, no control characters, trimmed, something visible; min/max in characters */
	FORM_MULTILINE,	/* TAB/LF allowed, CRLF stored as LF, trimmed, something visible; min/max in characters */
	FORM_INT,	/* decimal integer (JSON: an integer number, never a string) in [min, max] */
	FORM_PERCENT,	/* 0.1 to 100, "33.3" in a form (JSON: a number, never a string): value.dec */
	FORM_EMAIL,	/* local@domain.tld, trimmed */
	FORM_DATE,	/* YYYY-MM-DD, a real calendar date: value.day */
	FORM_DATETIME,	/* YYYY-MM-DDTHH:MM (datetime-local): value.day, value.minute */
	FORM_TIMEZONE,	/* IANA zone known to this system ("Europe/Berlin") */
	FORM_KEY,	/* catalog key (service ...) accepted by check; [a-z0-9_-], <= 31 bytes */
	FORM_FTOP,	/* FTOP task id: positive integer accepted by check (when set) */
	FORM_ENUM,	/* one of allowed[] */
	FORM_BOOL,	/* checkbox: on/1/true/yes or off/0/false/no (JSON true/false); absent = 0 */
	FORM_FILE,	/* multipart file part (JSON: a string); max = bytes, text/len/filename */
	FORM__MAX
};

struct form_field {
	/*
	 * A text input of the one vocabulary (fields.h): its name, kind
	 * (FORM_TEXT for FIELD_LINE, FORM_MULTILINE for FIELD_LINES) and
	 * limits come from the spec, so leave name, type, min and max unset.
	 */
	const struct field_spec	*spec;
	const char		*name;
	enum form_type		 type;
	int			 required;	/* absent or empty is an error (BOOL: must be true) */
	long long		 min, max;	/* see the types; 0 and 0 = no bound */
	const char *const	*allowed;	/* FORM_ENUM: the values, NULL-terminated */
	/* FORM_KEY, FORM_FTOP: 1 when text (num for FTOP) names a known item. */
	int			(*check)(const char *text, long long num);
	int			 multiple;	/* repeated field / JSON array: value.items */
	/* What a person reads for a row without a spec ("Check-in cadence"); a spec's label wins. */
	const char		*label;
	/*
	 * A rule's own check of a value the form found valid (the tenant
	 * domain's shape): 0, or -1 with r whose message becomes the field's
	 * error, so the form reports it with every other field's in one pass.
	 */
	int			(*rule)(const char *text, struct result *r);
};

struct form_value {
	int		 present;	/* a non-empty value was given (BOOL: set when valid) */
	char		*text;		/* checked value as text, "" when absent */
	size_t		 len;		/* bytes of text (a file may hold NULs) */
	long long	 num;		/* INT, FTOP, BOOL (0/1) */
	double		 dec;		/* PERCENT */
	int32_t		 day;		/* DATE, DATETIME: days since 1970-01-01 */
	int		 minute;	/* DATETIME: minutes after midnight */
	char		*filename;	/* FILE: base name sent, NULL otherwise */
	char		**items;	/* multiple: the checked items (text form) */
	size_t		 nitems;
	char		*raw;		/* input as given, to show again ("" when absent) */
	char		 error[160];	/* "" when valid; English, as the JSON API says it */
	char		 error_text[160]; /* the same in the reader's language, for pages */
};

struct form {
	const struct form_field	*fields;	/* the table, every spec resolved: own */
	struct form_field	*own;		/* form_start's copy, freed by form_free */
	size_t			 nfields;
	struct form_value	*values;	/* nfields entries, indexed like fields */
	size_t			 nerrors;
};

/*
 * Validate a table against req: its JSON body when there is one, else its
 * body fields for POST/PUT/PATCH/DELETE, else its query.  Unknown names are
 * ignored.  Returns 0 when every field is valid, 1 when some are not
 * (see values[i].error), -1 when memory ran out.  Free f with form_free.
 */
int form_validate(struct form *f, const struct form_field *fields, size_t n,
    const struct http_request *req);
/* The same from urlencoded/multipart fields. */
int form_validate_fields(struct form *f, const struct form_field *fields, size_t n,
    const struct http_fields *in);
/*
 * The same from a JSON object.  JSON numbers must be JSON numbers: INT and
 * FTOP take an integer, PERCENT any number, BOOL true/false, every other type
 * a string; "2" for a number is refused ("Must be a whole number."), as is 2
 * for a string.  Arrays for multiple.
 */
int form_validate_json(struct form *f, const struct form_field *fields, size_t n,
    json_object *obj);
void form_free(struct form *f);

/* Record an error found later (e.g. a store rule) against field name; -1 when no such field. */
int form_error_set(struct form *f, const char *name, const char *message);
/* The same with the message in the reader's language too (a result's message and text). */
int form_error_set_text(struct form *f, const char *name, const char *message, const char *text);
/* The label people read for a field (its spec's, its row's, else its name), translated. */
const char *form_label(const struct form_field *fd);
/*
 * The error of field i as a person would write it, naming the field by its
 * label: "Customer name is required.", "Check-in cadence must be between 1
 * and 4.", "Measured on 2027-06-01 is in the future ..." (a rule's message
 * that opens with the field's key gets the label instead).  Written to out
 * (size bytes, cut on a character boundary); "" when the field is valid.
 */
void form_sentence(const struct form *f, size_t i, char *out, size_t size);
/* {"name": "message", ...} of the fields in error (new object, caller puts it). */
json_object *form_errors_json(const struct form *f);
/*
 * {"name": {"value": raw, "error": "...", "invalid": true, "checked": true,
 * "items": [...], "label": "..."}, ...} for templates: value and label
 * always, error (form_sentence) and invalid only when in error, checked for
 * BOOL, items for multiple (new object).
 */
json_object *form_view_json(const struct form *f);
#endif
