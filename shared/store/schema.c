/*
 * store.c -- SQLite behind the store.h interface: WAL, synchronous=FULL,
 * foreign keys, busy timeout, BEGIN IMMEDIATE for writes, statements prepared
 * once per process, numbered migrations at open.  Every statement binds its
 * parameters; errors come back as a struct result naming what failed.
 */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include <sqlite3.h>

#include "buf.h"
#include "store.h"

#define STORE_CACHE_MAX		128
#define STORE_BUSY_TIMEOUT_MS	5000

struct store_stmt {
	const char	*sql;		/* the literal at the call site: identity is the key */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	char			 path[1024];
	struct store_stmt	 cache[STORE_CACHE_MAX];
	size_t			 ncache;
	int			 in_tx;
	int64_t			 commits;	/* this connection's commits (data_version ignores them) */
};

/*
 * Migrations, applied in order from PRAGMA user_version.  Never edit one that
 * has shipped: add the next.  Dates are "YYYY-MM-DD" text (they compare and
 * sort as text); instants are Unix seconds.
 */
static const char *const migrations[] = {
	/* 1: the initial schema. */
	"CREATE TABLE customer ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	"  tenant_domain TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	"  timezone TEXT NOT NULL,"
	"  owner_fm TEXT NOT NULL,"
	"  csm_name TEXT NOT NULL DEFAULT '',"
	"  csm_email TEXT NOT NULL DEFAULT '',"
	"  phase TEXT NOT NULL DEFAULT 'execution'"
	"    CHECK (phase IN ('execution','success_review','closed')),"
	"  review_outcome TEXT NOT NULL DEFAULT '',"
	"  cadence_weeks INTEGER NOT NULL DEFAULT 2 CHECK (cadence_weeks BETWEEN 1 AND 4),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX customer_name ON customer(name COLLATE NOCASE);"
	"CREATE TABLE contact ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  receives_invites INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (customer_id, email));"
	"CREATE TABLE customer_service ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL,"
	"  intended INTEGER NOT NULL DEFAULT 1,"
	"  activated_on TEXT NOT NULL DEFAULT '',"
	"  licensed_users INTEGER NOT NULL DEFAULT -1,"
	"  target_percent REAL NOT NULL DEFAULT 10 CHECK (target_percent > 0 AND target_percent <= 100),"
	"  custom_metric TEXT NOT NULL DEFAULT '',"
	"  custom_metric_met INTEGER NOT NULL DEFAULT 0,"
	"  csm_led INTEGER NOT NULL DEFAULT 0,"
	"  adoption_program INTEGER NOT NULL DEFAULT 0,"
	"  accelerator INTEGER NOT NULL DEFAULT 0,"
	"  latest_on TEXT NOT NULL DEFAULT '',"
	"  latest_active INTEGER NOT NULL DEFAULT 0,"
	"  latest_eligible INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (customer_id, service));"
	"CREATE TABLE usage_sample ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL,"
	"  measured_on TEXT NOT NULL,"
	"  active_users INTEGER NOT NULL CHECK (active_users >= 0),"
	"  eligible_users INTEGER NOT NULL CHECK (eligible_users > 0),"
	"  source TEXT NOT NULL DEFAULT 'manual',"
	"  created_at INTEGER NOT NULL,"
	"  CHECK (active_users <= eligible_users),"
	"  UNIQUE (customer_id, service, measured_on));"
	"CREATE TABLE task ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  ftop_id INTEGER NOT NULL,"
	"  service TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),"
	"  required INTEGER NOT NULL DEFAULT 0,"
	"  due_on TEXT NOT NULL DEFAULT '',"
	"  done_by TEXT NOT NULL DEFAULT '',"
	"  done_at INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (customer_id, ftop_id));"
	"CREATE TABLE checkin ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  held_on TEXT NOT NULL,"
	"  held_by TEXT NOT NULL,"
	"  summary TEXT NOT NULL DEFAULT '',"
	"  next_action TEXT NOT NULL CHECK (length(next_action) > 0),"
	"  next_action_on TEXT NOT NULL CHECK (length(next_action_on) = 10),"
	"  next_action_owner TEXT NOT NULL CHECK (length(next_action_owner) > 0),"
	"  services TEXT NOT NULL DEFAULT '[]',"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX checkin_customer ON checkin(customer_id, held_on);"
	"CREATE TABLE meeting ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  starts_at TEXT NOT NULL,"
	"  timezone TEXT NOT NULL,"
	"  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),"
	"  every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 8),"
	"  attendees TEXT NOT NULL DEFAULT '[]',"
	"  services TEXT NOT NULL DEFAULT '[]',"
	"  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled')),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX meeting_customer ON meeting(customer_id, status);"
	"CREATE TABLE blocker ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL DEFAULT '',"
	"  l1_status TEXT NOT NULL DEFAULT 'blocked',"
	"  l2_reason TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL CHECK (length(description) > 0),"
	"  owner TEXT NOT NULL,"
	"  opened_on TEXT NOT NULL,"
	"  resolved_on TEXT NOT NULL DEFAULT '',"
	"  resolution TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX blocker_customer ON blocker(customer_id, resolved_on);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('invite','cancel','handshake')),"
	"  dedupe_key TEXT NOT NULL UNIQUE,"
	"  payload TEXT NOT NULL,"
	"  recipients TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sending','sent','dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  lease_owner TEXT NOT NULL DEFAULT '',"
	"  lease_until INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  smtp_reply TEXT NOT NULL DEFAULT '',"
	"  message_id TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
	"CREATE INDEX outbox_customer ON outbox(customer_id, id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  entity TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL,"
	"  customer_id INTEGER,"
	"  details TEXT NOT NULL DEFAULT '{}');"
	"CREATE INDEX audit_customer ON audit(customer_id, id);",
	/* 2: the portfolio's FM filter lists distinct owners without a scan. */
	"CREATE INDEX customer_owner ON customer(owner_fm);",
	/* 3: one row the health check rewrites: proof that a commit reaches the disk. */
	"CREATE TABLE health_probe ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  at INTEGER NOT NULL);"
	"INSERT INTO health_probe (id, at) VALUES (1, 0);",
	/*
	 * 4: each envelope recipient's own outcome, written once a message was
	 * tried: a 4xx to one attendee is retried for that attendee alone.
	 */
	"CREATE TABLE outbox_rcpt ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  state TEXT NOT NULL CHECK (state IN ('pending','sent','dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  reply TEXT NOT NULL DEFAULT '',"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (outbox_id, email));",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Columns holding 0/1 that the JSON reads turn into true/false. */
static const char *const bool_columns[] = {
	"intended", "csm_led", "adoption_program", "accelerator",
	"receives_invites", "required", "custom_metric_met", NULL,
};

/*
 * SQLite's default busy handler sleeps 1, 2, 5, 10 ... up to 100 ms between
 * tries.  A write here holds the lock for one short transaction and its
 * fsync, so a writer that waits once tends to sleep long after the lock was
 * free again: two web workers writing at once had a p99 ten times that of
 * one.  Short steady sleeps keep the wait close to the lock's real length,
 * with the same overall limit.
 */
#define STORE_BUSY_SLEEP_US	250

static int
store_busy(void *arg, int count)
{
	struct timespec ts = { 0, STORE_BUSY_SLEEP_US * 1000L };

	(void)arg;
	if ((long)count * STORE_BUSY_SLEEP_US >= STORE_BUSY_TIMEOUT_MS * 1000L)
		return 0;
	nanosleep(&ts, NULL);
	return 1;
}

/* ---------------------------------------------------------------- errors */

static int
fail(struct store *st, struct result *r, const char *what)
{
	int		 rc = sqlite3_extended_errcode(st->db);
	enum result_code code;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = RESULT_BUSY;
		break;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			code = RESULT_CONFLICT;
		else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			code = RESULT_NOTFOUND;
		else
			code = RESULT_INVALID;
		break;
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		/* The storage refuses writes (full, read-only, failing): may pass, unlike a bug. */
		code = rc == SQLITE_IOERR_NOMEM ? RESULT_IO : RESULT_STORAGE;
		break;
	default:
		code = RESULT_IO;
		break;
	}
	return result_set(r, code, NULL, "store: %s: %s (%s)", what,
	    sqlite3_errmsg(st->db), st->path);
}

/* ---------------------------------------------------------------- statements */

/*
 * The prepared statement for sql, reset and unbound.  Call sites pass string
 * literals, so pointer identity finds the cached statement without hashing.
 */
static sqlite3_stmt *
prep(struct store *st, const char *sql, struct result *r)
{
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql) {
			s = st->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		fail(st, r, "prepare");
		return NULL;
	}
	if (st->ncache < STORE_CACHE_MAX) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].stmt = s;
		st->ncache++;
	} else {
		/* Cannot happen with the statements below; keep working uncached. */
		sqlite3_finalize(s);
		result_set(r, RESULT_IO, NULL, "store: statement cache full");
		return NULL;
	}
	return s;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* Copy a text column into a fixed field, cut to fit (the schema's CHECKs keep values short). */
static void
col_text(sqlite3_stmt *s, int i, char *dst, size_t size)
{
	const unsigned char	*v = sqlite3_column_text(s, i);
	size_t			 n = v ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (n >= size) {
		/* Cut before a UTF-8 continuation byte so the result stays valid text. */
		n = size - 1;
		while (n > 0 && (v[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, v, n);
	dst[n] = '\0';
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	return strdup(v ? (const char *)v : "");
}

/* Run a statement that returns no rows. */
static int
exec_done(struct store *st, sqlite3_stmt *s, struct result *r, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fail(st, r, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

/* ---------------------------------------------------------------- open */

static int
exec_sql(struct store *st, const char *sql, struct result *r, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		result_set(r, RESULT_IO, NULL, "store: %s: %s (%s)", what,
		    msg ? msg : sqlite3_errmsg(st->db), st->path);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
pragma_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Apply pending migrations one at a time.  The version is read inside the
 * write transaction, so two processes opening a new database at once (the
 * web workers under mod_fcgid, the notifier) never apply the same step twice.
 */
static int
migrate(struct store *st, struct result *r)
{
	char	 sql[64];
	int	 version;

	for (;;) {
		if (exec_sql(st, "BEGIN IMMEDIATE", r, "begin migration") == -1)
			return -1;
		if (pragma_int(st, "PRAGMA user_version", &version) == -1) {
			fail(st, r, "read user_version");
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (version > NMIGRATIONS) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return result_set(r, RESULT_IO, NULL,
			    "store: %s has schema version %d, newer than this program (%d)",
			    st->path, version, NMIGRATIONS);
		}
		if (version == NMIGRATIONS)
			return exec_sql(st, "COMMIT", r, "end migrations");
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
		if (exec_sql(st, migrations[version], r, "apply migration") == -1 ||
		    exec_sql(st, sql, r, "set user_version") == -1 ||
		    exec_sql(st, "COMMIT", r, "commit migration") == -1) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
}

int
store_open(struct store **out, const char *path, struct result *r)
{
	struct store	*st;
	sqlite3_stmt	*s;
	const char	*mode;
	int		 ok, rc, tries;
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };	/* 10 ms, up to 5 s */

	*out = NULL;
	if (path == NULL || *path == '\0')
		return result_set(r, RESULT_INVALID, "database", "store: no database path given");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return result_set(r, RESULT_IO, NULL, "store: out of memory");
	snprintf(st->path, sizeof(st->path), "%s", path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		result_set(r, RESULT_IO, "database", "store: cannot open %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return -1;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, store_busy, st);

	/*
	 * WAL lets readers (page views, the notifier) run while one writer
	 * commits; synchronous=FULL syncs the WAL on every commit, so a write
	 * acknowledged to the user survives power loss (NORMAL would not).
	 */
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL) != SQLITE_OK) {
		fail(st, r, "set journal_mode");
		store_close(st);
		return -1;
	}
	/*
	 * Switching a new file to WAL needs an exclusive lock and SQLite does
	 * not call the busy handler for it: when several processes open a new
	 * database at once, the losers see SQLITE_BUSY and retry here.
	 */
	for (tries = 0; (rc = sqlite3_step(s)) == SQLITE_BUSY && tries < 500; tries++) {
		sqlite3_reset(s);
		nanosleep(&pause, NULL);
	}
	ok = rc == SQLITE_ROW;
	mode = ok ? (const char *)sqlite3_column_text(s, 0) : NULL;
	ok = mode != NULL && strcmp(mode, "wal") == 0;
	sqlite3_finalize(s);
	if (!ok) {
		result_set(r, RESULT_IO, "database",
		    "store: %s: cannot switch to WAL mode (%s)", path, sqlite3_errmsg(st->db));
		store_close(st);
		return -1;
	}
	if (exec_sql(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", r, "set pragmas") == -1 ||
	    migrate(st, r) == -1) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st);
}

int
store_schema_version(struct store *st)
{
	int v = -1;

	if (pragma_int(st, "PRAGMA user_version", &v) == -1)
		return -1;
	return v;
}

int
store_ping(struct store *st, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT count(*) FROM customer LIMIT 1", r)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return fail(st, r, "ping");
	return 0;
}

int
store_version(struct store *st, int64_t *version, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	/*
	 * PRAGMA data_version changes when another connection commits; this
	 * connection's own commits are counted apart.  Together they change
	 * whenever anything a read could see has changed.
	 */
	if ((s = prep(st, "PRAGMA data_version", r)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(st, r, "read data_version");
	}
	*version = (sqlite3_column_int64(s, 0) << 32) ^ st->commits;
	sqlite3_reset(s);
	return 0;
}

/* ---------------------------------------------------------------- transactions */

int
store_begin(struct store *st, struct result *r)
{
	sqlite3_stmt *s;

	if (st->in_tx)
		return result_set(r, RESULT_IO, NULL, "store: transaction already open");
	/*
	 * IMMEDIATE takes the write lock now, so a busy database is reported
	 * here (after busy_timeout) rather than as a failed upgrade mid-way.
	 */
	if ((s = prep(st, "BEGIN IMMEDIATE", r)) == NULL ||
	    exec_done(st, s, r, "begin") == -1)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "COMMIT", r)) == NULL || exec_done(st, s, r, "commit") == -1) {
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	st->commits++;
	return 0;
}

void
store_rollback(struct store *st)
{
	size_t i;

	/* Reset every cached statement so none holds a read lock across ROLLBACK. */
	for (i = 0; i < st->ncache; i++)
		sqlite3_reset(st->cache[i].stmt);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

long long
store_count(struct store *st, const char *table)
{
	static const char *const tables[] = {
		"customer", "contact", "customer_service", "usage_sample", "task",
		"checkin", "meeting", "blocker", "outbox", "audit", NULL,
	};
	char		 sql[96];
	sqlite3_stmt	*s;
	long long	 n = -1;
	size_t		 i;

	/* Only names from the schema reach the SQL text. */
	for (i = 0; tables[i] != NULL; i++)
		if (strcmp(tables[i], table) == 0)
			break;
	if (tables[i] == NULL)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* ---------------------------------------------------------------- customers */

#define CUSTOMER_COLS "id, name, tenant_domain, timezone, owner_fm, csm_name, csm_email, " \
	"phase, review_outcome, cadence_weeks, created_at"

static void
customer_row(sqlite3_stmt *s, struct store_customer *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, c->name, sizeof(c->name));
	col_text(s, 2, c->tenant_domain, sizeof(c->tenant_domain));
	col_text(s, 3, c->timezone, sizeof(c->timezone));
	col_text(s, 4, c->owner_fm, sizeof(c->owner_fm));
	col_text(s, 5, c->csm_name, sizeof(c->csm_name));
	col_text(s, 6, c->csm_email, sizeof(c->csm_email));
	col_text(s, 7, c->phase, sizeof(c->phase));
	col_text(s, 8, c->review_outcome, sizeof(c->review_outcome));
	c->cadence_weeks = sqlite3_column_int(s, 9);
	c->created_at = sqlite3_column_int64(s, 10);
}

int
store_customer_get(struct store *st, int64_t id, struct store_customer *c, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT " CUSTOMER_COLS " FROM customer WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		customer_row(s, c);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	return fail(st, r, "read customer");
}

int
store_customer_insert(struct store *st, struct store_customer *c, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO customer (name, tenant_domain, timezone, owner_fm,"
	    " csm_name, csm_email, phase, review_outcome, cadence_weeks, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)", r)) == NULL)
		return -1;
	bind_text(s, 1, c->name);
	bind_text(s, 2, c->tenant_domain);
	bind_text(s, 3, c->timezone);
	bind_text(s, 4, c->owner_fm);
	bind_text(s, 5, c->csm_name);
	bind_text(s, 6, c->csm_email);
	bind_text(s, 7, c->phase[0] ? c->phase : "execution");
	bind_text(s, 8, c->review_outcome);
	sqlite3_bind_int(s, 9, c->cadence_weeks > 0 ? c->cadence_weeks : 2);
	sqlite3_bind_int64(s, 10, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		if ((sqlite3_extended_errcode(st->db)) == SQLITE_CONSTRAINT_UNIQUE) {
			sqlite3_reset(s);
			return result_set(r, RESULT_CONFLICT, "tenant_domain",
			    "a customer with tenant domain \"%s\" already exists", c->tenant_domain);
		}
		fail(st, r, "insert customer");
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	c->id = sqlite3_last_insert_rowid(st->db);
	c->created_at = now;
	return 0;
}

int
store_customer_update(struct store *st, const struct store_customer *c, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE customer SET name = ?2, tenant_domain = ?3, timezone = ?4,"
	    " owner_fm = ?5, csm_name = ?6, csm_email = ?7, phase = ?8, review_outcome = ?9,"
	    " cadence_weeks = ?10, updated_at = ?11 WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->id);
	bind_text(s, 2, c->name);
	bind_text(s, 3, c->tenant_domain);
	bind_text(s, 4, c->timezone);
	bind_text(s, 5, c->owner_fm);
	bind_text(s, 6, c->csm_name);
	bind_text(s, 7, c->csm_email);
	bind_text(s, 8, c->phase);
	bind_text(s, 9, c->review_outcome);
	sqlite3_bind_int(s, 10, c->cadence_weeks);
	sqlite3_bind_int64(s, 11, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		if ((sqlite3_extended_errcode(st->db)) == SQLITE_CONSTRAINT_UNIQUE) {
			sqlite3_reset(s);
			return result_set(r, RESULT_CONFLICT, "tenant_domain",
			    "a customer with tenant domain \"%s\" already exists", c->tenant_domain);
		}
		fail(st, r, "update customer");
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, c->id);
	return 0;
}

/* ---------------------------------------------------------------- contacts */

static void
contact_row(sqlite3_stmt *s, struct store_contact *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->customer_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, c->name, sizeof(c->name));
	col_text(s, 3, c->email, sizeof(c->email));
	c->receives_invites = sqlite3_column_int(s, 4);
}

int
store_contact_insert(struct store *st, struct store_contact *c, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO contact (customer_id, name, email, receives_invites,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5)", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->customer_id);
	bind_text(s, 2, c->name);
	bind_text(s, 3, c->email);
	sqlite3_bind_int(s, 4, c->receives_invites ? 1 : 0);
	sqlite3_bind_int64(s, 5, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(st->db);

		sqlite3_reset(s);
		if (ext == SQLITE_CONSTRAINT_UNIQUE)
			return result_set(r, RESULT_CONFLICT, "email",
			    "this customer already has a contact with e-mail %s", c->email);
		if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			return result_set(r, RESULT_NOTFOUND, "id",
			    "no customer with id %" PRId64, c->customer_id);
		return fail(st, r, "insert contact");
	}
	sqlite3_reset(s);
	c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_contact_get(struct store *st, int64_t id, struct store_contact *c, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT id, customer_id, name, email, receives_invites"
	    " FROM contact WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		contact_row(s, c);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no contact with id %" PRId64, id);
	return fail(st, r, "read contact");
}

int
store_contact_update(struct store *st, const struct store_contact *c, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE contact SET name = ?2, email = ?3, receives_invites = ?4"
	    " WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->id);
	bind_text(s, 2, c->name);
	bind_text(s, 3, c->email);
	sqlite3_bind_int(s, 4, c->receives_invites ? 1 : 0);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(st->db);

		sqlite3_reset(s);
		if (ext == SQLITE_CONSTRAINT_UNIQUE)
			return result_set(r, RESULT_CONFLICT, "email",
			    "this customer already has a contact with e-mail %s", c->email);
		return fail(st, r, "update contact");
	}
	sqlite3_reset(s);
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no contact with id %" PRId64, c->id);
	return 0;
}

/*
 * Collect rows of a stepped statement into a malloc'd array of elements of
 * size esz, filled by fn.  Used by every *_list call.
 */
static int
collect(struct store *st, sqlite3_stmt *s, size_t esz, void (*fn)(sqlite3_stmt *, void *),
    void **list, size_t *n, struct result *r, const char *what)
{
	char	*arr = NULL, *p;
	size_t	 cap = 0, cnt = 0;
	int	 rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			if ((p = realloc(arr, cap * esz)) == NULL) {
				free(arr);
				sqlite3_reset(s);
				return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
			}
			arr = p;
		}
		fn(s, arr + cnt * esz);
		cnt++;
	}
	if (rc != SQLITE_DONE) {
		free(arr);
		fail(st, r, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	*list = arr;
	*n = cnt;
	return 0;
}

static void
contact_row_v(sqlite3_stmt *s, void *p)
{
	contact_row(s, p);
}

int
store_contact_list(struct store *st, int64_t customer_id, struct store_contact **list,
    size_t *n, struct result *r)
{
	sqlite3_stmt *s;

	*list = NULL;
	*n = 0;
	if ((s = prep(st, "SELECT id, customer_id, name, email, receives_invites"
	    " FROM contact WHERE customer_id = ?1 ORDER BY id", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	return collect(st, s, sizeof(**list), contact_row_v, (void **)list, n, r, "list contacts");
}

/* ---------------------------------------------------------------- services */

#define SERVICE_COLS "id, customer_id, service, intended, activated_on, licensed_users, " \
	"target_percent, custom_metric, custom_metric_met, csm_led, adoption_program, " \
	"accelerator, latest_on, latest_active, latest_eligible"

static void
service_row(sqlite3_stmt *s, void *p)
{
	struct store_service *v = p;

	memset(v, 0, sizeof(*v));
	v->id = sqlite3_column_int64(s, 0);
	v->customer_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, v->service, sizeof(v->service));
	v->intended = sqlite3_column_int(s, 3);
	col_text(s, 4, v->activated_on, sizeof(v->activated_on));
	v->licensed_users = sqlite3_column_int64(s, 5);
	v->target_percent = sqlite3_column_double(s, 6);
	col_text(s, 7, v->custom_metric, sizeof(v->custom_metric));
	v->custom_metric_met = sqlite3_column_int(s, 8);
	v->csm_led = sqlite3_column_int(s, 9);
	v->adoption_program = sqlite3_column_int(s, 10);
	v->accelerator = sqlite3_column_int(s, 11);
	col_text(s, 12, v->latest_on, sizeof(v->latest_on));
	v->latest_active = sqlite3_column_int64(s, 13);
	v->latest_eligible = sqlite3_column_int64(s, 14);
}

int
store_service_get(struct store *st, int64_t customer_id, const char *service,
    struct store_service *v, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT " SERVICE_COLS " FROM customer_service"
	    " WHERE customer_id = ?1 AND service = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	bind_text(s, 2, service);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		service_row(s, v);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "service",
		    "customer %" PRId64 " has no service \"%s\"", customer_id, service);
	return fail(st, r, "read service");
}

int
store_service_upsert(struct store *st, struct store_service *v, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO customer_service (customer_id, service, intended,"
	    " activated_on, licensed_users, target_percent, custom_metric, custom_metric_met,"
	    " csm_led, adoption_program, accelerator)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (customer_id, service) DO UPDATE SET intended = ?3,"
	    " activated_on = ?4, licensed_users = ?5, target_percent = ?6, custom_metric = ?7,"
	    " custom_metric_met = ?8, csm_led = ?9, adoption_program = ?10, accelerator = ?11"
	    " RETURNING id", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, v->customer_id);
	bind_text(s, 2, v->service);
	sqlite3_bind_int(s, 3, v->intended ? 1 : 0);
	bind_text(s, 4, v->activated_on);
	sqlite3_bind_int64(s, 5, v->licensed_users);
	sqlite3_bind_double(s, 6, v->target_percent > 0 ? v->target_percent : 10.0);
	bind_text(s, 7, v->custom_metric);
	sqlite3_bind_int(s, 8, v->custom_metric_met ? 1 : 0);
	sqlite3_bind_int(s, 9, v->csm_led ? 1 : 0);
	sqlite3_bind_int(s, 10, v->adoption_program ? 1 : 0);
	sqlite3_bind_int(s, 11, v->accelerator ? 1 : 0);
	if (sqlite3_step(s) != SQLITE_ROW) {
		int ext = sqlite3_extended_errcode(st->db);

		sqlite3_reset(s);
		if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			return result_set(r, RESULT_NOTFOUND, "id",
			    "no customer with id %" PRId64, v->customer_id);
		return fail(st, r, "write service");
	}
	v->id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
store_service_list(struct store *st, int64_t customer_id, struct store_service **list,
    size_t *n, struct result *r)
{
	sqlite3_stmt *s;

	*list = NULL;
	*n = 0;
	if ((s = prep(st, "SELECT " SERVICE_COLS " FROM customer_service"
	    " WHERE customer_id = ?1 ORDER BY id", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	return collect(st, s, sizeof(**list), service_row, (void **)list, n, r, "list services");
}

/* ---------------------------------------------------------------- usage */

int
store_usage_put(struct store *st, const struct store_usage *u, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO usage_sample (customer_id, service, measured_on,"
	    " active_users, eligible_users, source, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (customer_id, service, measured_on) DO UPDATE SET"
	    " active_users = ?4, eligible_users = ?5, source = ?6, created_at = ?7", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, u->customer_id);
	bind_text(s, 2, u->service);
	bind_text(s, 3, u->measured_on);
	sqlite3_bind_int64(s, 4, u->active_users);
	sqlite3_bind_int64(s, 5, u->eligible_users);
	bind_text(s, 6, u->source[0] ? u->source : "manual");
	sqlite3_bind_int64(s, 7, now);
	if (exec_done(st, s, r, "write usage sample") == -1)
		return -1;

	/* Keep the service's latest sample beside it: lists then need no extra query. */
	if ((s = prep(st, "UPDATE customer_service SET (latest_on, latest_active, latest_eligible) ="
	    " (SELECT measured_on, active_users, eligible_users FROM usage_sample"
	    "  WHERE customer_id = ?1 AND service = ?2 ORDER BY measured_on DESC LIMIT 1)"
	    " WHERE customer_id = ?1 AND service = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, u->customer_id);
	bind_text(s, 2, u->service);
	return exec_done(st, s, r, "refresh latest usage");
}

/* ---------------------------------------------------------------- tasks */

#define TASK_COLS "id, customer_id, ftop_id, service, status, required, due_on, done_by, done_at, note"

static void
task_row(sqlite3_stmt *s, struct store_task *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(s, 0);
	t->customer_id = sqlite3_column_int64(s, 1);
	t->ftop_id = sqlite3_column_int(s, 2);
	col_text(s, 3, t->service, sizeof(t->service));
	col_text(s, 4, t->status, sizeof(t->status));
	t->required = sqlite3_column_int(s, 5);
	col_text(s, 6, t->due_on, sizeof(t->due_on));
	col_text(s, 7, t->done_by, sizeof(t->done_by));
	t->done_at = sqlite3_column_int64(s, 8);
	col_text(s, 9, t->note, sizeof(t->note));
}

int
store_task_ensure(struct store *st, struct store_task *t, int64_t now, int *created, struct result *r)
{
	sqlite3_stmt *s;

	*created = 0;
	if ((s = prep(st, "INSERT INTO task (customer_id, ftop_id, service, status, required,"
	    " due_on, created_at) VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6)"
	    " ON CONFLICT (customer_id, ftop_id) DO NOTHING", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, t->customer_id);
	sqlite3_bind_int(s, 2, t->ftop_id);
	bind_text(s, 3, t->service);
	sqlite3_bind_int(s, 4, t->required ? 1 : 0);
	bind_text(s, 5, t->due_on);
	sqlite3_bind_int64(s, 6, now);
	if (exec_done(st, s, r, "create task") == -1)
		return -1;
	*created = sqlite3_changes(st->db) > 0;
	return store_task_get(st, t->customer_id, t->ftop_id, t, r);
}

int
store_task_get(struct store *st, int64_t customer_id, int ftop_id, struct store_task *t,
    struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT " TASK_COLS " FROM task WHERE customer_id = ?1 AND ftop_id = ?2",
	    r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	sqlite3_bind_int(s, 2, ftop_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		task_row(s, t);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "ftop_id",
		    "customer %" PRId64 " has no task %d", customer_id, ftop_id);
	return fail(st, r, "read task");
}

int
store_task_complete(struct store *st, int64_t customer_id, int ftop_id, const char *by,
    const char *note, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE task SET status = 'done', done_by = ?3, done_at = ?4, note = ?5"
	    " WHERE customer_id = ?1 AND ftop_id = ?2 AND status = 'open'", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	sqlite3_bind_int(s, 2, ftop_id);
	bind_text(s, 3, by);
	sqlite3_bind_int64(s, 4, now);
	bind_text(s, 5, note);
	if (exec_done(st, s, r, "complete task") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		struct store_task t;

		if (store_task_get(st, customer_id, ftop_id, &t, r) == -1)
			return -1;
		return result_set(r, RESULT_CONFLICT, "ftop_id",
		    "task %d of customer %" PRId64 " is already done", ftop_id, customer_id);
	}
	return 0;
}

/* ---------------------------------------------------------------- check-ins */

#define CHECKIN_COLS "id, customer_id, held_on, held_by, summary, next_action, " \
	"next_action_on, next_action_owner, services"

int
store_checkin_insert(struct store *st, struct store_checkin *c, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO checkin (customer_id, held_on, held_by, summary,"
	    " next_action, next_action_on, next_action_owner, services, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?8)", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->customer_id);
	bind_text(s, 2, c->held_on);
	bind_text(s, 3, c->held_by);
	bind_text(s, 4, c->summary);
	bind_text(s, 5, c->next_action);
	bind_text(s, 6, c->next_action_on);
	bind_text(s, 7, c->next_action_owner);
	sqlite3_bind_int64(s, 8, now);
	bind_text(s, 9, c->services[0] ? c->services : "[]");
	if (exec_done(st, s, r, "insert check-in") == -1)
		return -1;
	c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_checkin_latest(struct store *st, int64_t customer_id, struct store_checkin *c,
    struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT " CHECKIN_COLS " FROM checkin WHERE customer_id = ?1"
	    " ORDER BY held_on DESC, id DESC LIMIT 1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(s, 0);
		c->customer_id = sqlite3_column_int64(s, 1);
		col_text(s, 2, c->held_on, sizeof(c->held_on));
		col_text(s, 3, c->held_by, sizeof(c->held_by));
		col_text(s, 4, c->summary, sizeof(c->summary));
		col_text(s, 5, c->next_action, sizeof(c->next_action));
		col_text(s, 6, c->next_action_on, sizeof(c->next_action_on));
		col_text(s, 7, c->next_action_owner, sizeof(c->next_action_owner));
		col_text(s, 8, c->services, sizeof(c->services));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, NULL,
		    "customer %" PRId64 " has no check-in yet", customer_id);
	return fail(st, r, "read latest check-in");
}

/* ---------------------------------------------------------------- meetings */

#define MEETING_COLS "id, customer_id, uid, sequence, starts_at, timezone, duration_minutes, " \
	"every_weeks, attendees, services, status"

void
store_meeting_free(struct store_meeting *m)
{
	if (m == NULL)
		return;
	free(m->attendees);
	free(m->services);
	m->attendees = m->services = NULL;
}

static void
meeting_row(sqlite3_stmt *s, void *p)
{
	struct store_meeting *m = p;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->customer_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, m->uid, sizeof(m->uid));
	m->sequence = sqlite3_column_int(s, 3);
	col_text(s, 4, m->starts_at, sizeof(m->starts_at));
	col_text(s, 5, m->timezone, sizeof(m->timezone));
	m->duration_minutes = sqlite3_column_int(s, 6);
	m->every_weeks = sqlite3_column_int(s, 7);
	m->attendees = col_dup(s, 8);
	m->services = col_dup(s, 9);
	col_text(s, 10, m->status, sizeof(m->status));
}

int
store_meeting_insert(struct store *st, struct store_meeting *m, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO meeting (customer_id, uid, sequence, starts_at, timezone,"
	    " duration_minutes, every_weeks, attendees, services, status, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->customer_id);
	bind_text(s, 2, m->uid);
	sqlite3_bind_int(s, 3, m->sequence);
	bind_text(s, 4, m->starts_at);
	bind_text(s, 5, m->timezone);
	sqlite3_bind_int(s, 6, m->duration_minutes);
	sqlite3_bind_int(s, 7, m->every_weeks);
	bind_text(s, 8, m->attendees ? m->attendees : "[]");
	bind_text(s, 9, m->services ? m->services : "[]");
	bind_text(s, 10, m->status[0] ? m->status : "scheduled");
	sqlite3_bind_int64(s, 11, now);
	if (exec_done(st, s, r, "insert meeting") == -1)
		return -1;
	m->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_meeting_get(struct store *st, int64_t id, struct store_meeting *m, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(m, 0, sizeof(*m));
	if ((s = prep(st, "SELECT " MEETING_COLS " FROM meeting WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		meeting_row(s, m);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW) {
		if (m->attendees == NULL || m->services == NULL) {
			store_meeting_free(m);
			return result_set(r, RESULT_IO, NULL, "store: read meeting: out of memory");
		}
		return 0;
	}
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no meeting with id %" PRId64, id);
	return fail(st, r, "read meeting");
}

int
store_meeting_update(struct store *st, const struct store_meeting *m, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE meeting SET sequence = ?2, starts_at = ?3, timezone = ?4,"
	    " duration_minutes = ?5, every_weeks = ?6, attendees = ?7, services = ?8, status = ?9,"
	    " updated_at = ?10 WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->id);
	sqlite3_bind_int(s, 2, m->sequence);
	bind_text(s, 3, m->starts_at);
	bind_text(s, 4, m->timezone);
	sqlite3_bind_int(s, 5, m->duration_minutes);
	sqlite3_bind_int(s, 6, m->every_weeks);
	bind_text(s, 7, m->attendees ? m->attendees : "[]");
	bind_text(s, 8, m->services ? m->services : "[]");
	bind_text(s, 9, m->status);
	sqlite3_bind_int64(s, 10, now);
	if (exec_done(st, s, r, "update meeting") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no meeting with id %" PRId64, m->id);
	return 0;
}

int
store_meeting_list_active(struct store *st, int64_t customer_id, struct store_meeting **list,
    size_t *n, struct result *r)
{
	sqlite3_stmt	*s;
	size_t		 i;

	*list = NULL;
	*n = 0;
	if ((s = prep(st, "SELECT " MEETING_COLS " FROM meeting WHERE customer_id = ?1"
	    " AND status = 'scheduled' ORDER BY id", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	if (collect(st, s, sizeof(**list), meeting_row, (void **)list, n, r, "list meetings") == -1)
		return -1;
	for (i = 0; i < *n; i++)
		if ((*list)[i].attendees == NULL || (*list)[i].services == NULL)
			break;
	if (i < *n) {
		for (i = 0; i < *n; i++)
			store_meeting_free(&(*list)[i]);
		free(*list);
		*list = NULL;
		*n = 0;
		return result_set(r, RESULT_IO, NULL, "store: list meetings: out of memory");
	}
	return 0;
}

/* ---------------------------------------------------------------- blockers */

int
store_blocker_insert(struct store *st, struct store_blocker *b, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO blocker (customer_id, service, l1_status, l2_reason,"
	    " description, owner, opened_on, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, b->customer_id);
	bind_text(s, 2, b->service);
	bind_text(s, 3, b->l1_status[0] ? b->l1_status : "blocked");
	bind_text(s, 4, b->l2_reason);
	bind_text(s, 5, b->description);
	bind_text(s, 6, b->owner);
	bind_text(s, 7, b->opened_on);
	sqlite3_bind_int64(s, 8, now);
	if (exec_done(st, s, r, "insert blocker") == -1)
		return -1;
	b->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

#define BLOCKER_COLS "id, customer_id, service, l1_status, l2_reason, description, owner, " \
	"opened_on, resolved_on, resolution"

static void
blocker_row(sqlite3_stmt *s, void *p)
{
	struct store_blocker *b = p;

	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(s, 0);
	b->customer_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, b->service, sizeof(b->service));
	col_text(s, 3, b->l1_status, sizeof(b->l1_status));
	col_text(s, 4, b->l2_reason, sizeof(b->l2_reason));
	col_text(s, 5, b->description, sizeof(b->description));
	col_text(s, 6, b->owner, sizeof(b->owner));
	col_text(s, 7, b->opened_on, sizeof(b->opened_on));
	col_text(s, 8, b->resolved_on, sizeof(b->resolved_on));
	col_text(s, 9, b->resolution, sizeof(b->resolution));
}

int
store_blocker_get(struct store *st, int64_t id, struct store_blocker *b, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT " BLOCKER_COLS " FROM blocker WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		blocker_row(s, b);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no blocker with id %" PRId64, id);
	return fail(st, r, "read blocker");
}

int
store_blocker_list_open(struct store *st, int64_t customer_id, struct store_blocker **list,
    size_t *n, struct result *r)
{
	sqlite3_stmt *s;

	*list = NULL;
	*n = 0;
	if ((s = prep(st, "SELECT " BLOCKER_COLS " FROM blocker WHERE customer_id = ?1"
	    " AND resolved_on = '' ORDER BY opened_on DESC, id DESC", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	return collect(st, s, sizeof(**list), blocker_row, (void **)list, n, r, "list open blockers");
}

int
store_blocker_resolve(struct store *st, int64_t id, const char *on, const char *resolution,
    int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE blocker SET resolved_on = ?2, resolution = ?3, updated_at = ?4"
	    " WHERE id = ?1 AND resolved_on = ''", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, on);
	bind_text(s, 3, resolution);
	sqlite3_bind_int64(s, 4, now);
	if (exec_done(st, s, r, "resolve blocker") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		struct store_blocker b;

		if (store_blocker_get(st, id, &b, r) == -1)
			return -1;
		return result_set(r, RESULT_CONFLICT, "id",
		    "blocker %" PRId64 " was already resolved on %s", id, b.resolved_on);
	}
	return 0;
}

/* ---------------------------------------------------------------- audit */

int
store_audit_insert(struct store *st, int64_t now, const char *actor, const char *action,
    const char *entity, int64_t entity_id, int64_t customer_id, const char *details,
    struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "INSERT INTO audit (at, actor, action, entity, entity_id, customer_id,"
	    " details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	bind_text(s, 2, actor);
	bind_text(s, 3, action);
	bind_text(s, 4, entity);
	sqlite3_bind_int64(s, 5, entity_id);
	if (customer_id > 0)
		sqlite3_bind_int64(s, 6, customer_id);
	else
		sqlite3_bind_null(s, 6);
	bind_text(s, 7, details ? details : "{}");
	return exec_done(st, s, r, "insert audit row");
}

/* ---------------------------------------------------------------- outbox */

int
store_outbox_insert(struct store *st, const struct store_outbox_new *o, int64_t now,
    int *inserted, struct result *r)
{
	sqlite3_stmt *s;

	*inserted = 0;
	/* DO NOTHING on the dedupe key: queuing the same message twice is a no-op, not an error. */
	if ((s = prep(st, "INSERT INTO outbox (customer_id, kind, dedupe_key, payload, recipients,"
	    " state, next_attempt_at, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6, ?6)"
	    " ON CONFLICT (dedupe_key) DO NOTHING", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, o->customer_id);
	bind_text(s, 2, o->kind);
	bind_text(s, 3, o->dedupe_key);
	bind_text(s, 4, o->payload);
	bind_text(s, 5, o->recipients);
	sqlite3_bind_int64(s, 6, now);
	if (exec_done(st, s, r, "queue message") == -1)
		return -1;
	*inserted = sqlite3_changes(st->db) > 0;
	return 0;
}

void
store_outbox_row_free(struct store_outbox_row *row)
{
	if (row == NULL)
		return;
	free(row->payload);
	free(row->recipients);
	row->payload = row->recipients = NULL;
}

#define OUTBOX_COLS "id, customer_id, kind, dedupe_key, payload, recipients, state, " \
	"attempts, created_at, next_attempt_at, message_id"

static void
outbox_row(sqlite3_stmt *s, struct store_outbox_row *o)
{
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(s, 0);
	o->customer_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, o->kind, sizeof(o->kind));
	col_text(s, 3, o->dedupe_key, sizeof(o->dedupe_key));
	o->payload = col_dup(s, 4);
	o->recipients = col_dup(s, 5);
	col_text(s, 6, o->state, sizeof(o->state));
	o->attempts = sqlite3_column_int(s, 7);
	o->created_at = sqlite3_column_int64(s, 8);
	o->next_attempt_at = sqlite3_column_int64(s, 9);
	col_text(s, 10, o->message_id, sizeof(o->message_id));
}

int
store_outbox_get(struct store *st, int64_t id, struct store_outbox_row *row, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = prep(st, "SELECT " OUTBOX_COLS " FROM outbox WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		outbox_row(s, row);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW) {
		if (row->payload == NULL || row->recipients == NULL) {
			store_outbox_row_free(row);
			return result_set(r, RESULT_IO, NULL, "store: read outbox row: out of memory");
		}
		return 0;
	}
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no outbox message with id %" PRId64, id);
	return fail(st, r, "read outbox row");
}

int
store_outbox_claim(struct store *st, const char *owner, int64_t now, int lease_seconds,
    const char *msgid_domain, size_t max, struct store_outbox_row **rows, size_t *n,
    struct result *r)
{
	sqlite3_stmt	*s;
	int64_t		*ids = NULL;
	size_t		 nids = 0, i;
	int		 rc;

	*rows = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if ((ids = calloc(max, sizeof(*ids))) == NULL)
		return result_set(r, RESULT_IO, NULL, "store: claim: out of memory");
	if (store_begin(st, r) == -1) {
		free(ids);
		return -1;
	}
	/*
	 * Due rows whose customer has no earlier unsent row: messages of one
	 * customer go out in the order they were queued, so a reschedule never
	 * reaches a calendar before the request it updates.
	 */
	if ((s = prep(st, "SELECT o.id FROM outbox o"
	    " WHERE ((o.state = 'queued' AND o.next_attempt_at <= ?1)"
	    "     OR (o.state = 'sending' AND o.lease_until <= ?1))"
	    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.customer_id = o.customer_id"
	    "     AND p.id < o.id AND p.state IN ('queued','sending'))"
	    " ORDER BY o.id LIMIT ?2", r)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && nids < max)
		ids[nids++] = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		fail(st, r, "find due messages");
		sqlite3_reset(s);
		goto fail;
	}
	sqlite3_reset(s);
	if (nids == 0) {
		free(ids);
		return store_commit(st, r);
	}
	if ((*rows = calloc(nids, sizeof(**rows))) == NULL) {
		result_set(r, RESULT_IO, NULL, "store: claim: out of memory");
		goto fail;
	}
	for (i = 0; i < nids; i++) {
		/* RFC 5322 3.6.4: unique left part (id + 64 random bits), the sender's domain. */
		if ((s = prep(st, "UPDATE outbox SET state = 'sending', lease_owner = ?2,"
		    " lease_until = ?3, attempts = attempts + 1, updated_at = ?4,"
		    " message_id = CASE WHEN message_id = '' AND ?5 IS NOT NULL"
		    "   THEN '<ftsuccess.' || id || '.' || lower(hex(randomblob(8))) || '@' || ?5 || '>'"
		    "   ELSE message_id END"
		    " WHERE id = ?1 RETURNING " OUTBOX_COLS, r)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, ids[i]);
		bind_text(s, 2, owner);
		sqlite3_bind_int64(s, 3, now + lease_seconds);
		sqlite3_bind_int64(s, 4, now);
		if (msgid_domain != NULL && *msgid_domain != '\0')
			bind_text(s, 5, msgid_domain);
		else
			sqlite3_bind_null(s, 5);
		if (sqlite3_step(s) != SQLITE_ROW) {
			fail(st, r, "lease message");
			sqlite3_reset(s);
			goto fail;
		}
		outbox_row(s, &(*rows)[i]);
		sqlite3_reset(s);
		*n = i + 1;
		if ((*rows)[i].payload == NULL || (*rows)[i].recipients == NULL) {
			result_set(r, RESULT_IO, NULL, "store: claim: out of memory");
			goto fail;
		}
	}
	/*
	 * A failed COMMIT (disk full, I/O error, read-only file) has already
	 * rolled back: the rows stay due, and everything is released once.
	 */
	if (store_commit(st, r) == -1)
		goto fail_committed;
	free(ids);
	return 0;
fail:
	store_rollback(st);
fail_committed:
	free(ids);
	for (i = 0; i < *n; i++)
		store_outbox_row_free(&(*rows)[i]);
	free(*rows);
	*rows = NULL;
	*n = 0;
	return -1;
}

static void
outbox_row_v(sqlite3_stmt *s, void *p)
{
	outbox_row(s, p);
}

int
store_outbox_list_due(struct store *st, int64_t now, size_t max,
    struct store_outbox_row **rows, size_t *n, struct result *r)
{
	sqlite3_stmt	*s;
	size_t		 i;

	*rows = NULL;
	*n = 0;
	if ((s = prep(st, "SELECT " OUTBOX_COLS " FROM outbox o"
	    " WHERE (o.state = 'queued' AND o.next_attempt_at <= ?1)"
	    "    OR (o.state = 'sending' AND o.lease_until <= ?1)"
	    " ORDER BY o.id LIMIT ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	if (collect(st, s, sizeof(**rows), outbox_row_v, (void **)rows, n, r, "list due messages") == -1)
		return -1;
	for (i = 0; i < *n; i++)
		if ((*rows)[i].payload == NULL || (*rows)[i].recipients == NULL)
			break;
	if (i < *n) {
		for (i = 0; i < *n; i++)
			store_outbox_row_free(&(*rows)[i]);
		free(*rows);
		*rows = NULL;
		*n = 0;
		return result_set(r, RESULT_IO, NULL, "store: list due messages: out of memory");
	}
	return 0;
}

/* Apply an update that only the lease holder may make. */
static int
outbox_leased_update(struct store *st, sqlite3_stmt *s, int64_t id, const char *owner,
    struct result *r, const char *what)
{
	if (exec_done(st, s, r, what) == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_CONFLICT, "id",
		    "outbox message %" PRId64 " is not leased to %s (lease expired?)", id, owner);
	return 0;
}

int
store_outbox_set_message_id(struct store *st, int64_t id, const char *owner,
    const char *message_id, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE outbox SET message_id = ?3 WHERE id = ?1"
	    " AND state = 'sending' AND lease_owner = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, owner);
	bind_text(s, 3, message_id);
	return outbox_leased_update(st, s, id, owner, r, "set Message-ID");
}

int
store_outbox_mark_sent(struct store *st, int64_t id, const char *owner, int64_t now,
    const char *smtp_reply, const char *note, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE outbox SET state = 'sent', sent_at = ?3, updated_at = ?3,"
	    " smtp_reply = ?4, last_error = ?5, lease_owner = '', lease_until = 0"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, owner);
	sqlite3_bind_int64(s, 3, now);
	bind_text(s, 4, smtp_reply);
	bind_text(s, 5, note);
	return outbox_leased_update(st, s, id, owner, r, "mark sent");
}

int
store_outbox_mark_retry(struct store *st, int64_t id, const char *owner, int64_t now,
    int64_t next_attempt_at, const char *error, const char *smtp_reply, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE outbox SET state = 'queued', next_attempt_at = ?4,"
	    " updated_at = ?3, last_error = ?5, smtp_reply = ?6, lease_owner = '', lease_until = 0"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, owner);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, next_attempt_at);
	bind_text(s, 5, error);
	bind_text(s, 6, smtp_reply);
	return outbox_leased_update(st, s, id, owner, r, "schedule retry");
}

int
store_outbox_mark_dead(struct store *st, int64_t id, const char *owner, int64_t now,
    const char *error, const char *smtp_reply, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "UPDATE outbox SET state = 'dead', updated_at = ?3, last_error = ?4,"
	    " smtp_reply = ?5, lease_owner = '', lease_until = 0"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, owner);
	sqlite3_bind_int64(s, 3, now);
	bind_text(s, 4, error);
	bind_text(s, 5, smtp_reply);
	return outbox_leased_update(st, s, id, owner, r, "mark dead");
}

int
store_outbox_requeue(struct store *st, int64_t id, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	/* The caller's transaction (the playbook's) holds both updates together. */
	if ((s = prep(st, "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2,"
	    " created_at = ?2, updated_at = ?2 WHERE id = ?1 AND (state = 'dead'"
	    " OR (state = 'sent' AND EXISTS (SELECT 1 FROM outbox_rcpt"
	    "     WHERE outbox_id = ?1 AND state = 'dead')))", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	if (exec_done(st, s, r, "requeue message") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		struct store_outbox_row row;

		if (store_outbox_get(st, id, &row, r) == -1)
			return -1;
		result_set(r, RESULT_CONFLICT, "id",
		    "outbox message %" PRId64 " is %s, only a dead message or one with dead"
		    " recipients can be retried", id, row.state);
		store_outbox_row_free(&row);
		return -1;
	}
	if ((s = prep(st, "UPDATE outbox_rcpt SET state = 'pending', updated_at = ?2"
	    " WHERE outbox_id = ?1 AND state = 'dead'", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return exec_done(st, s, r, "requeue recipients");
}

int
store_outbox_renew(struct store *st, int64_t id, const char *owner, int64_t until,
    struct result *r)
{
	sqlite3_stmt *s;

	/* Never shortens a lease: a renewal is a promise that the owner is alive. */
	if ((s = prep(st, "UPDATE outbox SET lease_until = max(lease_until, ?3)"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, owner);
	sqlite3_bind_int64(s, 3, until);
	return outbox_leased_update(st, s, id, owner, r, "renew lease");
}

static const char *const rcpt_states[] = { "pending", "sent", "dead" };

int
store_outbox_rcpt_list(struct store *st, int64_t id, struct store_outbox_rcpt **list,
    size_t *n, struct result *r)
{
	sqlite3_stmt		*s;
	struct store_outbox_rcpt *l = NULL, *p;
	size_t			 cap = 0, k;
	const char		*state;
	int			 rc;

	*list = NULL;
	*n = 0;
	if ((s = prep(st, "SELECT email, state, attempts, reply FROM outbox_rcpt"
	    " WHERE outbox_id = ?1 ORDER BY rowid", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((p = realloc(l, cap * sizeof(*l))) == NULL) {
				sqlite3_reset(s);
				free(l);
				*n = 0;
				return result_set(r, RESULT_IO, NULL, "store: list recipients: out of memory");
			}
			l = p;
		}
		p = &l[(*n)++];
		memset(p, 0, sizeof(*p));
		col_text(s, 0, p->email, sizeof(p->email));
		state = (const char *)sqlite3_column_text(s, 1);
		for (k = 0; k < 3; k++)
			if (state != NULL && strcmp(state, rcpt_states[k]) == 0)
				p->state = (enum store_rcpt_state)k;
		p->attempts = sqlite3_column_int(s, 2);
		col_text(s, 3, p->reply, sizeof(p->reply));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(l);
		*n = 0;
		return fail(st, r, "list recipients");
	}
	*list = l;
	return 0;
}

int
store_outbox_finish(struct store *st, int64_t id, const char *owner, int64_t now,
    const struct store_outbox_finish *f, struct result *r)
{
	sqlite3_stmt	*s;
	size_t		 i;

	if (store_begin(st, r) == -1)
		return -1;
	if ((s = prep(st, "UPDATE outbox SET state = ?3, updated_at = ?4,"
	    " sent_at = CASE WHEN ?3 = 'sent' THEN ?4 ELSE sent_at END,"
	    " next_attempt_at = CASE WHEN ?3 = 'queued' THEN ?5 ELSE next_attempt_at END,"
	    " last_error = ?6, smtp_reply = ?7, lease_owner = '', lease_until = 0"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", r)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, owner);
	bind_text(s, 3, f->state);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, f->next_attempt_at);
	bind_text(s, 6, f->error);
	bind_text(s, 7, f->smtp_reply);
	if (outbox_leased_update(st, s, id, owner, r, "record attempt") == -1)
		goto fail;
	for (i = 0; i < f->nrcpt; i++) {
		if ((s = prep(st, "INSERT INTO outbox_rcpt (outbox_id, email, state, attempts, reply,"
		    " updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?5)"
		    " ON CONFLICT (outbox_id, email) DO UPDATE SET state = excluded.state,"
		    " attempts = attempts + 1, reply = excluded.reply, updated_at = excluded.updated_at",
		    r)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, f->rcpt[i].email);
		bind_text(s, 3, rcpt_states[f->rcpt[i].state]);
		bind_text(s, 4, f->rcpt[i].reply);
		sqlite3_bind_int64(s, 5, now);
		if (exec_done(st, s, r, "record recipient") == -1)
			goto fail;
	}
	return store_commit(st, r);
fail:
	store_rollback(st);
	return -1;
}

/* ---------------------------------------------------------------- JSON reads */

static int
is_bool_column(const char *name)
{
	size_t i;

	for (i = 0; bool_columns[i] != NULL; i++)
		if (strcmp(bool_columns[i], name) == 0)
			return 1;
	return 0;
}

static void
iso_utc(int64_t t, char *buf, size_t size)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, size, "%s", "");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One row as a JSON object, named by the columns; *_at (and at) integers become ISO-8601 text. */
static json_object *
row_json(sqlite3_stmt *s)
{
	json_object	*o, *v;
	const char	*name;
	size_t		 len;
	int		 i, n = sqlite3_column_count(s);
	char		 iso[32];

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		name = sqlite3_column_name(s, i);
		len = strlen(name);
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			if ((len > 3 && strcmp(name + len - 3, "_at") == 0) || strcmp(name, "at") == 0) {
				iso_utc(sqlite3_column_int64(s, i), iso, sizeof(iso));
				v = iso[0] ? json_object_new_string(iso) : NULL;
			} else if (is_bool_column(name))
				v = json_object_new_boolean(sqlite3_column_int(s, i) != 0);
			else
				v = json_object_new_int64(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_object_new_double(sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			v = NULL;
			break;
		default:
			v = json_object_new_string_len((const char *)sqlite3_column_text(s, i),
			    sqlite3_column_bytes(s, i));
			break;
		}
		json_object_object_add(o, name, v);
	}
	return o;
}

/* Every row of a bound statement as a JSON array. */
static int
rows_json(struct store *st, sqlite3_stmt *s, json_object **out, struct result *r, const char *what)
{
	json_object	*arr, *o;
	int		 rc;

	if ((arr = json_object_new_array()) == NULL) {
		sqlite3_reset(s);
		return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((o = row_json(s)) == NULL || json_object_array_add(arr, o) != 0) {
			json_object_put(o);
			json_object_put(arr);
			sqlite3_reset(s);
			return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_object_put(arr);
		return fail(st, r, what);
	}
	*out = arr;
	return 0;
}

/* Run a per-customer list query and attach the array to obj under key. */
static int
attach_list(struct store *st, json_object *obj, const char *key, const char *sql,
    int64_t customer_id, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*arr;

	if ((s = prep(st, sql, r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	if (rows_json(st, s, &arr, r, key) == -1)
		return -1;
	json_object_object_add(obj, key, arr);
	return 0;
}

/* Parse the JSON text columns of meetings and check-ins (attendees, services) in place. */
static void
meetings_parse_json(json_object *meetings)
{
	static const char *const keys[] = { "attendees", "services" };
	json_object	*m, *v, *parsed;
	size_t		 i, k;

	for (i = 0; i < json_object_array_length(meetings); i++) {
		m = json_object_array_get_idx(meetings, i);
		for (k = 0; k < 2; k++) {
			if (!json_object_object_get_ex(m, keys[k], &v))
				continue;
			parsed = json_tokener_parse(json_object_get_string(v));
			json_object_object_add(m, keys[k],
			    parsed ? parsed : json_object_new_array());
		}
	}
}

int
store_customer_json(struct store *st, int64_t id, json_object **out, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*c = NULL, *arr;
	int		 rc;

	*out = NULL;
	if ((s = prep(st, "SELECT id, name, tenant_domain, timezone, owner_fm, csm_name, csm_email,"
	    " phase, review_outcome, cadence_weeks, created_at, updated_at"
	    " FROM customer WHERE id = ?1", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		c = row_json(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	if (rc != SQLITE_ROW)
		return fail(st, r, "read customer");
	if (c == NULL)
		return result_set(r, RESULT_IO, NULL, "store: read customer: out of memory");

	if (attach_list(st, c, "services", "SELECT " SERVICE_COLS " FROM customer_service"
	    " WHERE customer_id = ?1 ORDER BY id", id, r) == -1 ||
	    attach_list(st, c, "contacts", "SELECT id, name, email, receives_invites, created_at"
	    " FROM contact WHERE customer_id = ?1 ORDER BY id", id, r) == -1 ||
	    attach_list(st, c, "tasks", "SELECT " TASK_COLS ", created_at FROM task"
	    " WHERE customer_id = ?1 ORDER BY ftop_id", id, r) == -1 ||
	    attach_list(st, c, "checkins", "SELECT " CHECKIN_COLS ", created_at FROM checkin"
	    " WHERE customer_id = ?1 ORDER BY held_on DESC, id DESC", id, r) == -1 ||
	    attach_list(st, c, "meetings", "SELECT " MEETING_COLS ", created_at, updated_at"
	    " FROM meeting WHERE customer_id = ?1 ORDER BY status = 'cancelled', id DESC", id, r) == -1 ||
	    attach_list(st, c, "blockers", "SELECT id, service, l1_status, l2_reason, description,"
	    " owner, opened_on, resolved_on, resolution, created_at FROM blocker"
	    " WHERE customer_id = ?1 ORDER BY resolved_on != '', opened_on DESC, id DESC", id, r) == -1 ||
	    attach_list(st, c, "usage", "SELECT service, measured_on, active_users, eligible_users,"
	    " source FROM usage_sample WHERE customer_id = ?1 ORDER BY service, measured_on",
	    id, r) == -1 ||
	    attach_list(st, c, "outbox", "SELECT id, kind, recipients, state, attempts,"
	    " next_attempt_at, last_error, smtp_reply, message_id, created_at, sent_at"
	    " FROM outbox WHERE customer_id = ?1 ORDER BY id DESC LIMIT 100", id, r) == -1 ||
	    attach_list(st, c, "audit", "SELECT id, at, actor, action, entity, entity_id, details"
	    " FROM audit WHERE customer_id = ?1 ORDER BY id DESC LIMIT 200", id, r) == -1) {
		json_object_put(c);
		return -1;
	}
	if (json_object_object_get_ex(c, "meetings", &arr))
		meetings_parse_json(arr);
	if (json_object_object_get_ex(c, "checkins", &arr))
		meetings_parse_json(arr);
	*out = c;
	return 0;
}

/* Each recipient's outcome as a JSON array text, in the order they were first tried. */
#define OUTBOX_RCPT_JSON "(SELECT json_group_array(json_object('email', x.email," \
	" 'state', x.state, 'attempts', x.attempts, 'reply', x.reply))" \
	" FROM (SELECT * FROM outbox_rcpt WHERE outbox_id = o.id ORDER BY rowid) x)" \
	" AS recipient_states"

int
store_outbox_json(struct store *st, int64_t customer_id, const char *state, int limit,
    int offset, json_object **out, long long *total, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "SELECT count(*) FROM outbox WHERE (?1 = 0 OR customer_id = ?1)"
	    " AND (?2 = '' OR state = ?2)", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	bind_text(s, 2, state);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(st, r, "count outbox");
	}
	*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);

	if ((s = prep(st, "SELECT o.id, o.customer_id, c.name AS customer_name, o.kind,"
	    " o.recipients, o.state, o.attempts, o.next_attempt_at, o.last_error, o.smtp_reply,"
	    " o.message_id, o.created_at, o.sent_at, o.updated_at, " OUTBOX_RCPT_JSON
	    " FROM outbox o JOIN customer c ON c.id = o.customer_id"
	    " WHERE (?1 = 0 OR o.customer_id = ?1) AND (?2 = '' OR o.state = ?2)"
	    " ORDER BY o.id DESC LIMIT ?3 OFFSET ?4", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, customer_id);
	bind_text(s, 2, state);
	sqlite3_bind_int(s, 3, limit > 0 ? limit : 50);
	sqlite3_bind_int(s, 4, offset > 0 ? offset : 0);
	return rows_json(st, s, out, r, "list outbox");
}

int
store_outbox_row_json(struct store *st, int64_t id, json_object **out, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*o = NULL, *v, *parsed;
	int		 rc;
	size_t		 k;
	static const char *const keys[] = { "payload", "recipients", "recipient_states" };

	*out = NULL;
	if ((s = prep(st, "SELECT o.id, o.customer_id, c.name AS customer_name, o.kind,"
	    " o.dedupe_key, o.payload, o.recipients, o.state, o.attempts, o.next_attempt_at,"
	    " o.last_error, o.smtp_reply, o.message_id, o.created_at, o.sent_at, o.updated_at, "
	    OUTBOX_RCPT_JSON " FROM outbox o JOIN customer c ON c.id = o.customer_id WHERE o.id = ?1",
	    r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		o = row_json(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no outbox message with id %" PRId64, id);
	if (rc != SQLITE_ROW)
		return fail(st, r, "read outbox row");
	if (o == NULL)
		return result_set(r, RESULT_IO, NULL, "store: read outbox row: out of memory");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (json_object_object_get_ex(o, keys[k], &v) &&
		    (parsed = json_tokener_parse(json_object_get_string(v))) != NULL)
			json_object_object_add(o, keys[k], parsed);
	*out = o;
	return 0;
}

int
store_fm_list_json(struct store *st, json_object **out, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, "SELECT DISTINCT owner_fm FROM customer ORDER BY owner_fm", r)) == NULL)
		return -1;
	return rows_json(st, s, out, r, "list FMs");
}

/* ---------------------------------------------------------------- facts */

void
store_facts_free(struct store_facts *list, size_t n)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].services);
		free(list[i].open_required);
		free(list[i].open_blockers);
	}
	free(list);
}

/* Customer id -> position in the name-ordered list: (id, position) pairs sorted by id. */
struct facts_index {
	int64_t	*ids;
	size_t	 n;
};

static int
cmp_id_pos(const void *a, const void *b)
{
	const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static struct store_facts *
facts_find(struct store_facts *list, const struct facts_index *ix, int64_t id)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->ids[mid * 2] == id)
			return &list[(size_t)ix->ids[mid * 2 + 1]];
		if (ix->ids[mid * 2] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
grow(void **arr, size_t *n, size_t esz)
{
	void *p;

	/* Growth by doubling at powers of two keeps appends amortised O(1). */
	if (*n != 0 && (*n & (*n - 1)) != 0) {
		(*n)++;
		return 0;
	}
	if ((p = realloc(*arr, (*n ? *n * 2 : 1) * esz)) == NULL)
		return -1;
	*arr = p;
	(*n)++;
	return 0;
}

/*
 * Every facts query exists twice, for a filtered list and for one customer:
 * a "(?1 = 0 OR c.id = ?1)" in one statement cannot use the primary key, so
 * one customer's page would scan the whole database.  The list variant binds
 * ?2 = q ('' = any), ?3 = phase, ?4 = owner_fm; the one-customer variant ?1 =
 * id.  Both variants of a query select the same columns.
 */
#define FACTS_WHERE_LIST \
	" (?2 = '' OR instr(lower(c.name), lower(?2)) > 0" \
	"      OR instr(lower(c.tenant_domain), lower(?2)) > 0)" \
	" AND (?3 = '' OR c.phase = ?3) AND (?4 = '' OR c.owner_fm = ?4)"
#define FACTS_WHERE_ONE " c.id = ?1"
#define FACTS_WHERE_IDS " c.id IN (SELECT value FROM json_each(?5))"
#define FACTS_SQL(head, tail) \
	{ head FACTS_WHERE_LIST tail, head FACTS_WHERE_ONE tail, head FACTS_WHERE_IDS tail }

/* The prepared variant of sql[] for this load, bound: one id, a JSON id list, or the filter. */
static sqlite3_stmt *
facts_prep(struct store *st, const char *const sql[3], int64_t id, const char *ids,
    const struct store_facts_filter *f, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = prep(st, sql[ids != NULL ? 2 : id > 0], r)) == NULL)
		return NULL;
	if (ids != NULL)
		bind_text(s, 5, ids);
	else if (id > 0)
		sqlite3_bind_int64(s, 1, id);
	else {
		bind_text(s, 2, f && f->q ? f->q : "");
		bind_text(s, 3, f && f->phase ? f->phase : "");
		bind_text(s, 4, f && f->owner_fm ? f->owner_fm : "");
	}
	return s;
}

static const char *const facts_customers_sql[3] = FACTS_SQL(
    "SELECT c.id, c.name, c.tenant_domain, c.timezone, c.owner_fm,"
    " c.csm_name, c.csm_email, c.phase, c.review_outcome, c.cadence_weeks, c.created_at"
    " FROM customer c WHERE", " ORDER BY c.name COLLATE NOCASE, c.id");
static const char *const facts_services_sql[3] = FACTS_SQL(
    "SELECT s.id, s.customer_id, s.service, s.intended, s.activated_on,"
    " s.licensed_users, s.target_percent, s.custom_metric, s.custom_metric_met, s.csm_led,"
    " s.adoption_program, s.accelerator, s.latest_on, s.latest_active, s.latest_eligible"
    " FROM customer_service s JOIN customer c ON c.id = s.customer_id WHERE", " ORDER BY s.id");
static const char *const facts_tasks_sql[3] = FACTS_SQL(
    "SELECT t.customer_id, t.ftop_id FROM task t JOIN customer c"
    " ON c.id = t.customer_id WHERE t.status = 'open' AND t.required = 1 AND", " ORDER BY t.ftop_id");
static const char *const facts_blockers_sql[3] = FACTS_SQL(
    "SELECT b.customer_id, b.id, b.opened_on, b.service, b.description"
    " FROM blocker b JOIN customer c ON c.id = b.customer_id"
    " WHERE b.resolved_on = '' AND", " ORDER BY b.opened_on, b.id");
static const char *const facts_checkins_sql[3] = FACTS_SQL(
    "SELECT c.id,"
    " (SELECT max(held_on) FROM checkin k WHERE k.customer_id = c.id),"
    " (SELECT count(*) FROM meeting m WHERE m.customer_id = c.id AND m.status = 'scheduled'),"
    " (SELECT every_weeks FROM meeting m WHERE m.customer_id = c.id AND m.status = 'scheduled'"
    "   ORDER BY every_weeks, id LIMIT 1),"
    " (SELECT starts_at FROM meeting m WHERE m.customer_id = c.id AND m.status = 'scheduled'"
    "   ORDER BY every_weeks, id LIMIT 1)"
    " FROM customer c WHERE", "");

static int
facts_load(struct store *st, int64_t id, const char *ids, const struct store_facts_filter *f,
    struct store_facts **out, size_t *nout, struct result *r)
{
	struct store_facts	*list = NULL, *x;
	struct facts_index	 ix = { NULL, 0 };
	sqlite3_stmt		*s;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	*out = NULL;
	*nout = 0;

	/* 1. customers */
	if ((s = facts_prep(st, facts_customers_sql, id, ids, f, r)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((x = realloc(list, cap * sizeof(*list))) == NULL) {
				sqlite3_reset(s);
				goto oom;
			}
			list = x;
		}
		memset(&list[n], 0, sizeof(list[n]));
		customer_row(s, &list[n].customer);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fail(st, r, "list customers");
		goto err;
	}
	if (n == 0)
		goto done;

	/* id -> position, sorted, for the joins below (pairs of int64). */
	if ((ix.ids = malloc(n * 2 * sizeof(int64_t))) == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		ix.ids[i * 2] = list[i].customer.id;
		ix.ids[i * 2 + 1] = (int64_t)i;
	}
	qsort(ix.ids, n, 2 * sizeof(int64_t), cmp_id_pos);
	ix.n = n;

	/* 2. services */
	if ((s = facts_prep(st, facts_services_sql, id, ids, f, r)) == NULL)
		goto err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((x = facts_find(list, &ix, sqlite3_column_int64(s, 1))) == NULL)
			continue;
		if (grow((void **)&x->services, &x->n_services, sizeof(*x->services)) == -1) {
			sqlite3_reset(s);
			goto oom;
		}
		service_row(s, &x->services[x->n_services - 1]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fail(st, r, "list services");
		goto err;
	}

	/* 3. open required tasks */
	if ((s = facts_prep(st, facts_tasks_sql, id, ids, f, r)) == NULL)
		goto err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((x = facts_find(list, &ix, sqlite3_column_int64(s, 0))) == NULL)
			continue;
		if (grow((void **)&x->open_required, &x->n_open_required,
		    sizeof(*x->open_required)) == -1) {
			sqlite3_reset(s);
			goto oom;
		}
		x->open_required[x->n_open_required - 1] = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fail(st, r, "list open tasks");
		goto err;
	}

	/* 4. open blockers */
	if ((s = facts_prep(st, facts_blockers_sql, id, ids, f, r)) == NULL)
		goto err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_blocker_fact *b;

		if ((x = facts_find(list, &ix, sqlite3_column_int64(s, 0))) == NULL)
			continue;
		if (grow((void **)&x->open_blockers, &x->n_open_blockers,
		    sizeof(*x->open_blockers)) == -1) {
			sqlite3_reset(s);
			goto oom;
		}
		b = &x->open_blockers[x->n_open_blockers - 1];
		memset(b, 0, sizeof(*b));
		b->id = sqlite3_column_int64(s, 1);
		col_text(s, 2, b->opened_on, sizeof(b->opened_on));
		col_text(s, 3, b->service, sizeof(b->service));
		col_text(s, 4, b->description, sizeof(b->description));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fail(st, r, "list open blockers");
		goto err;
	}

	/* 5. last check-in and the active series, one row per customer */
	if ((s = facts_prep(st, facts_checkins_sql, id, ids, f, r)) == NULL)
		goto err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((x = facts_find(list, &ix, sqlite3_column_int64(s, 0))) == NULL)
			continue;
		col_text(s, 1, x->last_checkin, sizeof(x->last_checkin));
		x->n_active_series = sqlite3_column_int(s, 2);
		x->series_every_weeks = sqlite3_column_int(s, 3);
		col_text(s, 4, x->series_starts_at, sizeof(x->series_starts_at));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fail(st, r, "read check-in facts");
		goto err;
	}
done:
	free(ix.ids);
	*out = list;
	*nout = n;
	return 0;
oom:
	result_set(r, RESULT_IO, NULL, "store: facts: out of memory");
err:
	free(ix.ids);
	store_facts_free(list, n);
	return -1;
}

int
store_facts_list(struct store *st, const struct store_facts_filter *f,
    struct store_facts **list, size_t *n, struct result *r)
{
	return facts_load(st, 0, NULL, f, list, n, r);
}

int
store_facts_get(struct store *st, int64_t id, struct store_facts *out, struct result *r)
{
	struct store_facts	*list;
	size_t			 n;

	if (id <= 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	if (facts_load(st, id, NULL, NULL, &list, &n, r) == -1)
		return -1;
	if (n == 0) {
		store_facts_free(list, n);
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	}
	*out = list[0];
	free(list);	/* the members now belong to *out (store_facts_clear) */
	return 0;
}

int
store_facts_list_ids(struct store *st, const int64_t *ids, size_t n, struct store_facts **list,
    size_t *nout, struct result *r)
{
	struct buf	 b;
	size_t		 i;
	int		 rc;

	*list = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	buf_init(&b);
	buf_putc(&b, '[');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%" PRId64, i ? "," : "", ids[i]);
	buf_putc(&b, ']');
	if (b.failed) {
		buf_free(&b);
		return result_set(r, RESULT_IO, NULL, "store: facts by id: out of memory");
	}
	rc = facts_load(st, 0, buf_cstr(&b), NULL, list, nout, r);
	buf_free(&b);
	return rc;
}

void
store_facts_clear(struct store_facts *f)
{
	if (f == NULL)
		return;
	free(f->services);
	free(f->open_required);
	free(f->open_blockers);
	f->services = NULL;
	f->open_required = NULL;
	f->open_blockers = NULL;
	f->n_services = f->n_open_required = f->n_open_blockers = 0;
}

/* ---------------------------------------------------------------- health */

/*
 * The commit probe: the same steps as every change (the write lock, a WAL
 * frame, its fsync under synchronous=FULL), on one row that is rewritten in
 * place, so the database never grows.  A failure is put in why (SQLite's
 * words, without the path: /healthz may be read by monitors).
 */
static int
health_commit(struct store *st, int64_t now, char *why, size_t whysz)
{
	static const char *const steps[] = {
		"BEGIN IMMEDIATE",
		"UPDATE health_probe SET at = ?1 WHERE id = 1",
		"COMMIT",
	};
	struct result	 r;
	sqlite3_stmt	*s;
	size_t		 i;
	int		 rc;

	if (st->in_tx) {
		snprintf(why, whysz, "a transaction is already open");
		return -1;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		result_clear(&r);
		if ((s = prep(st, steps[i], &r)) == NULL) {
			snprintf(why, whysz, "%s", sqlite3_errmsg(st->db));
			store_rollback(st);
			return -1;
		}
		if (i == 1)
			sqlite3_bind_int64(s, 1, now);
		rc = sqlite3_step(s);
		if (rc != SQLITE_DONE) {
			snprintf(why, whysz, "%s", sqlite3_errmsg(st->db));
			sqlite3_reset(s);
			store_rollback(st);
			return -1;
		}
		sqlite3_reset(s);
	}
	return 0;
}

int
store_health(struct store *st, int64_t now, struct store_health *h, struct result *r)
{
	struct statvfs	 vfs;
	sqlite3_stmt	*s;
	int		 rc;

	memset(h, 0, sizeof(*h));
	h->can_commit = health_commit(st, now, h->commit_error, sizeof(h->commit_error)) == 0;

	/*
	 * A commit can succeed on a full disk (the WAL reuses its space after a
	 * checkpoint) until a change needs one more page: the free space says
	 * it first.  statvfs opens nothing, so SQLite's locks are safe.
	 */
	h->free_bytes = -1;
	if (statvfs(st->path, &vfs) == 0) {
		h->free_bytes = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
		h->read_only = (vfs.f_flag & ST_RDONLY) != 0;
	}

	/* Claimable rows only, as the notifier's claim sees them (store_outbox_claim). */
	if ((s = prep(st, "SELECT count(*), coalesce(min(due), 0) FROM ("
	    " SELECT CASE o.state WHEN 'queued' THEN o.next_attempt_at ELSE o.lease_until END AS due"
	    " FROM outbox o"
	    " WHERE ((o.state = 'queued' AND o.next_attempt_at <= ?1)"
	    "     OR (o.state = 'sending' AND o.lease_until <= ?1))"
	    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.customer_id = o.customer_id"
	    "     AND p.id < o.id AND p.state IN ('queued','sending')))", r)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		fail(st, r, "health: count due outbox rows");
		sqlite3_reset(s);
		return -1;
	}
	h->outbox_due = sqlite3_column_int64(s, 0);
	h->outbox_oldest_due = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}
