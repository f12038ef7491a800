/* tmpdb.c -- a database file in its own temporary directory for the store's unit tests. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "playbook.h"
#include "text.h"
#include "tmpdb.h"

int
tmpdb_make(const char *tag, char *dir, size_t dsize, char *path, size_t psize)
{
	int n;

	n = snprintf(dir, dsize, "/tmp/fts-%s-XXXXXX", tag);
	if (n < 0 || (size_t)n >= dsize || mkdtemp(dir) == NULL) {
		fprintf(stderr, "tmpdb: cannot make a directory for %s\n", tag);
		return -1;
	}
	n = snprintf(path, psize, "%s/t.db", dir);
	if (n < 0 || (size_t)n >= psize) {
		fprintf(stderr, "tmpdb: path too long in %s\n", dir);
		return -1;
	}
	return 0;
}

void
tmpdb_remove(const char *dir, const char *path)
{
	static const char *const suffix[] = { "-wal", "-shm" };
	char	 p[512];
	size_t	 i;

	unlink(path);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

int
tmpdb_fixture_new(void **state, size_t size, const char *tag, int open)
{
	struct tmpdb	*t;
	struct result	 r;
	const char	*why;

	if (size < sizeof(*t) || tmpdir_fixture_new(state, size, tag) == -1)
		return -1;
	t = *state;
	if (tmpdir_path(&t->tmp, "t.db", t->path, sizeof(t->path)) == -1)
		why = "the path is too long";
	else if (open && store_open(&t->st, t->path, &r) == -1)
		why = r.message;
	else if (open && tmpdb_user_add(t->st, "fm.ana", "fm") == -1)
		why = "cannot add the user fm.ana";
	else
		return 0;
	fprintf(stderr, "tmpdb: no database in %s: %s\n", t->tmp.dir, why);
	tmpdir_fixture_free(state);
	return -1;
}

int
tmpdb_fixture_free(void **state)
{
	/* The fixture's first member is its struct tmpdb (C11 6.7.2.1p15). */
	struct tmpdb *t = *state;

	if (t != NULL)
		store_close(t->st);
	return tmpdir_fixture_free(state);
}

void
tmpdb_customer_fill(struct store_customer *c, const char *name, const char *domain)
{
	memset(c, 0, sizeof(*c));
	text_copy(c->name, sizeof(c->name), name);
	text_copy(c->tenant_domain, sizeof(c->tenant_domain), domain);
	text_copy(c->timezone, sizeof(c->timezone), "UTC");
	text_copy(c->owner_fm, sizeof(c->owner_fm), "fm.ana");
	text_copy(c->phase, sizeof(c->phase), "execution");
	c->cadence_weeks = 2;
}

int64_t
tmpdb_customer_add(struct store *st, const char *name, const char *domain, const char *timezone,
    int64_t now)
{
	struct store_customer	 c;
	struct result		 r;

	tmpdb_customer_fill(&c, name, domain);
	text_copy(c.timezone, sizeof(c.timezone), timezone);
	if (store_customer_insert(st, &c, now, &r) == -1) {
		fprintf(stderr, "tmpdb: customer %s: %s\n", name, r.message);
		return -1;
	}
	return c.id;
}

int
tmpdb_user_add(struct store *st, const char *login, const char *role)
{
	struct store_user	 u;
	struct result		 r;

	playbook_user_defaults(&u, login);
	text_copy(u.role, sizeof(u.role), role);
	if (store_user_insert(st, &u, 1, &r) == -1) {
		fprintf(stderr, "tmpdb: user %s: %s\n", login, r.message);
		return -1;
	}
	return 0;
}
