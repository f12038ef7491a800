/*
 * users.c -- the people who use ftsuccess (migration 9), and the operator's
 * database chores: the integrity check and the online backup.
 */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_impl.h"

/* A user row in USER_COLS order. */
#define USER_FIELD(w, k, m) STORE_COL_FIELD(struct store_user, w, k, m)
static const struct store_field user_fields[] = {
	USER_COLUMNS(USER_FIELD, STORE_SQL_NO_FIELD)
};

static STORE_ROW_READER(user_row, struct store_user, user_fields)

/* Bind a user (?1 id, ?2 login ... ?9 active, ?10 now) and run sql, an insert or an update. */
static int
user_write(struct store *st, const char *sql, const struct store_user *u, int64_t now,
    struct result *r, const char *what)
{
	const struct store_param p[] = { SP_INT(u->id), SP_TEXT(u->login),
	    SP_TEXT(u->display_name), SP_TEXT(u->email), SP_TEXT(u->role), SP_TEXT(u->language),
	    SP_TEXT(u->timezone), SP_TEXT(u->meeting_url), SP_INT(u->active ? 1 : 0), SP_INT(now) };
	sqlite3_stmt *s;

	if ((s = store_prep_bind(st, sql, p, SP_COUNT(p), r)) == NULL)
		return -1;
	return store_exec_unique(st, s, r, what, "login", "a user with login \"%s\" already exists",
	    u->login);
}

int
store_user_insert(struct store *st, struct store_user *u, int64_t now, struct result *r)
{
	if (user_write(st, "INSERT INTO users (login, display_name, email, role, language, timezone,"
	    " meeting_url, active, created_at, updated_at)"
	    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)", u, now, r, "insert user") == -1)
		return -1;
	u->id = sqlite3_last_insert_rowid(st->db);
	u->created_at = u->updated_at = now;
	return 0;
}

int
store_user_update(struct store *st, const struct store_user *u, int64_t now, struct result *r)
{
	/* ?2 (login) is bound but not written: a login never changes (a trigger says so too). */
	if (user_write(st, "UPDATE users SET display_name = ?3, email = ?4, role = ?5,"
	    " language = ?6, timezone = ?7, meeting_url = ?8, active = ?9, updated_at = ?10"
	    " WHERE id = ?1 AND login = ?2", u, now, r, "update user") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "login", "no user with login \"%s\"", u->login);
	return 0;
}

int
store_user_get_login(struct store *st, const char *login, struct store_user *u, struct result *r)
{
	const struct store_param p[] = { SP_TEXT(login) };

	return store_read_one(st, "SELECT " USER_COLS " FROM users WHERE login = ?1", p,
	    SP_COUNT(p), user_row, u, r, "read user", "login", "no user with login \"%s\"", login);
}

int
store_user_list(struct store *st, struct store_user **list, size_t *n, struct result *r)
{
	sqlite3_stmt *s;

	*list = NULL;
	*n = 0;
	if ((s = store_prep(st, "SELECT " USER_COLS " FROM users ORDER BY login", r)) == NULL)
		return -1;
	return store_collect(st, s, sizeof(**list), user_row, (void **)list, n, r, "list users");
}

/* ---------------------------------------------------------------- calendar feed tokens */

int
store_user_feed_set(struct store *st, int64_t user_id, const char *sha256_hex, int64_t now,
    struct result *r)
{
	const struct store_param p[] = { SP_INT(user_id), SP_TEXT(sha256_hex), SP_INT(now) };

	return store_run(st, "INSERT OR REPLACE INTO user_feed (user_id, token_sha256, created_at)"
	    " VALUES (?1, ?2, ?3)", p, SP_COUNT(p), r, "set feed token");
}

int
store_user_feed_clear(struct store *st, int64_t user_id, struct result *r)
{
	const struct store_param p[] = { SP_INT(user_id) };

	return store_run(st, "DELETE FROM user_feed WHERE user_id = ?1", p, SP_COUNT(p), r,
	    "revoke feed token");
}

int
store_user_feed_find(struct store *st, const char *sha256_hex, struct store_user *u,
    struct result *r)
{
	const struct store_param p[] = { SP_TEXT(sha256_hex) };

	/* The message never repeats the digest: it is as good as the token to a log reader. */
	return store_read_one(st, "SELECT " USER_COLS " FROM users WHERE active = 1 AND id ="
	    " (SELECT user_id FROM user_feed WHERE token_sha256 = ?1)", p, SP_COUNT(p), user_row, u,
	    r, "read feed user", "token", "%s", "no calendar feed with this address (revoked?)");
}

struct feed_since {
	int64_t	 created_at;
};
static const struct store_field feed_since_fields[] = {
	STORE_FIELD(INT, struct feed_since, created_at),
};
static STORE_ROW_READER(feed_since_row, struct feed_since, feed_since_fields)

int
store_user_feed_since(struct store *st, int64_t user_id, int64_t *created_at, struct result *r)
{
	const struct store_param p[] = { SP_INT(user_id) };
	struct feed_since	 f;
	struct result		 nr;

	*created_at = 0;
	result_clear(&nr);
	if (store_read_one(st, "SELECT created_at FROM user_feed WHERE user_id = ?1", p,
	    SP_COUNT(p), feed_since_row, &f, &nr, "read feed token", "token", "%s", "none") == -1) {
		if (nr.code == RESULT_NOTFOUND)
			return 0;
		*r = nr;
		return -1;
	}
	*created_at = f.created_at;
	return 0;
}

static const struct store_field blocker_count_fields[] = {
	STORE_FIELD(TEXT, struct store_blocker_count, owner_fm),
	STORE_FIELD(TEXT, struct store_blocker_count, l2_reason),
	STORE_FIELD(INT, struct store_blocker_count, n),
};
static STORE_ROW_READER(blocker_count_row, struct store_blocker_count, blocker_count_fields)

int
store_blocker_count_by_fm(struct store *st, struct store_blocker_count **list, size_t *n,
    struct result *r)
{
	sqlite3_stmt *s;

	*list = NULL;
	*n = 0;
	if ((s = store_prep(st, "SELECT c.owner_fm, b.l2_reason, count(*) FROM blocker b"
	    " JOIN customer c ON c.id = b.customer_id WHERE b.resolved_on = ''"
	    " GROUP BY c.owner_fm, b.l2_reason ORDER BY c.owner_fm, b.l2_reason", r)) == NULL)
		return -1;
	return store_collect(st, s, sizeof(**list), blocker_count_row, (void **)list, n, r,
	    "count blockers");
}

/* ---------------------------------------------------------------- the operator's chores */

int
store_integrity_check(struct store *st, char *why, size_t whysz, struct result *r)
{
	sqlite3_stmt	*s;
	const char	*line;
	int		 rc;

	snprintf(why, whysz, "%s", "");
	if ((s = store_prep(st, "PRAGMA integrity_check", r)) == NULL)
		return -1;
	rc = store_step(st, s);
	if (rc != SQLITE_ROW) {
		store_fail(st, r, "integrity check");
		sqlite3_reset(s);
		return -1;
	}
	line = (const char *)sqlite3_column_text(s, 0);
	snprintf(why, whysz, "%s", line != NULL ? line : "");
	sqlite3_reset(s);
	if (strcmp(why, "ok") != 0)
		return result_set(r, RESULT_STORAGE, "database", "store: %s fails its integrity check: %s",
		    st->path, why);
	return 0;
}

int
store_backup(struct store *st, const char *path, struct result *r)
{
	sqlite3		*dst = NULL;
	sqlite3_backup	*b;
	struct stat	 sb;
	int		 rc;

	if (path == NULL || *path == '\0')
		return result_set(r, RESULT_INVALID, "file", "backup: no file given");
	/* Never overwrite: an operator's typo must not replace the last good copy. */
	if (stat(path, &sb) == 0 || errno != ENOENT)
		return result_set(r, RESULT_INVALID, "file", "backup: %s already exists (or cannot "
		    "be checked); name a new file", path);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		result_set(r, RESULT_IO, "file", "backup: cannot create %s: %s", path,
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		return -1;
	}
	/*
	 * One step of all pages (-1) holds a read transaction for the whole
	 * copy, so the copy is one consistent snapshot even while the web
	 * workers and the notifier commit (WAL readers do not block writers).
	 */
	if ((b = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		result_set(r, RESULT_IO, "file", "backup: %s: %s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		result_set(r, RESULT_IO, "file", "backup: copy to %s failed: %s", path,
		    sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		result_set(r, RESULT_IO, "file", "backup: closing %s failed", path);
		dst = NULL;
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(dst);
	remove(path);
	return -1;
}

static void
audit_details_row(sqlite3_stmt *s, void *p)
{
	struct { char *out; size_t sz; } *o = p;

	store_col_text(s, 0, o->out, o->sz);
}

int
store_audit_last(struct store *st, const char *action, char *out, size_t outsz, struct result *r)
{
	const struct store_param p[] = { SP_TEXT(action) };
	struct { char *out; size_t sz; } o = { out, outsz };

	return store_read_one(st, "SELECT details FROM audit WHERE action = ?1 ORDER BY id DESC LIMIT 1",
	    p, SP_COUNT(p), audit_details_row, &o, r, "read audit", "action",
	    "no audit row for %s", action);
}
