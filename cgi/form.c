/* form.c -- declared form fields checked into typed values with one message per field. */
#include "autoconfig.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fields.h"
#include "form.h"
#include "i18n.h"
#include "text.h"

/* One input item before checking: text (from a field or JSON) and where it came from. */
struct form_in {
	const char	*s;
	size_t		 len;
	const char	*filename;	/* multipart file part */
	json_object	*json;		/* JSON source: the value (NULL for fields) */
};

static void
form_err(struct form_value *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
form_err(struct form_value *v, const char *fmt, ...)
{
	va_list	 ap, aq;

	if (v->error[0] != '\0')
		return;		/* the first problem is the one worth telling */
	va_start(ap, fmt);
	va_copy(aq, ap);
	vsnprintf(v->error, sizeof(v->error), fmt, ap);
	vsnprintf(v->error_text, sizeof(v->error_text), _(fmt), aq);
	va_end(aq);
	va_end(ap);
}

/*
 * A message from elsewhere (a rule) for v, in English and in the reader's
 * language.  One longer than the slot is cut on a character boundary: it is
 * for people, and stays valid UTF-8.
 */
static void
form_value_error(struct form_value *v, const char *message, const char *text)
{
	(void)text_copy(v->error, sizeof(v->error), message);
	(void)text_copy(v->error_text, sizeof(v->error_text), text != NULL && *text != '\0' ?
	    text : message);
}

/* "33.3": digits, at most one '.', no sign, exponent or spaces; 0 and *out, or -1. */
static int
form_decimal_parse(const char *s, size_t len, double *out)
{
	size_t	 i, digits = 0, dots = 0;
	char	*end;

	if (len == 0 || len > 16)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && dots++ == 0)
			continue;
		else
			return -1;
	}
	if (digits == 0)
		return -1;
	*out = strtod(s, &end);
	return end == s + len ? 0 : -1;
}

/* 1 when s has no C0/C1 control character or DEL, other than LF and TAB when multiline. */
static int
form_no_controls(const char *s, size_t len, int multiline)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i < len; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f) {
			if (multiline && (u[i] == '\n' || u[i] == '\t'))
				continue;
			return 0;
		}
		/* U+0080..U+009F are encoded C2 80..C2 9F. */
		if (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}

/* Copy s without leading/trailing white space, CRLF and lone CR turned into LF. */
static char *
form_clean(const char *s, size_t len, size_t *outlen)
{
	char	*out;
	size_t	 i, o = 0;

	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static int
form_bounded(const struct form_field *fd)
{
	return fd->min != 0 || fd->max != 0;
}

/*
 * Text against its spec (fields.h): the one check the rules rely on, worded
 * for a person.  A row without a spec (a test, the CSV box) is checked the
 * same way with its own kind and bounds.
 */
static int
form_check_text(const struct form_field *fd, const char *t, size_t len, struct form_value *v)
{
	struct field_spec	 own = {
		.name = fd->name,
		.kind = fd->type == FORM_MULTILINE ? FIELD_LINES : FIELD_LINE,
		.min = fd->min > 0 ? (size_t)fd->min : 0,
		.max = fd->max > 0 ? (size_t)fd->max : 0,
	};

	switch (field_check(&own, t, len, NULL)) {
	case FIELD_OK:
	case FIELD_EMPTY:	/* not reached: an empty value is absent */
		return 0;
	case FIELD_NOT_UTF8:
		form_err(v, "Must be text (valid UTF-8).");
		return -1;
	case FIELD_CONTROL:
		form_err(v, fd->type == FORM_MULTILINE ?
		    N_("Must not contain control characters.") :
		    N_("Must be one line without control characters."));
		return -1;
	case FIELD_BIDI:
		form_err(v, "Must not contain bidirectional text controls.");
		return -1;
	case FIELD_INVISIBLE:
		/* A zero-width joiner or a no-break space alone would make an invisible name. */
		form_err(v, "Must contain a visible character, not only spaces or invisible ones.");
		return -1;
	case FIELD_SHORT:
		form_err(v, "Must be at least %zu characters.", own.min);
		return -1;
	case FIELD_LONG:
		form_err(v, "Must be at most %zu characters.", own.max);
		return -1;
	}
	form_err(v, "Cannot be checked.");
	return -1;
}

/* What checking one item came to. */
enum form_item {
	FORM_ITEM_VALID,	/* *text is the normalised copy; v's typed members are set */
	FORM_ITEM_EMPTY,	/* nothing given (an empty text or file input): absent */
	FORM_ITEM_REFUSED,	/* the message is in v */
	FORM_ITEM_NOMEM,	/* out of memory */
	FORM_ITEM_TEXT		/* form_check_json only: go on checking the value's text */
};

/*
 * A JSON value must have the JSON type of fd's type.  A number for a
 * percentage and a boolean are decided here; strings and whole numbers go
 * on as their text (FORM_ITEM_TEXT).
 */
static enum form_item
form_check_json(const struct form_field *fd, const struct form_in *in, struct form_value *v,
    char **text, size_t *textlen)
{
	enum json_type	 jt = json_object_get_type(in->json);
	const char	*s = in->s;
	size_t		 len = in->len;
	int		 want_int = fd->type == FORM_INT || fd->type == FORM_FTOP;
	int		 want_dec = fd->type == FORM_PERCENT;
	int		 want_bool = fd->type == FORM_BOOL;

	if ((want_int && jt != json_type_int) ||
	    (want_dec && jt != json_type_int && jt != json_type_double) ||
	    (want_bool && jt != json_type_boolean) ||
	    (!want_int && !want_dec && !want_bool && jt != json_type_string)) {
		form_err(v, want_int ? N_("Must be a whole number (a JSON number, not a string).") :
		    want_dec ? N_("Must be a number (a JSON number, not a string).") :
		    want_bool ? N_("Must be true or false.") : N_("Must be a string."));
		return FORM_ITEM_REFUSED;
	}
	if (want_dec) {
		/* json-c keeps the number as written: 0.1 stays "0.1", not 0.10000000000000001. */
		v->dec = json_object_get_double(in->json);
		if (!field_percent_valid(v->dec)) {
			form_err(v, "Must be a percentage between %g and %g.", FIELD_PERCENT_MIN,
			    FIELD_PERCENT_MAX);
			return FORM_ITEM_REFUSED;
		}
		*text = http_strdup_n(s, len);
		*textlen = len;
		return *text == NULL ? FORM_ITEM_NOMEM : FORM_ITEM_VALID;
	}
	if (jt == json_type_boolean) {
		v->num = json_object_get_boolean(in->json) ? 1 : 0;
		*text = strdup(v->num ? "true" : "false");
		*textlen = *text != NULL ? strlen(*text) : 0;
		return *text == NULL ? FORM_ITEM_NOMEM : FORM_ITEM_VALID;
	}
	return FORM_ITEM_TEXT;
}

/* The normalised text t (len bytes) against fd's type: 0 valid (v's typed members set), -1 refused (message in v). */
static int
form_check_typed(const struct form_field *fd, const char *t, size_t len, struct form_value *v)
{
	long long	 num;
	const char *const *a;

	switch (fd->type) {
	case FORM_TEXT:
	case FORM_MULTILINE:
		return form_check_text(fd, t, len, v);
	case FORM_INT:
		if (text_int_parse(t, form_bounded(fd) ? fd->min : LLONG_MIN,
		    form_bounded(fd) ? fd->max : LLONG_MAX, &num) == -1) {
			if (text_int_parse(t, LLONG_MIN, LLONG_MAX, &num) == 0)
				form_err(v, "Must be between %lld and %lld.", fd->min, fd->max);
			else
				form_err(v, "Must be a whole number.");
			return -1;
		}
		v->num = num;
		return 0;
	case FORM_PERCENT:
		if (form_decimal_parse(t, len, &v->dec) == -1 || !field_percent_valid(v->dec)) {
			form_err(v, "Must be a percentage between %g and %g.", FIELD_PERCENT_MIN,
			    FIELD_PERCENT_MAX);
			return -1;
		}
		return 0;
	case FORM_FTOP:
		if (text_int_parse(t, 1, INT_MAX, &num) == -1) {
			form_err(v, "Must be an FTOP task number.");
			return -1;
		}
		if (fd->check != NULL && !fd->check(t, num)) {
			form_err(v, "There is no FTOP task %lld.", num);
			return -1;
		}
		v->num = num;
		return 0;
	case FORM_EMAIL:
		if (!text_email_valid(t)) {
			form_err(v, "Must be an e-mail address such as name@example.com.");
			return -1;
		}
		return 0;
	case FORM_DATE:
		if (len != 10 || text_date_parse(t, &v->day) == -1) {
			form_err(v, "Must be a date written YYYY-MM-DD.");
			return -1;
		}
		return 0;
	case FORM_DATETIME:
		if (len != 16 || text_local_datetime_parse(t, &v->day, &v->minute) == -1) {
			form_err(v, "Must be a date and time written YYYY-MM-DDTHH:MM.");
			return -1;
		}
		return 0;
	case FORM_TIMEZONE:
		if (len > 63 || !text_timezone_valid(t)) {
			form_err(v, "Must be a time zone name such as Europe/Berlin.");
			return -1;
		}
		return 0;
	case FORM_KEY:
		if (len > 31 || strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len ||
		    (fd->check != NULL && !fd->check(t, 0))) {
			form_err(v, "Is not one of the known values.");
			return -1;
		}
		return 0;
	case FORM_ENUM:
		for (a = fd->allowed; a != NULL && *a != NULL; a++)
			if (strcmp(*a, t) == 0)
				return 0;
		form_err(v, "Is not one of the allowed values.");
		return -1;
	default:
		form_err(v, "Cannot be checked (field type %d).", (int)fd->type);
		return -1;
	}
}

/*
 * Check one item against fd.  On success *text is a malloc'd normalised copy
 * and v's typed members are set.
 */
static enum form_item
form_check_item(const struct form_field *fd, const struct form_in *in, struct form_value *v,
    char **text, size_t *textlen)
{
	const char	*s = in->s;
	size_t		 len = in->len;
	char		*t;
	enum form_item	 rc;

	*text = NULL;
	*textlen = 0;

	if (in->json != NULL && (rc = form_check_json(fd, in, v, text, textlen)) != FORM_ITEM_TEXT)
		return rc;
	if (fd->type == FORM_FILE) {
		if (in->json == NULL && in->filename == NULL) {
			form_err(v, "Must be a file upload.");
			return FORM_ITEM_REFUSED;
		}
		if (len == 0 && (in->filename == NULL || *in->filename == '\0'))
			return FORM_ITEM_EMPTY;	/* a file input left empty */
		if (fd->max > 0 && (long long)len > fd->max) {
			form_err(v, "The file is larger than %lld bytes.", fd->max);
			return FORM_ITEM_REFUSED;
		}
		if ((*text = http_strdup_n(s, len)) == NULL)
			return FORM_ITEM_NOMEM;
		*textlen = len;
		return FORM_ITEM_VALID;
	}
	if (in->filename != NULL) {
		form_err(v, "Must be text, not a file.");
		return FORM_ITEM_REFUSED;
	}

	if (fd->type == FORM_BOOL) {
		if (len == 0 || strcmp(s, "0") == 0 || strcmp(s, "off") == 0 ||
		    strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
			v->num = 0;
		else if (strcmp(s, "on") == 0 || strcmp(s, "1") == 0 ||
		    strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
			v->num = 1;
		else {
			form_err(v, "Must be checked or not.");
			return FORM_ITEM_REFUSED;
		}
		*text = strdup(v->num ? "true" : "false");
		*textlen = *text != NULL ? strlen(*text) : 0;
		return *text == NULL ? FORM_ITEM_NOMEM : FORM_ITEM_VALID;
	}

	if (!form_no_controls(s, len, fd->type == FORM_MULTILINE)) {
		/* Multi-line text may hold CR (CRLF line ends); it is normalised below. */
		if (fd->type != FORM_MULTILINE || !text_printable(s, len)) {
			form_err(v, fd->type == FORM_MULTILINE ?
			    N_("Must not contain control characters.") :
			    N_("Must be one line without control characters."));
			return FORM_ITEM_REFUSED;
		}
	}
	if ((t = form_clean(s, len, &len)) == NULL)
		return FORM_ITEM_NOMEM;
	if (len == 0) {
		free(t);
		return FORM_ITEM_EMPTY;
	}
	*text = t;
	*textlen = len;
	if (form_check_typed(fd, t, len, v) == -1)
		return FORM_ITEM_REFUSED;
	return FORM_ITEM_VALID;
}

/* Raw input of one item, as the user wrote it. */
static char *
form_raw_of(const struct form_in *in)
{
	if (in->json != NULL && !json_object_is_type(in->json, json_type_string))
		return strdup(json_object_to_json_string_ext(in->json, JSON_C_TO_STRING_PLAIN));
	if (in->filename != NULL)
		return strdup(in->filename);
	return http_strdup_n(in->s, in->len);
}

/* Check all items given for field fd into v.  0, or -1 out of memory. */
static int
form_check_field(const struct form_field *fd, const struct form_in *ins, size_t nin,
    struct form_value *v)
{
	char		*text, **items;
	size_t		 i, len;
	enum form_item	 rc;

	if (nin > 0 && (v->raw = form_raw_of(&ins[0])) == NULL)
		return -1;
	if (nin > 1 && !fd->multiple) {
		form_err(v, "Was given more than once.");
		goto done;
	}
	if (fd->multiple) {
		if (nin > 0 && (items = calloc(nin, sizeof(*items))) == NULL)
			return -1;
		else if (nin > 0)
			v->items = items;
		for (i = 0; i < nin; i++) {
			rc = form_check_item(fd, &ins[i], v, &text, &len);
			if (rc == FORM_ITEM_NOMEM)
				return -1;
			if (rc == FORM_ITEM_VALID)
				v->items[v->nitems++] = text;
			else
				free(text);
		}
		v->present = v->nitems > 0;
		goto done;
	}
	if (nin == 1) {
		rc = form_check_item(fd, &ins[0], v, &text, &len);
		if (rc == FORM_ITEM_NOMEM)
			return -1;
		if (rc == FORM_ITEM_VALID) {
			v->text = text;
			v->len = len;
			v->present = 1;
			if (fd->type == FORM_FILE && ins[0].filename != NULL &&
			    (v->filename = strdup(ins[0].filename)) == NULL)
				return -1;
		} else
			free(text);
	}
done:
	if (v->error[0] == '\0' && fd->required &&
	    (!v->present || (fd->type == FORM_BOOL && v->num == 0)))
		form_err(v, fd->type == FORM_BOOL ? N_("Must be checked.") :
		    N_("This field is required."));
	if (v->text == NULL && (v->text = strdup("")) == NULL)
		return -1;
	if (v->raw == NULL && (v->raw = strdup("")) == NULL)
		return -1;
	if (fd->type == FORM_BOOL && v->error[0] == '\0')
		v->present = 1;
	if (fd->rule != NULL && v->present && v->error[0] == '\0') {
		struct result r;

		result_clear(&r);
		if (fd->rule(v->text, &r) == -1)
			form_value_error(v, r.message, r.text);
	}
	return 0;
}

/*
 * Start f with its own copy of the table in which each row with a spec takes
 * the spec's name, kind and limits: everything after reads one shape.
 */
static int
form_start(struct form *f, const struct form_field *fields, size_t n)
{
	struct form_field	*own;
	size_t			 i;

	memset(f, 0, sizeof(*f));
	if ((own = calloc(n > 0 ? n : 1, sizeof(*own))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		own[i] = fields[i];
		if (fields[i].spec == NULL)
			continue;
		own[i].name = fields[i].spec->name;
		own[i].type = fields[i].spec->kind == FIELD_LINES ? FORM_MULTILINE : FORM_TEXT;
		own[i].min = (long long)fields[i].spec->min;
		own[i].max = (long long)fields[i].spec->max;
	}
	f->fields = f->own = own;
	f->nfields = n;
	if ((f->values = calloc(n > 0 ? n : 1, sizeof(*f->values))) == NULL) {
		free(own);
		f->fields = f->own = NULL;
		return -1;
	}
	return 0;
}

static int
form_finish(struct form *f)
{
	size_t	 i;

	f->nerrors = 0;
	for (i = 0; i < f->nfields; i++)
		if (f->values[i].error[0] != '\0')
			f->nerrors++;
	return f->nerrors > 0 ? 1 : 0;
}

/*
 * The end of both validators: free the collected inputs, then the verdict
 * (0 all valid, 1 some field has an error), or -1 with f freed when rc is -1.
 */
static int
form_end(struct form *f, struct form_in *ins, int rc)
{
	free(ins);
	if (rc == -1) {
		form_free(f);
		return -1;
	}
	return form_finish(f);
}

int
form_validate_fields(struct form *f, const struct form_field *fields, size_t n,
    const struct http_fields *in)
{
	struct form_in	*ins = NULL;
	size_t		 i, j, nin;

	if (form_start(f, fields, n) == -1)
		return -1;
	if (in->n > 0 && (ins = calloc(in->n, sizeof(*ins))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		nin = 0;
		for (j = 0; j < in->n; j++) {
			if (strcmp(in->v[j].name, f->fields[i].name) != 0)
				continue;
			ins[nin].s = in->v[j].value;
			ins[nin].len = in->v[j].len;
			ins[nin].filename = in->v[j].filename;
			ins[nin].json = NULL;
			nin++;
		}
		/* A checkbox after its hidden "0" companion: the last value wins. */
		if (f->fields[i].type == FORM_BOOL && !f->fields[i].multiple && nin > 1) {
			ins[0] = ins[nin - 1];
			nin = 1;
		}
		if (form_check_field(&f->fields[i], ins, nin, &f->values[i]) == -1)
			goto nomem;
	}
	return form_end(f, ins, 0);
nomem:
	return form_end(f, ins, -1);
}

/* A JSON value as an item: a string as its text, anything else as its JSON text. */
static void
form_in_of_json(struct form_in *in, json_object *v)
{
	in->json = v;
	if (v == NULL) {
		/* null in a list is an empty item, skipped like an empty field */
		in->s = "";
		in->len = 0;
	} else if (json_object_is_type(v, json_type_string)) {
		in->s = json_object_get_string(v);
		in->len = (size_t)json_object_get_string_len(v);
	} else {
		in->s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		in->len = strlen(in->s);
	}
}

int
form_validate_json(struct form *f, const struct form_field *fields, size_t n,
    json_object *obj)
{
	struct form_in	*ins = NULL;
	json_object	*jv;
	size_t		 i, j, nin;

	if (form_start(f, fields, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		free(ins);
		ins = NULL;
		nin = 0;
		if (obj == NULL || !json_object_object_get_ex(obj, f->fields[i].name, &jv) || jv == NULL) {
			if (form_check_field(&f->fields[i], NULL, 0, &f->values[i]) == -1)
				goto nomem;
			continue;
		}
		if (f->fields[i].multiple) {
			if (!json_object_is_type(jv, json_type_array)) {
				form_err(&f->values[i], "Must be a list.");
				if (form_check_field(&f->fields[i], NULL, 0, &f->values[i]) == -1)
					goto nomem;
				continue;
			}
			nin = json_object_array_length(jv);
			if (nin > 0 && (ins = calloc(nin, sizeof(*ins))) == NULL)
				goto nomem;
			for (j = 0; j < nin; j++)
				form_in_of_json(&ins[j], json_object_array_get_idx(jv, j));
		} else {
			if ((ins = calloc(1, sizeof(*ins))) == NULL)
				goto nomem;
			nin = 1;
			form_in_of_json(&ins[0], jv);
		}
		if (form_check_field(&f->fields[i], ins, nin, &f->values[i]) == -1)
			goto nomem;
	}
	return form_end(f, ins, 0);
nomem:
	return form_end(f, ins, -1);
}

int
form_validate(struct form *f, const struct form_field *fields, size_t n,
    const struct http_request *req)
{
	if (req->json != NULL)
		return form_validate_json(f, fields, n, req->json);
	if (http_method_unsafe(req->method))
		return form_validate_fields(f, fields, n, &req->body_fields);
	return form_validate_fields(f, fields, n, &req->query_fields);
}

void
form_free(struct form *f)
{
	size_t	 i;

	if (f->values != NULL) {
		for (i = 0; i < f->nfields; i++) {
			struct form_value *v = &f->values[i];

			free(v->text);
			free(v->raw);
			free(v->filename);
			buf_strings_free(v->items, v->nitems);
		}
		free(f->values);
	}
	free(f->own);
	memset(f, 0, sizeof(*f));
}

int
form_error_set(struct form *f, const char *name, const char *message)
{
	return form_error_set_text(f, name, message, message);
}

int
form_error_set_text(struct form *f, const char *name, const char *message, const char *text)
{
	size_t	 i;

	for (i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].name, name) != 0)
			continue;
		if (f->values[i].error[0] == '\0')
			f->nerrors++;
		form_value_error(&f->values[i], message, text);
		return 0;
	}
	return -1;
}

const char *
form_label(const struct form_field *fd)
{
	if (fd->spec != NULL && fd->spec->label != NULL)
		return _(fd->spec->label);
	return fd->label != NULL ? _(fd->label) : fd->name;
}

/* The form's own messages have no subject ("Must be ..."): the label is it. */
static int
form_subjectless(const char *msg)
{
	static const char *const verbs[] = { "Must ", "Is ", "Was " };
	size_t	 i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncmp(msg, verbs[i], strlen(verbs[i])) == 0)
			return 1;
	return 0;
}

/*
 * The first letter of s (UTF-8) made upper or lower case: ASCII and the
 * Latin-1 letters (U+00C0..U+00DE <-> U+00E0..U+00FE, not the signs U+00D7
 * and U+00F7), which is all English and Portuguese need ("É" / "é").
 */
static void
form_case_first(char *s, int upper)
{
	unsigned char	*u = (unsigned char *)s;

	if (upper && u[0] >= 'a' && u[0] <= 'z')
		u[0] = (unsigned char)(u[0] - 'a' + 'A');
	else if (!upper && u[0] >= 'A' && u[0] <= 'Z')
		u[0] = (unsigned char)(u[0] - 'A' + 'a');
	else if (u[0] == 0xc3 && upper && u[1] >= 0xa0 && u[1] <= 0xbe && u[1] != 0xb7)
		u[1] = (unsigned char)(u[1] - 0x20);
	else if (u[0] == 0xc3 && !upper && u[1] >= 0x80 && u[1] <= 0x9e && u[1] != 0x97)
		u[1] = (unsigned char)(u[1] + 0x20);
}

/* 1 when the word at s starts with two capitals ("AU target", "CSM name"): it keeps them. */
static int
form_acronym(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

/* 1 when c may be part of a field key. */
static int
form_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * A rule names other fields by their keys ("cannot exceed eligible_users"):
 * each whole-word key of the form (one with an '_', which no English word
 * has) becomes its label, lower case inside the sentence.  s holds size bytes.
 */
static void
form_keys_to_labels(const struct form *f, char *s, size_t size)
{
	char		 out[400];
	const char	*p, *label;
	size_t		 j, o, klen, start;

	for (j = 0; j < f->nfields; j++) {
		if (strchr(f->fields[j].name, '_') == NULL)
			continue;
		label = form_label(&f->fields[j]);
		klen = strlen(f->fields[j].name);
		o = 0;
		for (p = s; *p != '\0' && o + 1 < sizeof(out); ) {
			if (strncmp(p, f->fields[j].name, klen) == 0 && !form_key_char(p[klen]) &&
			    (p == s || !form_key_char(p[-1]))) {
				start = o;
				o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", label);
				if (o >= sizeof(out))
					o = sizeof(out) - 1;
				/* "Licensed users" inside a sentence, but "AU target" keeps its capitals. */
				if (p != s && start + 1 < o && !form_acronym(out + start))
					form_case_first(out + start, 0);
				p += klen;
			} else
				out[o++] = *p++;
		}
		out[o] = '\0';
		(void)text_copy(s, size, out);
	}
}

void
form_sentence(const struct form *f, size_t i, char *out, size_t size)
{
	const char	*msg = f->values[i].error, *label = form_label(&f->fields[i]);
	const char	*txt = f->values[i].error_text[0] != '\0' ? f->values[i].error_text : msg;
	const char	*name = f->fields[i].name;
	size_t		 nlen = strlen(name), len;
	char		 s[400], lower[200];

	if (size == 0)
		return;
	out[0] = '\0';
	if (msg[0] == '\0')
		return;
	/* The English message classifies; the reader's language words it. */
	if (strcmp(msg, "This field is required.") == 0)
		snprintf(s, sizeof(s), _("%s is required."), label);
	else if (form_subjectless(msg)) {
		(void)text_copy(lower, sizeof(lower), txt);
		form_case_first(lower, 0);
		snprintf(s, sizeof(s), "%s %s", label, lower);
	} else if (strncmp(txt, name, nlen) == 0 && txt[nlen] == ' ')
		snprintf(s, sizeof(s), "%s%s", label, txt + nlen);
	else {
		snprintf(s, sizeof(s), "%s", txt);
		form_case_first(s, 1);
	}
	form_keys_to_labels(f, s, sizeof(s));
	/* A rule's message is a clause; a sentence ends with its stop. */
	len = strlen(s);
	if (len > 0 && len + 1 < sizeof(s) && s[len - 1] != '.' && s[len - 1] != '?' &&
	    s[len - 1] != '!')
		memcpy(s + len, ".", 2);
	(void)text_copy(out, size, s);
}

json_object *
form_errors_json(const struct form *f)
{
	json_object	*o;
	size_t		 i;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (i = 0; i < f->nfields; i++)
		if (f->values[i].error[0] != '\0')
			json_object_object_add(o, f->fields[i].name,
			    json_object_new_string(f->values[i].error));
	return o;
}

json_object *
form_view_json(const struct form *f)
{
	json_object	*o, *fo, *items;
	size_t		 i, j;
	char		 sentence[400];

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (i = 0; i < f->nfields; i++) {
		const struct form_value *v = &f->values[i];

		if ((fo = json_object_new_object()) == NULL)
			break;
		json_object_object_add(fo, "value", json_object_new_string(
		    f->fields[i].type == FORM_FILE ? "" : (v->raw != NULL ? v->raw : "")));
		if (v->error[0] != '\0') {
			form_sentence(f, i, sentence, sizeof(sentence));
			json_object_object_add(fo, "error", json_object_new_string(sentence));
			json_object_object_add(fo, "invalid", json_object_new_boolean(1));
		}
		json_object_object_add(fo, "label", json_object_new_string(form_label(&f->fields[i])));
		if (f->fields[i].type == FORM_BOOL)
			json_object_object_add(fo, "checked", json_object_new_boolean(v->num != 0));
		if (f->fields[i].multiple) {
			items = json_object_new_array();
			for (j = 0; items != NULL && j < v->nitems; j++)
				json_object_array_add(items, json_object_new_string(v->items[j]));
			json_object_object_add(fo, "items", items);
		}
		json_object_object_add(o, f->fields[i].name, fo);
	}
	return o;
}
