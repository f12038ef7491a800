/*
 * roles.c -- who may do what (issue 11): the actor's role and ownership,
 * checked by every action itself, so a hidden button is only a courtesy.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "rules_impl.h"
#include "text.h"

static const char *const role_keys[PLAYBOOK_ROLE__MAX] = {
	[PLAYBOOK_ROLE_FM] = "fm",
	[PLAYBOOK_ROLE_MANAGER] = "manager",
	[PLAYBOOK_ROLE_ADMIN] = "admin",
};

const char *
playbook_role_key(enum playbook_role role)
{
	return (unsigned)role < PLAYBOOK_ROLE__MAX ? role_keys[role] : "fm";
}

int
playbook_role_parse(const char *key, enum playbook_role *out)
{
	int i = rules_key_index(role_keys, PLAYBOOK_ROLE__MAX, key);

	if (i == -1)
		return -1;
	*out = (enum playbook_role)i;
	return 0;
}

static int
owns(const struct playbook *pb, const struct store_customer *c)
{
	return pb->actor != NULL && strcmp(c->owner_fm, pb->actor) == 0;
}

int
playbook_may_see(const struct playbook *pb, const struct store_customer *c)
{
	return pb->role != PLAYBOOK_ROLE_FM || !pb->own_only || owns(pb, c);
}

int
playbook_may_change(const struct playbook *pb, const struct store_customer *c)
{
	return pb->role != PLAYBOOK_ROLE_FM || owns(pb, c);
}

int
playbook_need_role(const struct playbook *pb, enum playbook_role need, const char *what,
    struct result *r)
{
	if (pb->role >= need)
		return 0;
	return result_set(r, RESULT_FORBIDDEN, "role", "%s needs the %s role; %s is %s.", what,
	    playbook_role_key(need), pb->actor ? pb->actor : "you", playbook_role_key(pb->role));
}

int
rules_customer_access(const struct playbook *pb, const struct store_customer *c, int change,
    struct result *r)
{
	/* Not "forbidden": with visibility = own, others' customers do not exist for an FM. */
	if (!playbook_may_see(pb, c))
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, c->id);
	if (change && !playbook_may_change(pb, c))
		return result_set(r, RESULT_FORBIDDEN, "role", "Changing customer %s needs the "
		    "manager role or to be its FM (%s); %s is fm.", c->name, c->owner_fm,
		    pb->actor ? pb->actor : "you");
	return 0;
}

int
rules_customer_get(const struct playbook *pb, int64_t id, struct store_customer *c, int change,
    struct result *r)
{
	if (store_customer_get(pb->st, id, c, r) == -1)
		return -1;
	return rules_customer_access(pb, c, change, r);
}

int
playbook_customer_check(const struct playbook *pb, int64_t id, int change, struct result *r)
{
	struct store_customer c;

	return rules_customer_get(pb, id, &c, change, r);
}

int
rules_check_owner(const struct playbook *pb, const char *login, struct result *r)
{
	struct store_user	 u;
	struct result		 ur;

	if (store_user_get_login(pb->st, login, &u, &ur) == -1) {
		if (ur.code != RESULT_NOTFOUND) {
			*r = ur;
			return -1;
		}
		return result_set(r, RESULT_INVALID, "owner_fm", "owner_fm: \"%s\" is not a user "
		    "(an admin adds users: ftsuccess-admin user add)", login);
	}
	if (!u.active)
		return result_set(r, RESULT_INVALID, "owner_fm", "owner_fm: user \"%s\" is disabled",
		    login);
	return 0;
}

/* The user login (zeroed when there is none), for the FM a reassignment takes over from. */
static int
user_or_none(const struct playbook *pb, const char *login, struct store_user *u,
    struct result *r)
{
	if (store_user_get_login(pb->st, login, u, r) == 0)
		return 0;
	memset(u, 0, sizeof(*u));
	if (r->code != RESULT_NOTFOUND)
		return -1;
	result_clear(r);
	return 0;
}

/*
 * Series m changes hands from FM was to FM now: the series' link follows
 * the FM when it was the previous FM's own, everybody gets the update with
 * the new chair, and the previous FM a personal cancel of their own (the
 * removed-attendee path: the series goes on without them).
 */
static int
series_reassign(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const struct store_user *was, const struct store_user *now,
    struct result *r)
{
	struct store_person	 old;

	if (was->meeting_url[0] != '\0' && strcmp(m->meeting_url, was->meeting_url) == 0)
		text_copy(m->meeting_url, sizeof(m->meeting_url), now->meeting_url);
	if (rules_meeting_update_and_request(pb, c, m, r) == -1)
		return -1;
	if (was->email[0] == '\0' || strcasecmp(was->email, now->email) == 0)
		return 0;
	memset(&old, 0, sizeof(old));
	text_copy(old.name, sizeof(old.name), was->display_name);
	text_copy(old.email, sizeof(old.email), was->email);
	return rules_queue_meeting_mail(pb, c, m, "CANCEL", &old, 1, old.email, r);
}

int
rules_customer_reassign_tx(const struct playbook *pb, struct store_customer *c,
    const char *owner_fm, struct result *r)
{
	struct store_meeting	*list = NULL;
	struct store_user	 was, now;
	size_t			 n = 0, i;

	if (playbook_need_role(pb, PLAYBOOK_ROLE_MANAGER, "Reassigning a customer", r) == -1 ||
	    rules_check_field(r, &field_owner_fm, owner_fm, 1) == -1 ||
	    rules_check_owner(pb, owner_fm, r) == -1 ||
	    user_or_none(pb, c->owner_fm, &was, r) == -1 ||
	    user_or_none(pb, owner_fm, &now, r) == -1)
		return -1;
	text_copy(c->owner_fm, sizeof(c->owner_fm), owner_fm);
	if (store_customer_update(pb->st, c, pb->now, r) == -1 ||
	    store_meeting_list_active(pb->st, c->id, &list, &n, r) == -1)
		return -1;
	/* The series' FM changed: each gets its update (SEQUENCE + 1) through the usual path. */
	for (i = 0; i < n; i++)
		if (series_reassign(pb, c, &list[i], &was, &now, r) == -1)
			break;
	store_meeting_list_free(list, n);
	return i < n ? -1 : 0;
}

int
playbook_customer_reassign(const struct playbook *pb, int64_t id, const char *owner_fm,
    struct result *r)
{
	struct store_customer	 c;
	char			 from[sizeof(c.owner_fm)];

	if (playbook_need_role(pb, PLAYBOOK_ROLE_MANAGER, "Reassigning a customer", r) == -1 ||
	    rules_check_field(r, &field_owner_fm, owner_fm, 1) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_get(pb, id, &c, 1, r) == -1)
		return rules_rollback(pb);
	if (strcmp(c.owner_fm, owner_fm) == 0) {
		result_set(r, RESULT_CONFLICT, "owner_fm", "customer %s is already %s's", c.name,
		    owner_fm);
		return rules_rollback(pb);
	}
	text_copy(from, sizeof(from), c.owner_fm);
	if (rules_customer_reassign_tx(pb, &c, owner_fm, r) == -1 ||
	    rules_audit(pb, "customer.reassign", "customer", id, id,
	    rules_details("from", from, "to", owner_fm, (char *)NULL), r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}
