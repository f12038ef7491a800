/* fields.h -- the one vocabulary of text people type: each input's name, label, kind and limits in characters. */
#ifndef FTS_FIELDS_H
#define FTS_FIELDS_H

#include <stddef.h>

#include "i18n.h"

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
#define FIELD_EMAIL_MAX		254	/* an e-mail address (RFC 5321 path limit) */
#define FIELD_URL_MAX		500	/* a user's online-meeting link */

/*
 * A percentage target (AU target_percent): a tenth of a percent to all of
 * it, in steps of a tenth.  The form's check, the HTML min/max/step and the
 * rules' check all read these, so the page and the server say one limit.
 */
#define FIELD_PERCENT_MIN	0.1
#define FIELD_PERCENT_MAX	100.0
#define FIELD_PERCENT_STEP	0.1

/* 1 when v is a percentage target within FIELD_PERCENT_MIN..MAX (NaN is not). */
int field_percent_valid(double v);

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

/*
 * Every spec, once: X(var, initializers) declares field_<var> here, defines
 * it in fields.c and lists it in field_specs, so no spec can be defined and
 * left out of the list (or listed twice).
 */
#define FIELD_SPECS(X) \
	X(customer_name, .name = "name", .label = N_("Customer name"), .kind = FIELD_LINE, .min = 1, \
	    .max = FIELD_NAME_MAX) \
	X(tenant_domain, .name = "tenant_domain", .label = N_("Tenant domain"), .kind = FIELD_LINE, \
	    .min = 3, .max = FIELD_DOMAIN_MAX) \
	X(owner_fm, .name = "owner_fm", .label = N_("FM"), .kind = FIELD_LINE, .max = FIELD_FM_MAX) \
	X(contact_name, .name = "name", .label = N_("Contact name"), .kind = FIELD_LINE, .min = 1, \
	    .max = FIELD_NAME_MAX) \
	X(csm_name, .name = "name", .label = N_("CSM name"), .kind = FIELD_LINE, .min = 1, \
	    .max = FIELD_NAME_MAX) \
	X(custom_metric, .name = "custom_metric", .label = N_("Custom metric"), .kind = FIELD_LINE, \
	    .max = FIELD_METRIC_MAX) \
	X(checkin_summary, .name = "summary", .label = N_("Summary"), .kind = FIELD_LINES, \
	    .max = FIELD_SUMMARY_MAX) \
	X(next_action, .name = "next_action", .label = N_("Next action"), .kind = FIELD_LINE, .min = 1, \
	    .max = FIELD_ACTION_MAX) \
	X(next_action_owner, .name = "next_action_owner", .label = N_("Owner of the next action"), \
	    .kind = FIELD_LINE, .min = 1, .max = FIELD_NAME_MAX) \
	X(task_note, .name = "note", .label = N_("Note"), .kind = FIELD_LINES, .max = FIELD_NOTE_MAX) \
	X(blocker_description, .name = "description", .label = N_("Description"), .kind = FIELD_LINES, \
	    .min = 1, .max = FIELD_NOTE_MAX) \
	X(blocker_owner, .name = "owner", .label = N_("Owner"), .kind = FIELD_LINE, .min = 1, \
	    .max = FIELD_NAME_MAX) \
	X(blocker_resolution, .name = "resolution", .label = N_("Resolution"), .kind = FIELD_LINES, \
	    .min = 1, .max = FIELD_NOTE_MAX) \
	X(search, .name = "q", .label = N_("Search"), .kind = FIELD_LINE, .max = FIELD_SEARCH_MAX) \
	X(fm_filter, .name = "fm", .label = N_("FM"), .kind = FIELD_LINE, .max = FIELD_FM_MAX) \
	X(user_login, .name = "login", .label = N_("Login"), .kind = FIELD_LINE, .min = 1, \
	    .max = FIELD_FM_MAX) \
	X(user_display_name, .name = "display_name", .label = N_("Display name"), .kind = FIELD_LINE, \
	    .min = 1, .max = FIELD_NAME_MAX) \
	X(user_email, .name = "email", .label = N_("E-mail"), .kind = FIELD_LINE, .max = FIELD_EMAIL_MAX) \
	X(user_timezone, .name = "timezone", .label = N_("Time zone"), .kind = FIELD_LINE, .max = 63) \
	X(user_meeting_url, .name = "meeting_url", .label = N_("Online meeting link"), .kind = FIELD_LINE, \
	    .max = FIELD_URL_MAX)

#define FIELD_SPEC_EXTERN(var, ...)	extern const struct field_spec field_##var;
FIELD_SPECS(FIELD_SPEC_EXTERN)

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
