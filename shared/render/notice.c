/* notice.c -- encodes the typed outbox payloads to versioned JSON and decodes them back, checking every member. */
#include "autoconfig.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "notice.h"
#include "result.h"

/* Longest member path we name ("agenda.services[12].custom_metric" is 34). */
#define NOTICE_PATH_MAX		96

static const char *const notice_kind_names[NOTICE__MAX] = {
	[NOTICE_INVITE] = "invite",
	[NOTICE_CANCEL] = "cancel",
	[NOTICE_HANDSHAKE] = "handshake",
};

int
notice_kind_parse(const char *s, enum notice_kind *kind, struct result *r)
{
	int	 k;

	for (k = 0; k < NOTICE__MAX; k++)
		if (s != NULL && strcmp(s, notice_kind_names[k]) == 0) {
			*kind = (enum notice_kind)k;
			return 0;
		}
	return result_set(r, RESULT_INVALID, "kind", "unknown notice kind %.16s",
	    s != NULL ? s : "(none)");
}

void
notice_percent(double v, char *buf, size_t size)
{
	size_t	 len;

	/* The payload holds one decimal (notice_json); show what it holds. */
	snprintf(buf, size, "%.1f", round(v * 10.0) / 10.0);
	len = strlen(buf);
	if (len > 2 && strcmp(buf + len - 2, ".0") == 0)
		buf[len - 2] = '\0';
}

/* ---- the members of each payload object ---- */

/* How a member may be absent: DEC_REQUIRED refuses a missing or null member. */
enum dec_need { DEC_OPTIONAL, DEC_REQUIRED };

/* What a scalar member is in C and in JSON. */
enum member_kind {
	MK_STR,		/* char *: a string, or null when NULL */
	MK_ID,		/* int64_t: any integer, absent read as 0 */
	MK_INT,		/* int: an integer in int's range, required */
	MK_PERCENT,	/* double, its int flag at .has: a number with one decimal, or null */
	MK_FTOP,	/* int: 0..INT_MAX, written only when not 0 */
	MK_SET,		/* char *: a string written only when not NULL (added in version 2) */
};

/*
 * A scalar member of a payload object: its key, kind and need, at off in
 * the struct.  One table per struct serves encoding, decoding (in the
 * table's order, so the first bad member is the one named) and freeing.
 */
struct member {
	const char	*key;
	enum member_kind kind;
	enum dec_need	 need;
	size_t		 off;
	size_t		 has;		/* MK_PERCENT: the offset of its flag */
};

/* 0, and a compile error when member m of T is not of type C (a check, not a value). */
#define MEMBER_IS(T, m, C)	(0 * sizeof(&((T *)0)->m == (C *)0))
#define M_STR(T, m, nd)	{ .key = #m, .kind = MK_STR, .need = DEC_##nd, \
	.off = offsetof(T, m) + MEMBER_IS(T, m, char *) }
#define M_SET(T, m)		{ .key = #m, .kind = MK_SET, .need = DEC_OPTIONAL, \
	.off = offsetof(T, m) + MEMBER_IS(T, m, char *) }
#define M_ID(T, m)		{ .key = #m, .kind = MK_ID, .need = DEC_OPTIONAL, \
	.off = offsetof(T, m) + MEMBER_IS(T, m, int64_t) }
#define M_INT(T, m, kind_)	{ .key = #m, .kind = kind_, .need = DEC_REQUIRED, \
	.off = offsetof(T, m) + MEMBER_IS(T, m, int) }
#define M_PERCENT(T, m, flag)	{ .key = #m, .kind = MK_PERCENT, .need = DEC_OPTIONAL, \
	.off = offsetof(T, m) + MEMBER_IS(T, m, double), \
	.has = offsetof(T, flag) + MEMBER_IS(T, flag, int) }
#define MEMBERS(t)		(t), sizeof(t) / sizeof((t)[0])

static const struct member person_members[] = {
	M_STR(struct notice_person, name, OPTIONAL), M_STR(struct notice_person, email, REQUIRED),
};

/* A customer's scalars; a handshake adds its contacts. */
static const struct member customer_members[] = {
	M_ID(struct notice_customer, id), M_STR(struct notice_customer, name, REQUIRED),
	M_STR(struct notice_customer, tenant_domain, OPTIONAL),
	M_STR(struct notice_customer, timezone, OPTIONAL),
	M_SET(struct notice_customer, language),
};

static const struct member service_members[] = {
	M_STR(struct notice_service, key, OPTIONAL), M_STR(struct notice_service, title, REQUIRED),
	M_STR(struct notice_service, activated_on, OPTIONAL),
	M_PERCENT(struct notice_service, au_percent, has_au),
	M_PERCENT(struct notice_service, target_percent, has_target),
	M_STR(struct notice_service, custom_metric, OPTIONAL),
	M_STR(struct notice_service, measured_on, OPTIONAL),
	M_INT(struct notice_service, ftop_id, MK_FTOP),
};

static const struct member blocker_members[] = {
	M_ID(struct notice_blocker, id), M_STR(struct notice_blocker, description, REQUIRED),
	M_STR(struct notice_blocker, owner, OPTIONAL),
	M_STR(struct notice_blocker, l2_reason, OPTIONAL),
	M_STR(struct notice_blocker, l2_title, REQUIRED),
	M_STR(struct notice_blocker, service, OPTIONAL),
	M_STR(struct notice_blocker, opened_on, OPTIONAL),
};

static const struct member next_action_members[] = {
	M_STR(struct notice_next_action, text, REQUIRED),
	M_STR(struct notice_next_action, on, OPTIONAL),
	M_STR(struct notice_next_action, owner, OPTIONAL),
	M_STR(struct notice_next_action, held_on, OPTIONAL),
};

static const struct member series_members[] = {
	M_ID(struct notice_series, id), M_STR(struct notice_series, uid, REQUIRED),
	M_INT(struct notice_series, sequence, MK_INT),
	M_STR(struct notice_series, status, REQUIRED),
	M_STR(struct notice_series, starts_at, REQUIRED),
	M_STR(struct notice_series, timezone, REQUIRED),
	M_INT(struct notice_series, duration_minutes, MK_INT),
	M_INT(struct notice_series, every_weeks, MK_INT),
	M_SET(struct notice_series, until),
	M_SET(struct notice_series, meeting_url),
};

static const struct member schedule_members[] = {
	M_STR(struct notice_schedule, starts_at, REQUIRED),
	M_STR(struct notice_schedule, timezone, REQUIRED),
	M_INT(struct notice_schedule, duration_minutes, MK_INT),
	M_INT(struct notice_schedule, every_weeks, MK_INT),
};

static const struct member occurrence_members[] = {
	M_STR(struct notice_occurrence, on, REQUIRED),
	M_STR(struct notice_occurrence, moved_to, OPTIONAL),
};

/* The member at off of the struct at base, as a T. */
#define MEMBER_AT(T, base, off)	((T *)(void *)((char *)(base) + (off)))
#define MEMBER_OF(T, base, off)	((T const *)(const void *)((const char *)(base) + (off)))

/* ---- encoding ---- */

/* Building state: json-c reports a failed allocation as NULL, noted here once. */
struct enc {
	int	 failed;
};

static void
enc_add(struct enc *e, json_object *o, const char *key, json_object *v)
{
	if (o == NULL || v == NULL || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		e->failed = 1;
	}
}

/* A string member; NULL is written as JSON null. */
static void
enc_str(struct enc *e, json_object *o, const char *key, const char *s)
{
	if (s == NULL) {
		if (o == NULL || json_object_object_add(o, key, NULL) != 0)
			e->failed = 1;
		return;
	}
	enc_add(e, o, key, json_object_new_string(s));
}

static void
enc_null(struct enc *e, json_object *o, const char *key)
{
	enc_str(e, o, key, NULL);
}

/*
 * A percentage with one decimal written as such: json-c would print the
 * double with 17 digits (12.300000000000001).
 */
static void
enc_percent(struct enc *e, json_object *o, const char *key, int has, double v)
{
	char	 text[32];

	if (!has) {
		enc_null(e, o, key);
		return;
	}
	v = round(v * 10.0) / 10.0;
	snprintf(text, sizeof(text), "%.1f", v);
	enc_add(e, o, key, json_object_new_double_s(v, text));
}

/* Append element v to list; a failure (v or list NULL included) is noted. */
static void
enc_push(struct enc *e, json_object *list, json_object *v)
{
	if (list == NULL || v == NULL || json_object_array_add(list, v) != 0) {
		json_object_put(v);
		e->failed = 1;
	}
}

/* The scalar members of the struct at base into o, as table m[0..n) says. */
static void
enc_members(struct enc *e, json_object *o, const void *base, const struct member *m, size_t n)
{
	size_t	 i;
	int	 v;

	for (i = 0; i < n; i++)
		switch (m[i].kind) {
		case MK_STR:
			enc_str(e, o, m[i].key, *MEMBER_OF(char *, base, m[i].off));
			break;
		case MK_SET:
			if (*MEMBER_OF(char *, base, m[i].off) != NULL)
				enc_str(e, o, m[i].key, *MEMBER_OF(char *, base, m[i].off));
			break;
		case MK_ID:
			enc_add(e, o, m[i].key,
			    json_object_new_int64(*MEMBER_OF(int64_t, base, m[i].off)));
			break;
		case MK_INT:
		case MK_FTOP:
			v = *MEMBER_OF(int, base, m[i].off);
			if (m[i].kind == MK_INT || v != 0)
				enc_add(e, o, m[i].key, json_object_new_int(v));
			break;
		case MK_PERCENT:
			enc_percent(e, o, m[i].key, *MEMBER_OF(int, base, m[i].has),
			    *MEMBER_OF(double, base, m[i].off));
			break;
		}
}

/* A struct as a new object of its scalar members. */
static json_object *
enc_object(struct enc *e, const void *base, const struct member *m, size_t n)
{
	json_object	*o = json_object_new_object();

	enc_members(e, o, base, m, n);
	return o;
}

/* n structs of size bytes each at items, as an array of their objects. */
static json_object *
enc_list(struct enc *e, const void *items, size_t n, size_t size, const struct member *m,
    size_t nm)
{
	json_object	*list = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		enc_push(e, list, enc_object(e, (const char *)items + i * size, m, nm));
	return list;
}

static json_object *
enc_people(struct enc *e, const struct notice_person *p, size_t n)
{
	return enc_list(e, p, n, sizeof(*p), MEMBERS(person_members));
}

static json_object *
enc_customer(struct enc *e, const struct notice_customer *c, int with_contacts)
{
	json_object	*o = enc_object(e, c, MEMBERS(customer_members));

	if (with_contacts)
		enc_add(e, o, "contacts", enc_people(e, c->contacts, c->n_contacts));
	return o;
}

/* services, blockers and next_action as members of o (the agenda, or the handshake's root). */
static void
enc_agenda(struct enc *e, json_object *o, const struct notice_agenda *a)
{
	const struct notice_next_action	*na = a->next_action;

	enc_add(e, o, "services", enc_list(e, a->services, a->n_services, sizeof(*a->services),
	    MEMBERS(service_members)));
	enc_add(e, o, "blockers", enc_list(e, a->blockers, a->n_blockers, sizeof(*a->blockers),
	    MEMBERS(blocker_members)));
	if (na == NULL) {
		enc_null(e, o, "next_action");
		return;
	}
	enc_add(e, o, "next_action", enc_object(e, na, MEMBERS(next_action_members)));
}

static void
enc_meeting(struct enc *e, json_object *p, const struct notice_meeting *m)
{
	json_object	*agenda, *series;

	enc_str(e, p, "method", m->method);
	enc_add(e, p, "customer", enc_customer(e, &m->customer, 0));
	series = enc_object(e, &m->meeting, MEMBERS(series_members));
	/* Version 2: written only when there are any, so a plain series reads as it did. */
	if (m->meeting.n_exceptions > 0)
		enc_add(e, series, "exceptions", enc_list(e, m->meeting.exceptions,
		    m->meeting.n_exceptions, sizeof(*m->meeting.exceptions),
		    MEMBERS(occurrence_members)));
	enc_add(e, p, "meeting", series);
	if (m->occurrence != NULL)
		enc_add(e, p, "occurrence", enc_object(e, m->occurrence,
		    MEMBERS(occurrence_members)));
	if (m->previous != NULL)
		enc_add(e, p, "previous", enc_object(e, m->previous, MEMBERS(schedule_members)));
	enc_add(e, p, "attendees", enc_people(e, m->attendees, m->n_attendees));
	if (m->chair != NULL)
		enc_add(e, p, "chair", enc_object(e, m->chair, MEMBERS(person_members)));
	agenda = json_object_new_object();
	enc_agenda(e, agenda, &m->agenda);
	enc_add(e, p, "agenda", agenda);
	enc_str(e, p, "url", m->url);
}

static void
enc_handshake(struct enc *e, json_object *p, const struct notice_handshake *h)
{
	enc_add(e, p, "customer", enc_customer(e, &h->customer, 1));
	enc_add(e, p, "csm", enc_object(e, &h->csm, MEMBERS(person_members)));
	enc_agenda(e, p, &h->agenda);
	enc_str(e, p, "url", h->url);
}

/*
 * The lowest version that carries n: 3 with a member version 2 lacks, 2
 * with one version 1 lacks, so that a notifier that predates them refuses
 * the row (it would send a skipped occurrence as a CANCEL of the whole
 * series, or an invite the FM never gets) and reads every other.
 */
static int
notice_version_needed(const struct notice *n)
{
	const struct notice_meeting *m = &n->meeting;

	/* An older notifier would send a pt-BR customer English: it must refuse the row. */
	if ((n->kind == NOTICE_HANDSHAKE ? n->handshake.customer.language :
	    m->customer.language) != NULL)
		return 4;
	if (n->kind == NOTICE_HANDSHAKE)
		return 1;
	if (m->chair != NULL || m->previous != NULL || m->meeting.meeting_url != NULL)
		return 3;
	if (m->occurrence != NULL || m->meeting.until != NULL || m->meeting.n_exceptions > 0)
		return 2;
	return 1;
}

int
notice_json(const struct notice *n, json_object **out, struct result *r)
{
	struct enc	 e = { 0 };
	json_object	*p;

	*out = NULL;
	if ((unsigned)n->kind >= NOTICE__MAX)
		return result_set(r, RESULT_INVALID, "kind", "unknown notice kind %d", (int)n->kind);
	p = json_object_new_object();
	enc_add(&e, p, "version", json_object_new_int(notice_version_needed(n)));
	if (n->kind == NOTICE_HANDSHAKE)
		enc_handshake(&e, p, &n->handshake);
	else
		enc_meeting(&e, p, &n->meeting);
	if (e.failed) {
		json_object_put(p);
		return result_set(r, RESULT_IO, NULL, "out of memory encoding a %s notice",
		    notice_kind_names[n->kind]);
	}
	*out = p;
	return 0;
}

int
notice_encode(const struct notice *n, struct buf *out, struct result *r)
{
	json_object	*p;
	const char	*text;
	int		 rc = 0;

	if (notice_json(n, &p, r) == -1)
		return -1;
	text = json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL || buf_puts(out, text) == -1)
		rc = result_set(r, RESULT_IO, NULL, "out of memory writing a %s notice",
		    notice_kind_names[n->kind]);
	json_object_put(p);
	return rc;
}

/* ---- decoding ---- */

/* "parent.key", or "key" at the root; a path longer than size is cut (it only names). */
static void
dec_path_n(char *path, size_t size, const char *parent, const char *key)
{
	snprintf(path, size, "%s%s%s", parent, *parent != '\0' ? "." : "", key);
}

static void
dec_path(char *path, const char *parent, const char *key)
{
	dec_path_n(path, NOTICE_PATH_MAX, parent, key);
}

static int
dec_fail(struct result *r, const char *path, const char *what)
{
	return result_set(r, RESULT_INVALID, path, "payload: %s: %s", path, what);
}

static int
dec_nomem(struct result *r)
{
	return result_set(r, RESULT_IO, NULL, "out of memory decoding a notice");
}

/*
 * Member key of o (whose path is parent) of type want, or *out = NULL when
 * it is optional and missing or null.  A number member takes an integer too.
 */
static int
dec_member(json_object *o, const char *parent, const char *key, json_type want,
    enum dec_need need, json_object **out, struct result *r)
{
	char		 path[NOTICE_PATH_MAX];
	json_object	*v = NULL;

	*out = NULL;
	dec_path(path, parent, key);
	if (!json_object_object_get_ex(o, key, &v))
		return need == DEC_REQUIRED ? dec_fail(r, path, "missing") : 0;
	if (v == NULL)
		return need == DEC_REQUIRED ? dec_fail(r, path, "null") : 0;
	if (want == json_type_double && json_object_is_type(v, json_type_int)) {
		*out = v;
		return 0;
	}
	if (!json_object_is_type(v, want))
		return result_set(r, RESULT_INVALID, path, "payload: %s: not a%s %s", path,
		    want == json_type_array || want == json_type_object ||
		    want == json_type_int ? "n" : "", want == json_type_int ? "integer" :
		    want == json_type_double ? "number" : json_type_to_name(want));
	*out = v;
	return 0;
}

static int
dec_str(json_object *o, const char *parent, const char *key, enum dec_need need, char **dst,
    struct result *r)
{
	char		 path[NOTICE_PATH_MAX];
	json_object	*v;

	if (dec_member(o, parent, key, json_type_string, need, &v, r) == -1)
		return -1;
	if (v == NULL)
		return 0;
	/* JSON allows \u0000; a C string would silently end there, so it is refused. */
	if ((size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v))) {
		dec_path(path, parent, key);
		return dec_fail(r, path, "contains a NUL character");
	}
	if ((*dst = strdup(json_object_get_string(v))) == NULL)
		return dec_nomem(r);
	return 0;
}

static int
dec_int64(json_object *o, const char *parent, const char *key, enum dec_need need,
    int64_t min, int64_t max, int64_t *dst, struct result *r)
{
	char		 path[NOTICE_PATH_MAX];
	json_object	*v;
	int64_t		 n;

	if (dec_member(o, parent, key, json_type_int, need, &v, r) == -1)
		return -1;
	if (v == NULL)
		return 0;
	n = json_object_get_int64(v);
	if (n < min || n > max) {
		dec_path(path, parent, key);
		return result_set(r, RESULT_INVALID, path, "payload: %s: %" PRId64 " is out of range",
		    path, n);
	}
	*dst = n;
	return 0;
}

static int
dec_int(json_object *o, const char *parent, const char *key, int *dst, struct result *r)
{
	int64_t	 n = 0;

	if (dec_int64(o, parent, key, DEC_REQUIRED, INT_MIN, INT_MAX, &n, r) == -1)
		return -1;
	*dst = (int)n;	/* in range: checked above */
	return 0;
}

static int
dec_percent(json_object *o, const char *parent, const char *key, int *has, double *dst,
    struct result *r)
{
	json_object	*v;

	if (dec_member(o, parent, key, json_type_double, DEC_OPTIONAL, &v, r) == -1)
		return -1;
	*has = v != NULL;
	*dst = v != NULL ? json_object_get_double(v) : 0;
	return 0;
}

/*
 * The array member key of o as *n zeroed elements of size each in *items
 * (NULL when empty); *arr is the JSON array, or NULL when optional and absent.
 */
static int
dec_array(json_object *o, const char *parent, const char *key, enum dec_need need,
    size_t size, json_object **arr, void **items, size_t *n, struct result *r)
{
	*items = NULL;
	*n = 0;
	if (dec_member(o, parent, key, json_type_array, need, arr, r) == -1)
		return -1;
	if (*arr == NULL || (*n = json_object_array_length(*arr)) == 0)
		return 0;
	if ((*items = calloc(*n, size)) == NULL) {
		*n = 0;
		return dec_nomem(r);
	}
	return 0;
}

/* Element i of arr, which must be an object; its path is written to path. */
static json_object *
dec_element(json_object *arr, const char *parent, const char *key, size_t i, char *path,
    struct result *r)
{
	json_object	*e = json_object_array_get_idx(arr, i);
	char		 base[NOTICE_PATH_MAX - 24];	/* room for "[index]" */

	dec_path_n(base, sizeof(base), parent, key);
	snprintf(path, NOTICE_PATH_MAX, "%s[%zu]", base, i);
	if (e == NULL || !json_object_is_type(e, json_type_object)) {
		dec_fail(r, path, "not an object");
		return NULL;
	}
	return e;
}

/* The scalar members of o (whose path is parent) into the struct at base, in m's order. */
static int
dec_members(json_object *o, const char *parent, void *base, const struct member *m, size_t n,
    struct result *r)
{
	int64_t	 v;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		switch (m[i].kind) {
		case MK_STR:
		case MK_SET:
			rc = dec_str(o, parent, m[i].key, m[i].need, MEMBER_AT(char *, base, m[i].off),
			    r);
			break;
		case MK_ID:
			rc = dec_int64(o, parent, m[i].key, m[i].need, INT64_MIN, INT64_MAX,
			    MEMBER_AT(int64_t, base, m[i].off), r);
			break;
		case MK_INT:
			rc = dec_int(o, parent, m[i].key, MEMBER_AT(int, base, m[i].off), r);
			break;
		case MK_FTOP:
			v = 0;
			rc = dec_int64(o, parent, m[i].key, DEC_OPTIONAL, 0, INT_MAX, &v, r);
			*MEMBER_AT(int, base, m[i].off) = (int)v;	/* in range: checked above */
			break;
		case MK_PERCENT:
			rc = dec_percent(o, parent, m[i].key, MEMBER_AT(int, base, m[i].has),
			    MEMBER_AT(double, base, m[i].off), r);
			break;
		}
	return rc;
}

/*
 * The array member key of o as *n structs of size bytes each in *items,
 * each element an object of the scalar members m[0..nm).  *items is set
 * before the elements are read: what was read is the caller's to free.
 */
static int
dec_list(json_object *o, const char *parent, const char *key, enum dec_need need, size_t size,
    const struct member *m, size_t nm, void **items, size_t *n, struct result *r)
{
	json_object	*arr, *e;
	char		 path[NOTICE_PATH_MAX];
	size_t		 i;

	if (dec_array(o, parent, key, need, size, &arr, items, n, r) == -1)
		return -1;
	for (i = 0; i < *n; i++)
		if ((e = dec_element(arr, parent, key, i, path, r)) == NULL ||
		    dec_members(e, path, (char *)*items + i * size, m, nm, r) == -1)
			return -1;
	return 0;
}

static int
dec_people(json_object *o, const char *parent, const char *key, enum dec_need need,
    struct notice_person **people, size_t *n, struct result *r)
{
	return dec_list(o, parent, key, need, sizeof(**people), MEMBERS(person_members),
	    (void **)people, n, r);
}

static int
dec_customer(json_object *p, int with_contacts, struct notice_customer *c, struct result *r)
{
	json_object	*o;

	if (dec_member(p, "", "customer", json_type_object, DEC_REQUIRED, &o, r) == -1 ||
	    dec_members(o, "customer", c, MEMBERS(customer_members), r) == -1)
		return -1;
	if (with_contacts)
		return dec_people(o, "customer", "contacts", DEC_OPTIONAL, &c->contacts,
		    &c->n_contacts, r);
	return 0;
}

/* services, blockers and next_action: members of o, whose path is parent. */
static int
dec_agenda(json_object *o, const char *parent, struct notice_agenda *a, struct result *r)
{
	struct notice_next_action	*na;
	json_object			*v;
	char				 path[NOTICE_PATH_MAX];

	if (dec_list(o, parent, "services", DEC_REQUIRED, sizeof(*a->services),
	    MEMBERS(service_members), (void **)&a->services, &a->n_services, r) == -1 ||
	    dec_list(o, parent, "blockers", DEC_REQUIRED, sizeof(*a->blockers),
	    MEMBERS(blocker_members), (void **)&a->blockers, &a->n_blockers, r) == -1 ||
	    dec_member(o, parent, "next_action", json_type_object, DEC_OPTIONAL, &v, r) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if ((na = a->next_action = calloc(1, sizeof(*na))) == NULL)
		return dec_nomem(r);
	dec_path(path, parent, "next_action");
	return dec_members(v, path, na, MEMBERS(next_action_members), r);
}

/*
 * The optional object member key of p as a new struct of size bytes at
 * *dst, its scalar members m[0..nm); *dst stays NULL when absent or null.
 */
static int
dec_optional(json_object *p, const char *key, size_t size, const struct member *m, size_t nm,
    void **dst, struct result *r)
{
	json_object	*o;

	if (dec_member(p, "", key, json_type_object, DEC_OPTIONAL, &o, r) == -1)
		return -1;
	if (o == NULL)
		return 0;
	if ((*dst = calloc(1, size)) == NULL)
		return dec_nomem(r);
	return dec_members(o, key, *dst, m, nm, r);
}

static int
dec_meeting(json_object *p, enum notice_kind kind, struct notice_meeting *m, struct result *r)
{
	json_object		*o, *agenda;
	const char		*want = kind == NOTICE_CANCEL ? "CANCEL" : "REQUEST";

	if (dec_str(p, "", "method", DEC_REQUIRED, &m->method, r) == -1)
		return -1;
	/* The row's kind and the payload's method say the same thing twice: they must agree. */
	if (strcmp(m->method, want) != 0)
		return result_set(r, RESULT_INVALID, "method",
		    "payload: method: %.16s in a %s notice, want %s", m->method,
		    notice_kind_names[kind], want);
	if (dec_customer(p, 0, &m->customer, r) == -1 ||
	    dec_member(p, "", "meeting", json_type_object, DEC_REQUIRED, &o, r) == -1 ||
	    dec_members(o, "meeting", &m->meeting, MEMBERS(series_members), r) == -1 ||
	    dec_list(o, "meeting", "exceptions", DEC_OPTIONAL, sizeof(*m->meeting.exceptions),
	    MEMBERS(occurrence_members), (void **)&m->meeting.exceptions,
	    &m->meeting.n_exceptions, r) == -1 ||
	    dec_people(p, "", "attendees", DEC_REQUIRED, &m->attendees, &m->n_attendees, r) == -1 ||
	    dec_optional(p, "occurrence", sizeof(*m->occurrence), MEMBERS(occurrence_members),
	    (void **)&m->occurrence, r) == -1 ||
	    dec_optional(p, "chair", sizeof(*m->chair), MEMBERS(person_members),
	    (void **)&m->chair, r) == -1 ||
	    dec_optional(p, "previous", sizeof(*m->previous), MEMBERS(schedule_members),
	    (void **)&m->previous, r) == -1)
		return -1;
	if (m->n_attendees == 0)
		return dec_fail(r, "attendees", "empty");
	if (dec_member(p, "", "agenda", json_type_object, DEC_REQUIRED, &agenda, r) == -1 ||
	    dec_agenda(agenda, "agenda", &m->agenda, r) == -1 ||
	    dec_str(p, "", "url", DEC_REQUIRED, &m->url, r) == -1)
		return -1;
	return 0;
}

static int
dec_handshake(json_object *p, struct notice_handshake *h, struct result *r)
{
	json_object	*o;

	if (dec_customer(p, 1, &h->customer, r) == -1 ||
	    dec_member(p, "", "csm", json_type_object, DEC_REQUIRED, &o, r) == -1 ||
	    dec_members(o, "csm", &h->csm, MEMBERS(person_members), r) == -1 ||
	    dec_agenda(p, "", &h->agenda, r) == -1 ||
	    dec_str(p, "", "url", DEC_REQUIRED, &h->url, r) == -1)
		return -1;
	if (h->agenda.n_services == 0)
		return dec_fail(r, "services", "empty");
	return 0;
}

int
notice_decode_json(json_object *payload, enum notice_kind kind, struct notice *n,
    struct result *r)
{
	int64_t	 version = 1;

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	if ((unsigned)kind >= NOTICE__MAX)
		return result_set(r, RESULT_INVALID, "kind", "unknown notice kind %d", (int)kind);
	if (payload == NULL || !json_object_is_type(payload, json_type_object))
		return result_set(r, RESULT_INVALID, "payload", "payload is not a JSON object");
	/* Rows queued before the member existed have no version: they are version 1. */
	if (dec_int64(payload, "", "version", DEC_OPTIONAL, INT_MIN, INT_MAX, &version, r) == -1)
		return -1;
	if (version < 1 || version > NOTICE_VERSION)
		return result_set(r, RESULT_INVALID, "version",
		    "payload: version: %" PRId64 " is not 1 to %d", version, NOTICE_VERSION);
	n->version = (int)version;
	if (kind == NOTICE_HANDSHAKE)
		return dec_handshake(payload, &n->handshake, r);
	return dec_meeting(payload, kind, &n->meeting, r);
}

int
notice_decode_meeting_json(json_object *payload, struct notice *n, struct result *r)
{
	json_object	*v;
	const char	*method = NULL;

	if (payload != NULL && json_object_object_get_ex(payload, "method", &v) &&
	    json_object_is_type(v, json_type_string))
		method = json_object_get_string(v);
	return notice_decode_json(payload, method != NULL && strcmp(method, "CANCEL") == 0 ?
	    NOTICE_CANCEL : NOTICE_INVITE, n, r);
}

int
notice_decode(const char *text, enum notice_kind kind, struct notice *n, struct result *r)
{
	json_object	*p;
	int		 rc;

	memset(n, 0, sizeof(*n));
	p = json_tokener_parse(text != NULL ? text : "");
	if (p == NULL || !json_object_is_type(p, json_type_object)) {
		json_object_put(p);
		return result_set(r, RESULT_INVALID, "payload", "payload is not a JSON object");
	}
	rc = notice_decode_json(p, kind, n, r);
	json_object_put(p);
	return rc;
}

int
notice_recipients_decode(const char *text, struct notice_person **people, size_t *n,
    struct result *r)
{
	json_object	*arr, *wrap;
	int		 rc;

	*people = NULL;
	*n = 0;
	arr = json_tokener_parse(text != NULL ? text : "");
	if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return dec_fail(r, "recipients", "not a JSON array");
	}
	/* One member of a wrapper object: the paths come out as "recipients[i].email". */
	if ((wrap = json_object_new_object()) == NULL ||
	    json_object_object_add(wrap, "recipients", arr) != 0) {
		json_object_put(wrap);
		json_object_put(arr);
		return dec_nomem(r);
	}
	rc = dec_people(wrap, "", "recipients", DEC_REQUIRED, people, n, r);
	json_object_put(wrap);
	if (rc == 0 && *n == 0)
		return dec_fail(r, "recipients", "empty");
	return rc;
}

int
notice_decode_row(const char *kind, const char *text, struct notice *n, struct result *r)
{
	enum notice_kind	 k;

	memset(n, 0, sizeof(*n));
	if (notice_kind_parse(kind, &k, r) == -1)
		return -1;
	return notice_decode(text, k, n, r);
}

/* ---- releasing ---- */

/* Free the string members of the struct at base, as table m[0..n) says. */
static void
free_members(void *base, const struct member *m, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (m[i].kind == MK_STR || m[i].kind == MK_SET)
			free(*MEMBER_AT(char *, base, m[i].off));
}

/* Free n structs of size bytes each at items (their string members), then items. */
static void
free_list(void *items, size_t n, size_t size, const struct member *m, size_t nm)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free_members((char *)items + i * size, m, nm);
	free(items);
}

void
notice_people_free(struct notice_person *p, size_t n)
{
	free_list(p, n, sizeof(*p), MEMBERS(person_members));
}

static void
free_customer(struct notice_customer *c)
{
	free_members(c, MEMBERS(customer_members));
	notice_people_free(c->contacts, c->n_contacts);
}

static void
free_agenda(struct notice_agenda *a)
{
	free_list(a->services, a->n_services, sizeof(*a->services), MEMBERS(service_members));
	free_list(a->blockers, a->n_blockers, sizeof(*a->blockers), MEMBERS(blocker_members));
	if (a->next_action != NULL)
		free_members(a->next_action, MEMBERS(next_action_members));
	free(a->next_action);
}

void
notice_free(struct notice *n)
{
	struct notice_meeting	*m;

	if (n == NULL)
		return;
	m = &n->meeting;
	free(m->method);
	free_customer(&m->customer);
	free_members(&m->meeting, MEMBERS(series_members));
	free_list(m->meeting.exceptions, m->meeting.n_exceptions, sizeof(*m->meeting.exceptions),
	    MEMBERS(occurrence_members));
	if (m->occurrence != NULL)
		free_members(m->occurrence, MEMBERS(occurrence_members));
	free(m->occurrence);
	if (m->chair != NULL)
		free_members(m->chair, MEMBERS(person_members));
	free(m->chair);
	if (m->previous != NULL)
		free_members(m->previous, MEMBERS(schedule_members));
	free(m->previous);
	notice_people_free(m->attendees, m->n_attendees);
	free_agenda(&m->agenda);
	free(m->url);
	free_customer(&n->handshake.customer);
	free_members(&n->handshake.csm, MEMBERS(person_members));
	free_agenda(&n->handshake.agenda);
	free(n->handshake.url);
	memset(n, 0, sizeof(*n));
}
