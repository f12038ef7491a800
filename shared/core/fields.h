/* fields.h -- the length limits of text people type, in characters, shared by forms, API, rules and store. */
#ifndef FTS_FIELDS_H
#define FTS_FIELDS_H

/*
 * One number per kind of field, counted in characters (Unicode code points,
 * as SQLite's length() and the documentation count them), so the HTML form,
 * the JSON API and the playbook rules can never disagree on a limit.
 */
#define FIELD_NAME_MAX		200	/* customer, contact, CSM, owner of an action or blocker */
#define FIELD_FM_MAX		127	/* owner_fm: an FM's user name */
#define FIELD_METRIC_MAX	500	/* custom_metric */
#define FIELD_ACTION_MAX	1000	/* next_action */
#define FIELD_NOTE_MAX		2000	/* task note, blocker description and resolution */
#define FIELD_SUMMARY_MAX	4000	/* check-in summary */

/* Bytes that hold n characters of UTF-8 (at most 4 bytes each) and the NUL. */
#define FIELD_SIZE(n)		((n) * 4 + 1)

#endif
