/* fields.h -- the one vocabulary of text people type: each input's name, label, kind and limits in characters. */
#ifndef FTS_FIELDS_H
#define FTS_FIELDS_H

#include <stddef.h>

/*
 * One number per kind of field, counted in characters (Unicode code points,
 * as SQLite's length() and the documentation count them), so the HTML form,
 * the JSON API and the playbook rules can never disagree on a limit.  They
 * are macros because the store sizes its buffers with them (FIELD_SIZE).
 */
#define FIELD_NAME_MAX		200	/* customer, contact, CSM, owner of an action or blocker */
#define FIELD_FM_MAX		127	/* owner_fm: an FM's user name */
#define FIELD_METRIC_MAX	500	/* custom_metric */
#define FIELD_ACTION_MAX	1000	/* next_action */
#define FIELD_NOTE_MAX		2000	/* task note, blocker description and resolution */
#define FIELD_SUMMARY_MAX	4000	/* check-in summary */
#define FIELD_SEARCH_MAX	100	/* the portfolio search */
#define FIELD_DOMAIN_MAX	253	/* tenant_domain: a DNS name (ASCII, so bytes too) */

/* Bytes that hold n characters of UTF-8 (at most 4 bytes each) and the NUL. */
#define FIELD_SIZE(n)		((n) * 4 + 1)

enum field_kind {
	FIELD_LINE,	/* one line: no control character, no bidi control (pages, mail headers, calendars) */
	FIELD_LINES	/* free text: TAB and LF allowed */
};

/*
 * A text input, declared once here and named the same everywhere: the form
 * input and the JSON member (name), what a person reads (label), its kind
 * and its limits in characters.  The web forms and the JSON API validate
 * with it (cgi/form.c, form_field.spec); the rules take values already
 * checked against it.  Whether an input must be given is the action's
 * business (a customer's name is required to create, optional to edit), so
 * "required" stays with the form table and the rule.
 */
struct field_spec {
	const char	*name;
	const char	*label;
	enum field_kind	 kind;
	size_t		 min, max;	/* characters; min counts only when a value is given */
};

extern const struct field_spec field_customer_name;
extern const struct field_spec field_tenant_domain;
extern const struct field_spec field_owner_fm;
extern const struct field_spec field_contact_name;
extern const struct field_spec field_csm_name;
extern const struct field_spec field_custom_metric;
extern const struct field_spec field_checkin_summary;
extern const struct field_spec field_next_action;
extern const struct field_spec field_next_action_owner;
extern const struct field_spec field_task_note;
extern const struct field_spec field_blocker_description;
extern const struct field_spec field_blocker_owner;
extern const struct field_spec field_blocker_resolution;
extern const struct field_spec field_search;
extern const struct field_spec field_fm_filter;

/* Every spec above, for tables and tests that go over all of them (NULL-terminated). */
extern const struct field_spec *const field_specs[];

/* What is wrong with a value, in the order field_check looks. */
enum field_problem {
	FIELD_OK,
	FIELD_EMPTY,		/* nothing given */
	FIELD_NOT_UTF8,		/* not well-formed UTF-8 */
	FIELD_CONTROL,		/* a control character (LINE: any; LINES: other than TAB, CR, LF) */
	FIELD_BIDI,		/* LINE only: a bidirectional embedding, override or isolate */
	FIELD_INVISIBLE,	/* only spaces or invisible characters */
	FIELD_SHORT,		/* fewer than min characters */
	FIELD_LONG		/* more than max characters */
};

/*
 * Check s[0..len) against fs: the one place a typed value is measured (in
 * characters) and screened.  *chars, when not NULL, gets the characters
 * counted (0 unless the value is valid UTF-8).  Each caller words the
 * problem for its reader (form: "Must be at most 1000 characters.", rules:
 * "next_action is longer than 1000 characters (1001)").
 */
enum field_problem field_check(const struct field_spec *fs, const char *s, size_t len,
    size_t *chars);

#endif
