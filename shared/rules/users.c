/*
 * users.c -- the people who use ftsuccess: adding and editing them (an
 * admin's job, on the web or through ftsuccess-admin) and who a login is
 * when a request arrives.  Every change has its audit row naming the actor.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules_impl.h"
#include "i18n.h"
#include "text.h"

/* The languages a user's pages and mail can be in, or "" (the browser's). */
static int
language_known(const char *v)
{
	return *v == '\0' || i18n_index(v) >= 0;
}

/*
 * An online-meeting link goes into invitations (LOCATION, the mail's
 * button): https only, a host, nothing that breaks out of an attribute or
 * a calendar line.
 */
static int
meeting_url_valid(const char *v)
{
	const char *p;

	if (strncmp(v, "https://", 8) != 0)
		return 0;
	p = v + 8;
	if (*p == '\0' || *p == '/' || *p == ':' || *p == '.')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("\"<>\\^`{|}", *p) != NULL)
			return 0;
	return 1;
}

int
rules_check_meeting_url(struct result *r, const char *v)
{
	if (rules_check_field(r, &field_user_meeting_url, v, 0) == -1)
		return -1;
	if (*v != '\0' && !meeting_url_valid(v))
		return result_set(r, RESULT_INVALID, "meeting_url", "meeting_url \"%.100s\" is not "
		    "an https:// link", v);
	return 0;
}

/* Check the given members of in (NULL = not given); add: login required. */
static int
check_user_input(const struct playbook_user_input *in, int add, struct result *r)
{
	enum playbook_role role;

	if ((add && rules_check_field(r, &field_user_login, in->login, 1) == -1) ||
	    (in->display_name && rules_check_field(r, &field_user_display_name, in->display_name,
	    1) == -1) ||
	    (in->email && rules_check_field(r, &field_user_email, in->email, 0) == -1) ||
	    (in->email && *in->email && rules_check_email(r, "email", in->email) == -1) ||
	    (in->meeting_url && rules_check_meeting_url(r, in->meeting_url) == -1))
		return -1;
	if (add && (strpbrk(in->login, " \t") != NULL))
		return result_set(r, RESULT_INVALID, "login", "login \"%s\" contains a space; give "
		    "the user name the web server passes as REMOTE_USER", in->login);
	if (in->role && playbook_role_parse(in->role, &role) == -1)
		return result_set(r, RESULT_INVALID, "role", "role \"%.40s\" is not fm, manager or "
		    "admin", in->role);
	if (in->language && !language_known(in->language))
		return result_set(r, RESULT_INVALID, "language", "language \"%.40s\" is not en, "
		    "pt-BR or empty (the browser's)", in->language);
	if (in->timezone && (rules_check_field(r, &field_user_timezone, in->timezone, 1) == -1 ||
	    !text_timezone_valid(in->timezone)))
		return result_set(r, RESULT_INVALID, "timezone", "timezone \"%.64s\" is not an IANA "
		    "time zone (e.g. America/Sao_Paulo)", in->timezone);
	if (in->active < -1 || in->active > 1)
		return result_set(r, RESULT_INVALID, "active", "active must be 0 or 1 (%d)",
		    in->active);
	return 0;
}

/* Copy the given members of in into u; the audit details d get each of them. */
static void
apply_user_input(struct store_user *u, const struct playbook_user_input *in, json_object *d)
{
	const struct { const char *key, *v; char *dst; size_t size; } m[] = {
		{ "display_name", in->display_name, u->display_name, sizeof(u->display_name) },
		{ "email", in->email, u->email, sizeof(u->email) },
		{ "role", in->role, u->role, sizeof(u->role) },
		{ "language", in->language, u->language, sizeof(u->language) },
		{ "timezone", in->timezone, u->timezone, sizeof(u->timezone) },
		{ "meeting_url", in->meeting_url, u->meeting_url, sizeof(u->meeting_url) },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (m[i].v == NULL)
			continue;
		text_copy(m[i].dst, m[i].size, m[i].v);
		json_object_object_add(d, m[i].key, rules_jstr(m[i].v));
	}
	if (in->active != -1) {
		u->active = in->active;
		json_object_object_add(d, "active", json_object_new_boolean(in->active));
	}
}

/* Insert u as the actor's change "action", with its audit row; *id when not NULL. */
static int
user_insert(const struct playbook *pb, struct store_user *u, const char *action,
    json_object *d, int64_t *id, struct result *r)
{
	if (rules_begin(pb, r) == -1) {
		json_object_put(d);
		return -1;
	}
	if (store_user_insert(pb->st, u, pb->now, r) == -1) {
		json_object_put(d);
		return rules_rollback(pb);
	}
	return rules_finish_create(pb, action, "user", u->id, 0, d, id, r);
}

void
playbook_user_defaults(struct store_user *u, const char *login)
{
	memset(u, 0, sizeof(*u));
	text_copy(u->login, sizeof(u->login), login);
	text_copy(u->display_name, sizeof(u->display_name), login);
	text_copy(u->role, sizeof(u->role), playbook_role_key(PLAYBOOK_ROLE_FM));
	u->language[0] = '\0';	/* the browser's, until the user picks one */
	text_copy(u->timezone, sizeof(u->timezone), "UTC");
	u->active = 1;
}

int
playbook_user_add(const struct playbook *pb, const struct playbook_user_input *in, int64_t *id,
    struct result *r)
{
	struct store_user	 u;
	json_object		*d;

	if (playbook_need_role(pb, PLAYBOOK_ROLE_ADMIN, "Adding a user", r) == -1 ||
	    check_user_input(in, 1, r) == -1)
		return -1;
	playbook_user_defaults(&u, in->login);
	d = rules_details("login", in->login, (char *)NULL);
	apply_user_input(&u, in, d);
	return user_insert(pb, &u, "user.add", d, id, r);
}

int
playbook_user_edit(const struct playbook *pb, const char *login,
    const struct playbook_user_input *in, struct result *r)
{
	struct store_user	 u;
	json_object		*d;

	if (playbook_need_role(pb, PLAYBOOK_ROLE_ADMIN, "Changing a user", r) == -1 ||
	    check_user_input(in, 0, r) == -1)
		return -1;
	if (in->login != NULL && login != NULL && strcmp(in->login, login) != 0)
		return result_set(r, RESULT_INVALID, "login", "a login cannot change (\"%s\" to "
		    "\"%s\"): add a user instead", login, in->login);
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_user_get_login(pb->st, login, &u, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	apply_user_input(&u, in, d);
	if (json_object_object_length(d) == 0) {
		json_object_put(d);
		result_set(r, RESULT_INVALID, "login", "nothing to change for user \"%s\"", login);
		return rules_rollback(pb);
	}
	if (store_user_update(pb->st, &u, pb->now, r) == -1) {
		json_object_put(d);
		return rules_rollback(pb);
	}
	if (rules_audit(pb, "user.edit", "user", u.id, 0, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

int
playbook_user_language(const struct playbook *pb, const char *language, struct result *r)
{
	struct store_user	 u;
	char			 change[64];

	if (pb->actor == NULL)
		return result_set(r, RESULT_FORBIDDEN, "role", "a language needs a signed-in user");
	if (!language_known(language))
		return result_set(r, RESULT_INVALID, "language", "language \"%.40s\" is not en, "
		    "pt-BR or empty (the browser's)", language);
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_user_get_login(pb->st, pb->actor, &u, r) == -1)
		return rules_rollback(pb);
	snprintf(change, sizeof(change), "%s -> %s", *u.language ? u.language : "browser",
	    *language ? language : "browser");
	text_copy(u.language, sizeof(u.language), language);
	if (store_user_update(pb->st, &u, pb->now, r) == -1 ||
	    rules_audit(pb, "user.language", "user", u.id, 0,
	    rules_details("language", change, (char *)NULL), r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

int
playbook_user_identify(const struct playbook *pb, const char *login, int provision,
    struct store_user *u, struct result *r)
{
	struct playbook	 self;
	struct result	 ur;

	if (store_user_get_login(pb->st, login, u, &ur) == 0) {
		if (u->active)
			return 0;
		return result_set(r, RESULT_FORBIDDEN, "login", "The user \"%s\" is disabled. Ask an "
		    "ftsuccess administrator to enable it (ftsuccess-admin user edit).", login);
	}
	if (ur.code != RESULT_NOTFOUND) {
		*r = ur;
		return -1;
	}
	if (!provision)
		return result_set(r, RESULT_FORBIDDEN, "login", "\"%s\" is not an ftsuccess user. Ask "
		    "an ftsuccess administrator to add you (ftsuccess-admin user add %s).", login,
		    login);
	/* A first visit under auth_autoprovision = fm: the newcomer is the actor of their own row. */
	playbook_user_defaults(u, login);
	self = *pb;
	self.actor = login;
	if (rules_check_field(r, &field_user_login, login, 1) == -1)
		return -1;
	return user_insert(&self, u, "user.autoprovision", rules_details("login", login,
	    "role", "fm", (char *)NULL), NULL, r);
}
